"""What the benchmarks share."""

import os
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

# The sandbox (amazon_sandbox) and the development helpers (scripts/devtools.py) belong to
# this repository, not to the plugin's wheel.
ROOT = Path(__file__).resolve().parents[1]
sys.path[1:1] = [str(ROOT), str(ROOT / "scripts")]


def on_fresh_database(suffix, run, *args):
    """``run(*args)`` with DATABASE_URL pointing at a throwaway, freshly migrated database
    (see ``devtools.fresh_database``), dropped afterwards whatever happens."""
    from devtools import DEFAULT_DATABASE_URL, drop_database, fresh_database

    url = fresh_database(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL, suffix)
    os.environ["DATABASE_URL"] = url
    try:
        return run(*args)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(url)
        print(f"({suffix} database dropped)")


class QueryCounter:
    """A database execute wrapper counting the statements run through it."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _serve(seed, port, speed, faults):
    from amazon_sandbox.server import SandboxServer

    SandboxServer(
        host="127.0.0.1", port=port, seed=seed, speed=speed, faults=faults
    ).serve_forever()


def start_sandbox(seed, speed=1.0, faults=None):
    """The sandbox in its own process (Amazon's side must not share this process's GIL);
    (process, base URL)."""
    import multiprocessing
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = multiprocessing.get_context("fork").Process(
        target=_serve, args=(seed, port, speed, faults), daemon=True
    )
    process.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        raise RuntimeError("The sandbox did not start.")
    return process, f"http://127.0.0.1:{port}"


def shop(orders, import_since=datetime(2026, 1, 1, tzinfo=UTC)):
    """Account, marketplaces (a channel per currency), a warehouse, a variant per SKU."""
    from saleor.account.models import Address
    from saleor.channel.models import Channel
    from saleor.product.models import Category, Product, ProductType, ProductVariant
    from saleor.shipping.models import ShippingMethod, ShippingZone
    from saleor.tax.models import TaxClass, TaxConfiguration
    from saleor.warehouse.models import Stock, Warehouse

    from amazon_sandbox.demo import DEMO_REFRESH_TOKEN, DEMO_SELLER_ID
    from amazon_sandbox.generate import skus_of
    from saleor_amazon import regions
    from saleor_amazon.models import AmazonAccount, AmazonMarketplace

    tag = uuid.uuid4().hex[:8]
    address = Address.objects.create(
        street_address_1="Bench 1", city="Berlin", postal_code="10115", country="DE"
    )
    warehouse = Warehouse.objects.create(
        name=f"Bench {tag}", slug=f"bench-{tag}", address=address, email="bench@example.com"
    )
    zone = ShippingZone.objects.create(name=f"Bench {tag}", countries=["DE"])
    warehouse.shipping_zones.add(zone)
    method = ShippingMethod.objects.create(name="Amazon", shipping_zone=zone, type="price")
    account = AmazonAccount.objects.create(
        seller_id=DEMO_SELLER_ID, name="Bench", region="EU", refresh_token=DEMO_REFRESH_TOKEN
    )
    channels = {}
    for marketplace_id in {o["salesChannel"]["marketplaceId"] for o in orders}:
        info = regions.marketplace(marketplace_id)
        channel = channels.get(info.currency)
        if channel is None:
            channel = Channel.objects.create(
                name=f"Bench {info.currency} {tag}",
                slug=f"bench-{info.currency.lower()}-{tag}",
                currency_code=info.currency,
                default_country=info.country,
            )
            TaxConfiguration.objects.create(channel=channel)
            warehouse.channels.add(channel)
            zone.channels.add(channel)
            channels[info.currency] = channel
        AmazonMarketplace.objects.create(
            account=account,
            marketplace_id=marketplace_id,
            country=info.country,
            currency=info.currency,
            channel=channel,
            default_warehouse=warehouse,
            is_active=True,
            prices_include_tax=info.prices_include_tax,
            import_since=import_since,
        )
    product_type = ProductType.objects.create(name=f"Bench {tag}", slug=f"bench-{tag}")
    category = Category.objects.create(name=f"Bench {tag}", slug=f"bench-{tag}")
    variants = {}
    for sku in skus_of(orders):
        product = Product.objects.create(
            name=sku, slug=f"{sku.lower()}-{tag}", product_type=product_type, category=category
        )
        variant = ProductVariant.objects.create(product=product, sku=f"{sku}", name=sku)
        Stock.objects.create(warehouse=warehouse, product_variant=variant, quantity=100000)
        variants[sku] = variant.pk
    tax_class = TaxClass.objects.create(name=f"Bench {tag}")
    return account, warehouse, method, variants, tax_class
