"""A shop selling on the sandbox's DE marketplace: variants with prices, stock, barcodes."""

import uuid
from decimal import Decimal

import pytest
from saleor.product.models import ProductVariantChannelListing
from saleor.warehouse.models import Stock

from amazon_sandbox.generate import SKU_POOL
from saleor_amazon import conf
from saleor_amazon.models import AmazonAccount
from saleor_amazon.spapi import client_for_account
from saleor_amazon.spapi.limits import ENV_PREFIX, RateLimiter
from tests.orders.conftest import (  # noqa: F401 - fixtures shared with the order tests
    marketplace_for,
    variant_for,
)


@pytest.fixture
def sandbox_account(amazon_sandbox, amazon_plugin_configuration, monkeypatch):
    """The sandbox's seller as a stored account; the plugin talks to the sandbox with
    rate-limit buckets of this test only."""
    prefix = f"test-listings:{uuid.uuid4().hex}"
    monkeypatch.setenv(ENV_PREFIX, prefix)
    monkeypatch.setenv(conf.ENV_SPAPI_ENDPOINT, amazon_sandbox.url)
    monkeypatch.setenv(conf.ENV_LWA_ENDPOINT, amazon_sandbox.lwa_url)
    yield AmazonAccount.objects.create(
        seller_id=amazon_sandbox.seller_id,
        name="Sandbox seller",
        region="EU",
        refresh_token=amazon_sandbox.refresh_token,
    )
    RateLimiter(prefix=prefix).clear()


@pytest.fixture
def shop(amazon_sandbox, sandbox_account, marketplace_for, variant_for):  # noqa: F811
    """The sandbox seller's DE marketplace (EUR channel, one warehouse) and a client."""

    class Shop:
        sandbox = amazon_sandbox
        account = sandbox_account
        marketplace = marketplace_for("DE", account=sandbox_account)
        client = client_for_account(sandbox_account, max_retry_seconds=20)

        def variant(self, sku, price="24.90", stock=5, ean=None, asin=None, metadata=None):
            """A variant with a price in the marketplace's channel and stock."""
            variant = variant_for(sku, stock=stock)
            meta = dict(metadata or {})
            if ean:
                meta["ean"] = ean
            if asin:
                meta["amazon_asin"] = asin
            if meta:
                variant.store_value_in_metadata(meta)
                variant.save(update_fields=["metadata"])
            if price is not None:
                ProductVariantChannelListing.objects.create(
                    variant=variant,
                    channel=self.marketplace.channel,
                    currency=self.marketplace.currency,
                    price_amount=Decimal(price),
                    discounted_price_amount=Decimal(price),
                )
            return variant

        def pool_variant(self, index, **kwargs):
            """A variant whose EAN is the sandbox catalog's product ``index``."""
            item = SKU_POOL[index]
            kwargs.setdefault("ean", item.ean)
            return self.variant(kwargs.pop("sku", f"SHOP-{item.sku}"), **kwargs), item

        def set_stock(self, variant, quantity):
            Stock.objects.filter(product_variant=variant).update(quantity=quantity)

        def set_price(self, variant, price):
            ProductVariantChannelListing.objects.filter(
                variant=variant, channel=self.marketplace.channel
            ).update(price_amount=Decimal(price))

        def settle(self):
            """Let the sandbox finish the feeds (its clock moves on)."""
            self.sandbox.advance(60)

        def listing(self, sku):
            return self.client.get_listing(
                sku,
                [self.marketplace.marketplace_id],
                included_data=["summaries", "offers", "fulfillmentAvailability", "attributes"],
            )

        def configure(self, **settings):
            self.marketplace.settings = {**self.marketplace.settings, **settings}
            self.marketplace.save(update_fields=["settings"])

    return Shop()
