"""Benchmark: JSON_LISTINGS_FEED documents for 50,000 variants on two marketplaces.

Creates N products with one variant each (price in two channels, stock in one
warehouse, an ASIN on the offer) and an offer per variant and marketplace, then times
what amazonProductsSend does before each upload, one feed-sized slice at a time: ASINs,
prices and quantities computed in bulk, offer messages built, the outcomes saved on the
offers, the document validated against Amazon's feed schema and serialised. Prints the
time (measured without tracemalloc), the peak of Python allocations (a second pass under
tracemalloc), the process's maximum resident size and the number of database queries of
the measured part.
Everything runs in one transaction that is rolled back: the database is left as it was.

    python bench/bench_feed.py [--variants 50000]
"""

import argparse
import gc
import os
import resource
import time
import tracemalloc
from decimal import Decimal

import django
from common import QueryCounter

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor.settings")
os.environ.setdefault("SECRET_KEY", "saleor-amazon-bench")


class Rollback(Exception):
    pass


def create_shop(n):
    from saleor.channel.models import Channel
    from saleor.product.models import (
        Category,
        Product,
        ProductType,
        ProductVariant,
        ProductVariantChannelListing,
    )
    from saleor.warehouse.models import Stock, Warehouse

    from saleor_amazon import regions
    from saleor_amazon.models import AmazonAccount, AmazonMarketplace, AmazonOffer

    warehouse = Warehouse.objects.create(
        name="Bench", slug="bench-feed-warehouse", email="bench@example.com",
        address=_address(),
    )  # fmt: skip
    product_type = ProductType.objects.create(name="Bench", slug="bench-feed-type")
    category = Category.objects.create(name="Bench", slug="bench-feed-category")
    account = AmazonAccount.objects.create(seller_id="A1BENCHFEED", name="Bench", region="EU")
    markets = []
    for code, currency in (("DE", "EUR"), ("PL", "PLN")):
        channel = Channel.objects.create(
            name=f"Bench {code}", slug=f"bench-feed-{code.lower()}", currency_code=currency,
            default_country=code,
        )  # fmt: skip
        warehouse.channels.add(channel)
        info = regions.MARKETPLACES_BY_CODE[code]
        markets.append(
            AmazonMarketplace.objects.create(
                account=account,
                marketplace_id=info.id,
                country=info.country,
                currency=currency,
                channel=channel,
                is_active=True,
            )
        )
    products = Product.objects.bulk_create(
        Product(name=f"Bench {i}", slug=f"bench-feed-{i}", product_type=product_type,
                category=category)
        for i in range(n)
    )  # fmt: skip
    variants = ProductVariant.objects.bulk_create(
        ProductVariant(product=p, sku=f"BENCH-{i:06d}", name="") for i, p in enumerate(products)
    )
    Stock.objects.bulk_create(
        Stock(warehouse=warehouse, product_variant=v, quantity=1 + i % 50)
        for i, v in enumerate(variants)
    )
    for market in markets:
        ProductVariantChannelListing.objects.bulk_create(
            (
                ProductVariantChannelListing(
                    variant=v, channel=market.channel, currency=market.currency,
                    price_amount=Decimal(10 + i % 90) + Decimal("0.99"),
                )
                for i, v in enumerate(variants)
            ),
            batch_size=5000,
        )  # fmt: skip
        AmazonOffer.objects.bulk_create(
            (
                AmazonOffer(
                    variant=v, account=account, marketplace=market, seller_sku=v.sku,
                    asin=f"B0{i:08d}",
                )
                for i, v in enumerate(variants)
            ),
            batch_size=5000,
        )  # fmt: skip
    return markets


def _address():
    from saleor.account.models import Address

    return Address.objects.create(
        street_address_1="Bench 1", city="Berlin", postal_code="10115", country="DE"
    )


def build(markets):
    """What amazonProductsSend does before each upload, slice by slice as it does."""
    from saleor_amazon.listings import feed, options, send
    from saleor_amazon.listings.send import SendReport, build_slice, slices
    from saleor_amazon.models import AmazonOffer

    totals = {"documents": 0, "messages": 0, "bytes": 0, "save_seconds": 0.0}
    save = send._save

    def timed_save(offers):
        start = time.perf_counter()
        save(offers)
        totals["save_seconds"] += time.perf_counter() - start

    send._save = timed_save
    for market in markets:
        opts = options.for_marketplace(market)
        offers = list(AmazonOffer.objects.filter(marketplace=market).order_by("pk"))
        for part in slices(offers):
            entries = build_slice(None, market, part, opts, SendReport())
            for document in feed.documents("A1BENCHFEED", [e.message for e in entries]):
                totals["bytes"] += len(feed.dumps(document).encode("utf-8"))
                totals["documents"] += 1
            totals["messages"] += len(entries)
    send._save = save
    return totals


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", type=int, default=50_000)
    args = parser.parse_args()
    django.setup()
    from django.db import connection, transaction

    try:
        with transaction.atomic():
            start = time.perf_counter()
            markets = create_shop(args.variants)
            print(f"shop created: {args.variants} variants in {time.perf_counter() - start:.1f} s")
            # Timed without tracemalloc (it slows Python down several times), then the
            # same work again under tracemalloc for the peak of Python allocations.
            counter = QueryCounter()
            gc.collect()
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            start = time.perf_counter()
            with connection.execute_wrapper(counter):
                totals = build(markets)
            elapsed = time.perf_counter() - start
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            gc.collect()
            tracemalloc.start()
            build(markets)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print(
                f"feeds built and validated: {totals['messages']} messages in "
                f"{totals['documents']} documents ({totals['bytes'] / 1e6:.1f} MB of JSON) "
                f"across {len(markets)} marketplaces"
            )
            print(
                f"time: {elapsed:.1f} s, of which {totals['save_seconds']:.1f} s saving the "
                f"outcomes on the {totals['messages']} offers (build and validate: "
                f"{elapsed - totals['save_seconds']:.1f} s)"
            )
            print(f"peak memory of the build: {peak / 1e6:.0f} MB Python allocations")
            print(
                f"process max RSS: {rss:.0f} MB after the build "
                f"({rss_before:.0f} MB before it, holding the created shop)"
            )
            print(f"database queries: {counter.count}")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
