"""Feed documents against Amazon's listings feed schema (read from the models folder)."""

import json
from decimal import Decimal

import pytest

from saleor_amazon.listings import feed


def _offer(sku, price="12.99"):
    return feed.offer_message(
        0, sku=sku, asin="B0SBX00001", condition="new_new", price=Decimal(price), quantity=3,
        handling_time=2, marketplace_id="A1PA6795UKMFR9", currency="EUR", product_type="PRODUCT",
    )  # fmt: skip


def test_documents_split_at_amazons_limit_from_the_schema():
    limit = feed.schema()["properties"]["messages"]["maxItems"]
    messages = [feed.delete_message(0, sku=f"S{i}") for i in range(limit + 1)]

    documents = feed.documents("A1SELLER", messages)

    assert [len(d["messages"]) for d in documents] == [limit, 1]
    assert documents[1]["messages"][0] == {
        "messageId": 1,
        "sku": f"S{limit}",
        "operationType": "DELETE",
    }


@pytest.mark.parametrize(
    ("message", "problem"),
    [
        ({"messageId": 1, "sku": "", "operationType": "DELETE"}, "non-empty"),
        ({"messageId": 1, "sku": "A", "operationType": "PATCH", "productType": "P", "patches": []},
         "non-empty"),
        ({"messageId": 1, "sku": "A", "operationType": "UPDATE", "productType": "P"},
         "is not valid under any"),
        ({"messageId": 0, "sku": "A", "operationType": "DELETE"}, "minimum"),
    ],
)  # fmt: skip
def test_invalid_messages_are_refused_among_valid_ones(message, problem):
    document = {
        "header": {"sellerId": "A1SELLER", "version": "2.0"},
        "messages": [_offer("GOOD-1"), message, _offer("GOOD-2")],
    }
    with pytest.raises(feed.InvalidFeed) as error:
        feed.validate(document)
    assert problem in " ".join(error.value.problems)


def test_prices_are_json_numbers_digit_for_digit_and_text_stays_utf8():
    message = _offer("ŻÓŁW-Ä-1", price="1234.50")
    [document] = feed.documents("A1SELLER", [message])

    text = feed.dumps(document)

    assert '"value_with_tax":1234.50' in text
    assert "ŻÓŁW-Ä-1" in text
    parsed = json.loads(text, parse_float=Decimal)
    offer = parsed["messages"][0]["attributes"]["purchasable_offer"][0]
    assert offer["our_price"][0]["schedule"][0]["value_with_tax"] == Decimal("1234.50")
