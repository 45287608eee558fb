"""``manage.py amazon_demo --sandbox-url URL``: wire a demo shop to the local sandbox."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Development only: point the Amazon plugin at a local sandbox, create demo "
        "channels, warehouse and products matching the sandbox's seller SKUs, connect the "
        "sandbox's demo seller and import its orders once. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sandbox-url", required=True, help="e.g. http://127.0.0.1:8100")
        parser.add_argument(
            "--no-import", action="store_true", help="do not import orders now (beat will)"
        )

    def handle(self, *args, **options):
        from saleor_amazon import demo
        from saleor_amazon.sandbox.generate import SKU_POOL, local_price

        def _price(item, currency):
            return local_price(item.price_eur, currency)

        demo.configure_plugin(options["sandbox_url"])
        warehouse, channels, created = demo.prepare_shop(SKU_POOL, _price)
        self.stdout.write(
            f"Demo shop: {len(channels)} channels, warehouse {warehouse.slug}, "
            f"{created} products created."
        )
        try:
            account = demo.connect_demo_account(warehouse, channels)
        except Exception as exc:
            raise CommandError(f"Cannot connect the sandbox demo seller: {exc}") from exc
        self.stdout.write(f"Connected {account} to {options['sandbox_url']}.")
        if options["no_import"]:
            return
        from saleor_amazon.orders.importer import import_orders

        summary = import_orders(account)
        self.stdout.write(f"Imported: {summary}")
