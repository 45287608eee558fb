"""Saleor channels, a warehouse and variants for Amazon order tests."""

import uuid
from datetime import UTC, datetime

import pytest
from saleor.channel import AllocationStrategy
from saleor.channel.models import Channel
from saleor.product.models import Product, ProductVariant
from saleor.tax.tests.fixtures.utils import create_channel_tax_configuration
from saleor.warehouse.models import Stock

from amazon_sandbox.generate import seed_document, skus_of
from saleor_amazon import conf, regions
from saleor_amazon.models import AmazonAccount, AmazonMarketplace
from saleor_amazon.spapi import client_for_account
from saleor_amazon.spapi.limits import RateLimiter

from .payloads import MARKETPLACES

CODES = {marketplace_id: code for code, (marketplace_id, _) in MARKETPLACES.items()}


def _channel(currency, country):
    existing = Channel.objects.filter(currency_code=currency).first()
    if existing:
        return existing
    channel = Channel.objects.create(
        name=f"Amazon {currency}",
        slug=f"amazon-{currency.lower()}",
        currency_code=currency,
        default_country=country,
        is_active=True,
        allocation_strategy=AllocationStrategy.PRIORITIZE_HIGH_STOCK,
    )
    create_channel_tax_configuration(channel)
    return channel


@pytest.fixture
def marketplace_for(amazon_account, warehouse):
    """Marketplace code -> an active AmazonMarketplace mapped to a channel of its currency."""

    def make(code, account=None, **options):
        marketplace_id, currency = MARKETPLACES[code]
        info = regions.marketplace(marketplace_id)
        channel = _channel(currency, info.country)
        warehouse.channels.add(channel)
        marketplace, _ = AmazonMarketplace.objects.update_or_create(
            account=account or amazon_account,
            marketplace_id=marketplace_id,
            defaults={
                "country": info.country,
                "currency": currency,
                "channel": channel,
                "is_active": True,
                "default_warehouse": warehouse,
                "prices_include_tax": info.prices_include_tax,
                **options,
            },
        )
        return marketplace

    return make


@pytest.fixture
def variant_for(product_type, category, warehouse):
    """Seller SKU -> a Saleor variant with that SKU and ``stock`` units in the warehouse."""

    def make(sku, stock=10, track_inventory=True):
        product = Product.objects.create(
            name=f"Product {sku}", slug=f"product-{sku.lower()}", product_type=product_type,
            category=category,
        )  # fmt: skip
        variant = ProductVariant.objects.create(
            product=product, sku=sku, name=sku, track_inventory=track_inventory
        )
        if stock is not None:
            Stock.objects.create(warehouse=warehouse, product_variant=variant, quantity=stock)
        return variant

    return make


IMPORT_SINCE = datetime(2026, 9, 1, tzinfo=UTC)


@pytest.fixture
def isolated_limiter(monkeypatch):
    """The process-wide rate limiter, on Redis keys of this test only."""
    from saleor_amazon.spapi import limits

    prefix = f"test-orders:{uuid.uuid4().hex}"
    monkeypatch.setenv(limits.ENV_PREFIX, prefix)
    yield
    RateLimiter(prefix=prefix).clear()


@pytest.fixture
def sandbox_account(amazon_sandbox, amazon_plugin_configuration, isolated_limiter, monkeypatch):
    """The sandbox's seller as a stored account; the plugin talks to the sandbox."""
    monkeypatch.setenv(conf.ENV_SPAPI_ENDPOINT, amazon_sandbox.url)
    monkeypatch.setenv(conf.ENV_LWA_ENDPOINT, amazon_sandbox.lwa_url)
    return AmazonAccount.objects.create(
        seller_id=amazon_sandbox.seller_id,
        name="Sandbox seller",
        region="EU",
        refresh_token=amazon_sandbox.refresh_token,
    )


@pytest.fixture
def sandbox_client():
    """``sandbox_client(account)``: the account's client with a rate limiter of its own."""
    limiters = []

    def make(account):
        limiter = RateLimiter(prefix=f"test-orders:{uuid.uuid4().hex}")
        limiters.append(limiter)
        return client_for_account(account, limiter=limiter, max_retry_seconds=20)

    yield make
    for limiter in limiters:
        limiter.clear()


@pytest.fixture
def sandbox_shop(amazon_sandbox, sandbox_account, marketplace_for, variant_for):
    """``sandbox_shop(orders)``: the sandbox holds ``orders`` (generated), the shop has a
    marketplace per market used (importing since Sept 2026) and a variant per seller SKU."""

    def make(orders, **marketplace_options):
        amazon_sandbox.reset(
            seed=seed_document(
                orders, seller_id=amazon_sandbox.seller_id,
                refresh_token=amazon_sandbox.refresh_token,
            )
        )  # fmt: skip
        codes = {CODES[o["salesChannel"]["marketplaceId"]] for o in orders}
        markets = {
            code: marketplace_for(
                code, account=sandbox_account, import_since=IMPORT_SINCE, **marketplace_options
            )
            for code in codes
        }
        for sku in skus_of(orders):
            variant_for(sku, stock=1000)
        return markets

    return make
