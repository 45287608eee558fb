"""Benchmark: Amazon orders imported through the plugin vs. Saleor's own orderBulkCreate.

Generates N sandbox orders (mixed marketplaces, FBM/FBA, 1 to 5 lines), serves them from
the local sandbox (in its own process) over HTTP, imports them with ``import_orders``
(fetch, store the Amazon order, map, create the Saleor order), then creates the same
orders (already mapped) through Saleor's GraphQL ``orderBulkCreate`` in batches of 50.
Prints orders per second, database queries per order and memory for both, and the ratio.
Timings are taken without tracemalloc; ``--trace-memory`` adds the peak of Python
allocations (and slows both sides). It runs on a throwaway, freshly migrated database
(a copy of a migrated template kept beside DATABASE_URL's database), dropped at the end,
so it works whatever state the development database is in. ``--profile`` prints the
import's hot spots (``BENCH_CALLERS``/``BENCH_CALLEES`` name a function whose
callers/callees to print).

    python bench/bench_import.py [--orders 2000] [--profile] [--trace-memory]
"""

import argparse
import cProfile
import gc
import json
import os
import pstats
import resource
import sys
import time
import tracemalloc
import uuid
from datetime import UTC, datetime

import django
from common import QueryCounter, on_fresh_database, shop, start_sandbox

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor.settings")
os.environ.setdefault("SECRET_KEY", "saleor-amazon-bench")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1")


def measure(label, fn, orders, trace_memory=False):
    """Run ``fn`` once: orders per second, queries per order and memory.

    Timed without tracemalloc unless asked (it slows Python down several times); memory is
    then the growth of the process's peak resident size during the run.
    """
    from django.db import connection

    counter = QueryCounter()
    gc.collect()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace_memory:
        tracemalloc.start()
    start = time.perf_counter()
    with connection.execute_wrapper(counter):
        result = fn()
    elapsed = time.perf_counter() - start
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    memory = f"   peak RSS {rss_after / 1024:5.0f} MiB (+{(rss_after - rss_before) / 1024:.0f})"
    if trace_memory:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        memory += f", peak Python allocations {peak / 2**20:.1f} MiB (timing slowed)"
    print(
        f"{label:<24} {orders / elapsed:7.1f} orders/s   {counter.count / orders:5.1f} "
        f"queries/order{memory}   ({elapsed:.1f} s)"
    )
    return orders / elapsed, result


# Amazon's searchOrders allows a burst of 20 calls, then one every three minutes: a
# 2,000-order import over nine marketplaces needs more calls than the burst. The sandbox's
# clock (and the plugin's limiter with it) runs this much faster, so Amazon's waits are not
# counted as the plugin's time.
SANDBOX_SPEED = 1000


def bulk_create_input(order_input, channel_slug, warehouse_id, method_id, variant_ids, tax_class):
    """The same (mapped) Amazon order as Saleor's orderBulkCreate input.

    Lines name their variant by global ID: Saleor 3.23's bulk import stores the variants it
    prefetched by SKU under the key it uses for IDs, so ``variantSku`` never resolves. The
    tax classes are given because the bulk import requires them on lines and delivery.
    """

    def money(amount):
        return {"gross": str(amount.gross), "net": str(amount.net)}

    address = order_input.address or {
        "first_name": "Amazon", "last_name": "Buyer", "street_address_1": "-", "city": "-",
        "postal_code": "", "country": "DE", "country_area": "", "city_area": "",
        "company_name": "", "street_address_2": "", "phone": "",
    }  # fmt: skip
    address_input = {
        "firstName": address["first_name"],
        "lastName": address["last_name"],
        "companyName": address["company_name"],
        "streetAddress1": address["street_address_1"],
        "streetAddress2": address["street_address_2"],
        "city": address["city"],
        "cityArea": address["city_area"],
        "postalCode": address["postal_code"],
        "country": address["country"],
        "countryArea": address["country_area"],
    }
    created = (order_input.purchase_date or datetime.now(UTC)).isoformat()
    return {
        "externalReference": f"bulk-{order_input.amazon_order_id}",
        "channel": channel_slug,
        "createdAt": created,
        "status": "UNFULFILLED",
        "user": {"email": order_input.buyer_email or "buyer@example.com"},
        "billingAddress": address_input,
        "shippingAddress": address_input,
        "currency": order_input.currency,
        "languageCode": "EN",
        "lines": [
            {
                "variantId": variant_ids[line.seller_sku],
                "productName": line.title,
                "createdAt": created,
                "isShippingRequired": True,
                "isGiftCard": False,
                "quantity": line.quantity,
                "totalPrice": money(line.total),
                "undiscountedTotalPrice": money(line.undiscounted_total),
                "taxRate": str(line.tax_rate),
                "warehouse": warehouse_id,
                "taxClassId": tax_class,
            }
            for line in order_input.lines
            if line.quantity
        ],
        "deliveryMethod": {
            "shippingMethodId": method_id,
            "shippingMethodName": f"Amazon {order_input.service_level or 'Standard'}",
            "shippingPrice": money(order_input.shipping),
            "shippingTaxRate": str(order_input.shipping.rate()),
            "shippingTaxClassId": tax_class,
        },
        "transactions": [
            {
                "name": "Amazon",
                "pspReference": order_input.amazon_order_id,
                "amountCharged": {
                    "amount": str(order_input.total.gross),
                    "currency": order_input.currency,
                },
            }
        ],
    }


