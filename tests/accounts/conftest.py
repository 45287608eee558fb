"""Fixtures for account and marketplace tests."""

import uuid

import pytest
from django.core.cache import cache
from saleor.channel.models import Channel

from amazon_sandbox.generate import seed_document
from saleor_amazon import conf
from saleor_amazon.models import AmazonMarketplace


@pytest.fixture(autouse=True)
def _clear_oauth_states():
    """OAuth states live in Django's cache; keep tests from seeing each other's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def amazon_sandbox_config(amazon_sandbox, amazon_plugin_configuration, monkeypatch):
    """The plugin configured (LWA client, application id) and pointed at the sandbox.

    The sandbox plays a seller of its own for this test (EU and NA marketplaces), so the
    shared Redis rate-limit buckets, keyed by seller, are not drained by other tests.
    """
    seller_id = "A" + uuid.uuid4().hex[:13].upper()
    refresh_token = f"Atzr|test-{uuid.uuid4().hex}"
    amazon_sandbox.reset(seed=seed_document([], seller_id=seller_id, refresh_token=refresh_token))
    amazon_sandbox.seller_id, amazon_sandbox.refresh_token = seller_id, refresh_token
    monkeypatch.setenv(conf.ENV_SPAPI_ENDPOINT, amazon_sandbox.url)
    monkeypatch.setenv(conf.ENV_LWA_ENDPOINT, amazon_sandbox.lwa_url)
    return amazon_sandbox


@pytest.fixture
def amazon_marketplace_de(amazon_account):
    return AmazonMarketplace.objects.create(
        account=amazon_account, marketplace_id="A1PA6795UKMFR9", country="DE", currency="EUR"
    )


@pytest.fixture
def amazon_marketplace_uk(amazon_account):
    return AmazonMarketplace.objects.create(
        account=amazon_account, marketplace_id="A1F83G8C2ARO7P", country="GB", currency="GBP"
    )


@pytest.fixture
def channel_eur(db):
    return Channel.objects.create(
        name="Amazon DE", slug="amazon-de", currency_code="EUR", default_country="DE"
    )


@pytest.fixture
def channel_gbp(db):
    return Channel.objects.create(
        name="Amazon UK", slug="amazon-uk", currency_code="GBP", default_country="GB"
    )


@pytest.fixture
def two_sellers(amazon_sandbox_config):
    """The sandbox plays two sellers of the EU region: ``(attacker, victim)``, each
    ``(seller_id, refresh_token)``; the fixture's own seller is the victim."""
    sandbox = amazon_sandbox_config
    attacker = ("A" + uuid.uuid4().hex[:13].upper(), f"Atzr|test-{uuid.uuid4().hex}")
    victim = (sandbox.seller_id, sandbox.refresh_token)
    sandbox.reset(
        seed={
            "sellers": [
                seed_document([], seller_id=seller_id, refresh_token=token)
                for seller_id, token in (victim, attacker)
            ]
        }
    )
    return attacker, victim
