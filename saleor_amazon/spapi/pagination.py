"""Pagination as iterators: one page in memory at a time.

Amazon hands out a token with each page (``pagination.nextToken`` in Orders 2026-01-01,
passed back as ``paginationToken``; ``pagination.nextToken`` / ``nextToken`` elsewhere).
A token seen twice means Amazon is looping: that is an error, not an endless iteration.
Amazon sometimes repeats a page under a new token; :func:`unique_items` yields each item
once all the same (it remembers keys, not items).
"""

from dataclasses import dataclass, field

from .errors import UnavailableError


@dataclass
class Page:
    items: list
    next_token: str | None = None
    payload: dict = field(default_factory=dict)


@dataclass
class OrdersPage(Page):
    """A page of searchOrders: ``orders`` plus the window Amazon echoes back (the
    ``lastUpdatedBefore`` / ``createdBefore`` a poller keeps as its next cursor)."""

    last_updated_before: str | None = None
    created_before: str | None = None

    @property
    def orders(self) -> list:
        return self.items


def pages(fetch, operation=""):
    """Yield ``fetch(token)`` for token None, then each page's ``next_token``."""
    token = None
    seen = set()
    while True:
        page = fetch(token)
        yield page
        token = page.next_token
        if not token:
            return
        if token in seen:
            raise UnavailableError(
                f"Amazon returned the pagination token {token[:40]!r} twice.",
                operation=operation,
            )
        seen.add(token)


def unique_items(page_iter, key):
    """Items of every page, each ``key(item)`` once (a repeated page adds nothing)."""
    seen = set()
    for page in page_iter:
        for item in page.items:
            k = key(item)
            if k in seen:
                continue
            seen.add(k)
            yield item


def next_token(payload: dict) -> str | None:
    """Amazon's token for the next page, wherever this API puts it."""
    pagination = payload.get("pagination") or {}
    return pagination.get("nextToken") or payload.get("nextToken") or None