MUTATION = """
mutation Bulk($orders: [OrderBulkCreateInput!]!) {
  orderBulkCreate(orders: $orders, errorPolicy: REJECT_FAILED_ROWS, stockUpdatePolicy: SKIP) {
    count
    results { errors { path message code } }
  }
}
"""


def run_bulk_create(inputs):
    from django.test import Client
    from saleor.app.models import App, AppToken
    from saleor.permission.models import Permission

    app = App.objects.create(name="Bench importer", is_active=True)
    app.permissions.add(Permission.objects.get(codename="manage_orders_import"))
    _, token = AppToken.objects.create(app=app, name="bench")
    client = Client(HTTP_HOST="localhost")
    created, errors = 0, []
    for start in range(0, len(inputs), 50):
        response = client.post(
            "/graphql/",
            data=json.dumps(
                {"query": MUTATION, "variables": {"orders": inputs[start : start + 50]}}
            ),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        body = response.json()
        if "errors" in body:
            raise RuntimeError(body["errors"])
        payload = body["data"]["orderBulkCreate"]
        created += payload["count"]
        errors += [e for r in payload["results"] for e in r["errors"]]
    return created, errors


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--seed", default="bench")
    parser.add_argument("--profile", action="store_true", help="print the import's hot spots")
    parser.add_argument(
        "--trace-memory",
        action="store_true",
        help="also trace Python allocations (slows both sides down several times)",
    )
    args = parser.parse_args(argv)

    return on_fresh_database("bench", run, args)


def run(args):
    django.setup()

    from amazon_sandbox.generate import generate_orders, seed_document
    from saleor_amazon.orders.importer import import_orders
    from saleor_amazon.orders.mapping import map_order
    from saleor_amazon.regions import marketplace as marketplace_info
    from saleor_amazon.spapi import AmazonClient, Credentials
    from saleor_amazon.spapi.limits import RateLimiter

    orders = generate_orders(
        args.orders,
        seed=args.seed,
        marketplaces=["DE", "FR", "IT", "ES", "GB", "NL", "PL", "SE", "US"],
    )
    lines = sum(len(o["orderItems"]) for o in orders)
    fba = sum(o["fulfillment"]["fulfilledBy"] == "AMAZON" for o in orders)
    print(
        f"{len(orders)} generated orders, {lines / len(orders):.2f} lines per order, "
        f"{fba} fulfilled by Amazon"
    )
    from amazon_sandbox.demo import DEMO_REFRESH_TOKEN, DEMO_SELLER_ID

    seed = seed_document(orders, seller_id=DEMO_SELLER_ID, refresh_token=DEMO_REFRESH_TOKEN)
    sandbox, sandbox_url = start_sandbox(seed, speed=SANDBOX_SPEED)
    limiter = RateLimiter(prefix=f"bench:{uuid.uuid4().hex}", speed=SANDBOX_SPEED)
    try:
        account, warehouse, method, variants, tax_class = shop(orders)
        client = AmazonClient(
            Credentials("bench", "bench", DEMO_REFRESH_TOKEN, "EU", DEMO_SELLER_ID),
            endpoint=sandbox_url,
            lwa_endpoint=f"{sandbox_url}/auth/o2/token",
            limiter=limiter,
        )
        profiler = cProfile.Profile() if args.profile else None

        def plugin_import():
            if profiler:
                profiler.enable()
            try:
                return import_orders(account, client=client)
            finally:
                if profiler:
                    profiler.disable()

        plugin_rate, summary = measure(
            "plugin import_orders", plugin_import, len(orders), trace_memory=args.trace_memory
        )
        print(f"  {summary}  (fetched over HTTP from the sandbox, stored, mapped, created)")
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
            if os.environ.get("BENCH_CALLERS"):
                pstats.Stats(profiler).print_callers(os.environ["BENCH_CALLERS"])
            if os.environ.get("BENCH_CALLEES"):
                pstats.Stats(profiler).print_callees(os.environ["BENCH_CALLEES"])

        converted = [
            map_order(o, marketplace_info(o["salesChannel"]["marketplaceId"]).prices_include_tax)
            for o in orders
            if o["fulfillment"]["fulfillmentStatus"]
            in ("UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED")
        ]
        slugs = {m.currency: m.channel.slug for m in account.marketplaces.select_related("channel")}
        import graphene

        warehouse_id = graphene.Node.to_global_id("Warehouse", warehouse.pk)
        method_id = graphene.Node.to_global_id("ShippingMethod", method.pk)
        variant_ids = {
            sku: graphene.Node.to_global_id("ProductVariant", pk) for sku, pk in variants.items()
        }
        tax_class_id = graphene.Node.to_global_id("TaxClass", tax_class.pk)
        inputs = [
            bulk_create_input(
                o, slugs[o.currency], warehouse_id, method_id, variant_ids, tax_class_id
            )
            for o in converted
        ]
        bulk_rate, (created, errors) = measure(
            "Saleor orderBulkCreate",
            lambda: run_bulk_create(inputs),
            len(inputs),
            trace_memory=args.trace_memory,
        )
        print(f"  created {created}, rows with errors {len(errors)}")
        if errors:
            print(f"  first errors: {errors[:3]}")
        if created:
            print(f"ratio plugin / orderBulkCreate: {plugin_rate / bulk_rate:.1f}x")
        else:
            print("orderBulkCreate created nothing: no ratio (see the errors above)")
    finally:
        limiter.clear()
        sandbox.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
