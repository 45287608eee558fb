"""The demo seller served when no seed is given."""

from datetime import timedelta

from . import generate, marketplaces

DEMO_SELLER_ID = "A2SANDBOXDEMO1"
DEMO_REFRESH_TOKEN = "Atzr|sandbox-demo"  # noqa: S105 - a well-known sandbox value
DEMO_ORDER_COUNT = 12


def demo_seed(now):
    """One seller in the EU and NA marketplaces with a handful of recent orders (created
    over the day before ``now``), and a catalog and FBA inventory of the generator's SKU
    pool."""
    start = (now - timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    orders = generate.generate_orders(
        DEMO_ORDER_COUNT,
        seed="demo",
        start=start,
        spacing_minutes=90,
        until=now - timedelta(minutes=3),  # every order searchable at once
    )
    return {
        "sellerId": DEMO_SELLER_ID,
        "refreshToken": DEMO_REFRESH_TOKEN,
        "storeName": "Sandbox Demo Store",
        "marketplaces": list(marketplaces.DEMO_MARKETPLACE_IDS),
        "orders": orders,
        "catalog": generate.catalog_items(),
        "inventory": generate.inventory_summaries(start),
    }
