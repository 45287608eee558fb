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


@pytest.fixture
def sandbox_credentials(amazon_sandbox):
    from saleor_amazon.spapi import Credentials

    return Credentials(
        client_id="sandbox-client",
        client_secret="sandbox-secret",
        refresh_token=amazon_sandbox.refresh_token,
        region="EU",
        seller_id=amazon_sandbox.seller_id,
    )


@pytest.fixture
def make_client(amazon_sandbox, sandbox_credentials, limiter, make_limiter):
    """An AmazonClient on the sandbox over HTTP (``http://127.0.0.1:PORT``). With
    ``speed``, the sandbox clock runs that much faster and so do the client's buckets."""
    from saleor_amazon.spapi import AmazonClient

    def make(credentials=None, speed=None, **kwargs):
        if speed:
            amazon_sandbox.set_speed(speed)
            kwargs.setdefault("limiter", make_limiter(speed=speed))
        kwargs.setdefault("limiter", limiter)
        kwargs.setdefault("max_retry_seconds", 20)
        return AmazonClient(
            credentials or sandbox_credentials,
            endpoint=amazon_sandbox.url,
            lwa_endpoint=amazon_sandbox.lwa_url,
            **kwargs,
        )

    return make


@pytest.fixture
def client(make_client):
    return make_client()


@pytest.fixture
def fast_client(make_client):
    """A client on a sandbox whose clock runs 500 times faster (searchOrders refills in
    about 0.36 s instead of three minutes)."""
    return make_client(speed=500)
