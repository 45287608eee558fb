"""``python -m amazon_demo --sandbox-url URL``: wire a demo shop to the local sandbox.

Development only: points the Amazon plugin at a local sandbox, creates demo channels, a
warehouse and products matching the sandbox's seller SKUs, connects the sandbox's demo
seller and imports its orders once. Safe to run again. Runs with Saleor's settings
(``DJANGO_SETTINGS_MODULE``, default ``saleor.settings``) and Saleor's DATABASE_URL.
"""

import argparse
import os
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sandbox-url", required=True, help="e.g. http://127.0.0.1:8100")
    parser.add_argument(
        "--no-import", action="store_true", help="do not import orders now (beat will)"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor.settings")
    import django

    django.setup()
    from amazon_sandbox.generate import SKU_POOL, local_price
    from saleor_amazon.orders.importer import import_orders

    from . import shop

    shop.configure_plugin(args.sandbox_url)
    warehouse, channels, created = shop.prepare_shop(
        SKU_POOL, lambda item, currency: local_price(item.price_eur, currency)
    )
    print(
        f"Demo shop: {len(channels)} channels, warehouse {warehouse.slug}, "
        f"{created} products created."
    )
    try:
        account = shop.connect_demo_account(warehouse, channels)
    except Exception as exc:
        print(f"Cannot connect the sandbox demo seller: {exc}", file=sys.stderr)
        return 1
    print(f"Connected {account} to {args.sandbox_url}.")
    if not args.no_import:
        print(f"Imported: {import_orders(account)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
