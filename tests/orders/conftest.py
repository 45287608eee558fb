"""Saleor channels, a warehouse and variants for Amazon order tests."""

import pytest
from saleor.channel import AllocationStrategy
from saleor.channel.models import Channel
from saleor.product.models import Product, ProductVariant
from saleor.tax.tests.fixtures.utils import create_channel_tax_configuration
from saleor.warehouse.models import Stock

from saleor_amazon import regions
from saleor_amazon.models import AmazonMarketplace

from .payloads import MARKETPLACES


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

    def make(code, **options):
        marketplace_id, currency = MARKETPLACES[code]
        info = regions.marketplace(marketplace_id)
        channel = _channel(currency, info.country)
        warehouse.channels.add(channel)
        marketplace, _ = AmazonMarketplace.objects.update_or_create(
            account=amazon_account,
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
