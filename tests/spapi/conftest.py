"""Fixtures for the SP-API layer's tests: an isolated rate limiter per test."""

import uuid

import pytest

from saleor_amazon.spapi.limits import RateLimiter


@pytest.fixture
def limiter():
    """A limiter on the configured Redis under a key prefix of its own."""
    rl = RateLimiter(prefix=f"test-spapi:{uuid.uuid4().hex}")
    yield rl
    rl.clear()


@pytest.fixture
def make_limiter():
    made = []

    def make(**kwargs):
        kwargs.setdefault("prefix", f"test-spapi:{uuid.uuid4().hex}")
        rl = RateLimiter(**kwargs)
        made.append(rl)
        return rl

    yield make
    for rl in made:
        rl.clear()
