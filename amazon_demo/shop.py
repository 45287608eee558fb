"""A ready-to-try shop wired to the local Amazon sandbox (``python -m amazon_demo``).

Creates, when missing: one Saleor channel per demo marketplace currency, a
warehouse, products whose variant SKUs are the sandbox's seller SKUs (with
prices and stock), the plugin configuration pointing at the sandbox, and the
demo seller account with its marketplaces mapped and active. Safe to run again.
For development and demonstrations only: never point a production shop at it.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from saleor.account.models import Address
from saleor.channel.models import Channel
from saleor.plugins.models import PluginConfiguration
from saleor.product.models import (
    Category,
    Product,
    ProductChannelListing,
    ProductType,
    ProductVariant,
    ProductVariantChannelListing,
)
from saleor.warehouse.models import Stock, Warehouse

from amazon_sandbox.demo import DEMO_REFRESH_TOKEN, DEMO_SELLER_ID
from saleor_amazon import conf, regions
from saleor_amazon.models import AmazonAccount, AmazonMarketplace

DEMO_CURRENCIES = ("EUR", "GBP", "PLN", "SEK", "USD", "CAD")


def configure_plugin(sandbox_url: str, poll_minutes: int = 1) -> None:
    values = {
        conf.CLIENT_ID: "amzn1.application-oa2-client.sandbox-demo",
        conf.CLIENT_SECRET: "sandbox-demo-secret",
        conf.APPLICATION_ID: "amzn1.sp.solution.sandbox-demo",
        conf.ENDPOINTS: sandbox_url.rstrip("/"),
        conf.LWA_ENDPOINT: sandbox_url.rstrip("/") + "/auth/o2/token",
        conf.POLL_INTERVAL: str(poll_minutes),
    }
    config, _ = PluginConfiguration.objects.get_or_create(
        identifier=conf.PLUGIN_ID, channel=None, defaults={"name": "Amazon"}
    )
    stored = {item["name"]: item for item in config.configuration or []}
    for name, value in values.items():
        stored[name] = {"name": name, "value": value}
    config.configuration = list(stored.values())
    config.active = True
    config.save()


def _warehouse() -> Warehouse:
    warehouse = Warehouse.objects.filter(slug="amazon-demo").first()
    if warehouse:
        return warehouse
    address = Address.objects.create(
        company_name="Demo-Lager GmbH",
        street_address_1="Lagerstraße 1",
        city="Leipzig",
        postal_code="04109",
        country="DE",
    )
    return Warehouse.objects.create(
        name="Amazon demo warehouse", slug="amazon-demo", address=address, email=""
    )


def _channel(code: str, currency: str, country: str, warehouse: Warehouse) -> Channel:
    slug = f"amazon-{currency.lower()}"
    channel, _ = Channel.objects.get_or_create(
        slug=slug,
        defaults={
            "name": f"Amazon {currency}",
            "currency_code": currency,
            "default_country": country,
        },
    )
    channel.warehouses.add(warehouse)
    return channel


def _catalogue(skus, price_of, channels: list[Channel], warehouse: Warehouse) -> int:
    product_type, _ = ProductType.objects.get_or_create(
        slug="amazon-demo", defaults={"name": "Amazon demo", "has_variants": False}
    )
    category = Category.objects.filter(slug="amazon-demo").first() or Category.objects.create(
        name="Amazon demo", slug="amazon-demo"
    )
    created = 0
    for item in skus:
        if ProductVariant.objects.filter(sku=item.sku).exists():
            continue
        product = Product.objects.create(
            name=item.title,
            slug=slugify(item.sku),
            product_type=product_type,
            category=category,
        )
        variant = ProductVariant.objects.create(product=product, sku=item.sku, name=item.title)
        Stock.objects.create(warehouse=warehouse, product_variant=variant, quantity=500)
        for channel in channels:
            price = price_of(item, channel.currency_code)
            ProductChannelListing.objects.create(
                product=product,
                channel=channel,
                is_published=True,
                visible_in_listings=True,
                available_for_purchase_at=timezone.now(),
                currency=channel.currency_code,
            )
            ProductVariantChannelListing.objects.create(
                variant=variant,
                channel=channel,
                price_amount=price,
                currency=channel.currency_code,
            )
        created += 1
    return created


@transaction.atomic
def prepare_shop(skus, price_of) -> tuple[Warehouse, dict[str, Channel], int]:
    """``skus``: items with ``.sku`` and ``.title``; ``price_of(item, currency)`` -> Decimal."""
    warehouse = _warehouse()
    channels = {}
    for info in regions.MARKETPLACES.values():
        if info.currency in DEMO_CURRENCIES and info.currency not in channels:
            channels[info.currency] = _channel(info.code, info.currency, info.country, warehouse)
    created = _catalogue(skus, price_of, list(channels.values()), warehouse)
    return warehouse, channels, created


def connect_demo_account(warehouse: Warehouse, channels: dict[str, Channel]) -> AmazonAccount:
    """Connect the sandbox's demo seller (through the normal account service) and map
    each of its marketplaces to the channel of its currency."""
    from saleor_amazon.accounts.marketplaces import update_marketplace
    from saleor_amazon.accounts.services import add_account, refresh_marketplaces

    account = AmazonAccount.objects.filter(seller_id=DEMO_SELLER_ID, region="EU").first()
    if account is None:
        account = add_account(
            seller_id=DEMO_SELLER_ID,
            name="Sandbox demo seller",
            region="EU",
            refresh_token=DEMO_REFRESH_TOKEN,
        )
    else:
        refresh_marketplaces(account)
    since = timezone.now() - timedelta(days=60)
    for marketplace in AmazonMarketplace.objects.filter(account=account):
        channel = channels.get(marketplace.currency)
        if channel is None:
            continue
        update_marketplace(
            marketplace,
            {
                "channel": channel,
                "default_warehouse": warehouse,
                "is_active": True,
                "import_orders": True,
                "import_since": marketplace.import_since or since,
            },
        )
    return account
