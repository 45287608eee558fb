"""Pagination iterators (pure logic over a page function)."""

import pytest

from saleor_amazon.spapi.errors import UnavailableError
from saleor_amazon.spapi.pagination import Page, next_token, pages, unique_items


def book(pages_by_token):
    calls = []

    def fetch(token):
        calls.append(token)
        items, nxt = pages_by_token[token]
        return Page(items=items, next_token=nxt)

    return fetch, calls


def test_follows_tokens_lazily_until_the_last_page():
    fetch, calls = book({None: ([1, 2], "t1"), "t1": ([3], "t2"), "t2": ([4], None)})
    iterator = pages(fetch)
    assert next(iterator).items == [1, 2]
    assert calls == [None]  # the second page is not fetched before it is asked for
    assert [p.items for p in iterator] == [[3], [4]]
    assert calls == [None, "t1", "t2"]


def test_a_token_seen_twice_is_an_error_not_an_endless_loop():
    fetch, _ = book({None: ([1], "t1"), "t1": ([2], "t1")})
    with pytest.raises(UnavailableError, match="twice"):
        list(pages(fetch))


def test_a_repeated_page_under_a_new_token_adds_nothing():
    orders = [{"orderId": "A"}, {"orderId": "B"}]
    fetch, _ = book({None: (orders, "t1"), "t1": (orders, "t2"), "t2": ([{"orderId": "C"}], None)})
    ids = [o["orderId"] for o in unique_items(pages(fetch), key=lambda o: o["orderId"])]
    assert ids == ["A", "B", "C"]


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"pagination": {"nextToken": "x"}}, "x"),
        ({"nextToken": "y"}, "y"),
        ({"pagination": {}}, None),
        ({}, None),
    ],
)
def test_next_token_where_each_api_puts_it(payload, expected):
    assert next_token(payload) == expected
