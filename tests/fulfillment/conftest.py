"""Amazon orders imported from the sandbox as Saleor orders, ready to be fulfilled."""

import pytest
from saleor.order.actions import create_fulfillments, fulfillment_tracking_updated
from saleor.plugins.manager import get_plugins_manager

from amazon_sandbox.generate import generate_orders
from saleor_amazon import conf
from saleor_amazon.models import AmazonOrder
from saleor_amazon.orders.importer import import_orders
from tests.orders.conftest import (  # noqa: F401 - fixtures shared with the import tests
    isolated_limiter,
    marketplace_for,
    sandbox_account,
    sandbox_client,
    sandbox_shop,
    variant_for,
)


@pytest.fixture
def plugin_config(amazon_plugin_configuration):
    """``plugin_config(**{conf.NAME: value})``: change the stored plugin configuration."""

    def set_values(**values):
        items = {i["name"]: i for i in amazon_plugin_configuration.configuration}
        for name, value in values.items():
            items[name] = {"name": name, "value": value}
        amazon_plugin_configuration.configuration = list(items.values())
        amazon_plugin_configuration.save()
        return conf.load()

    return set_values


@pytest.fixture
def amazon_orders(amazon_sandbox, sandbox_account, sandbox_shop, sandbox_client):  # noqa: F811
    """``amazon_orders(n, seed, **generate_options)``: generated orders in the sandbox,
    imported through the plugin; the stored AmazonOrders (with Saleor orders when
    converted), in generation order."""

    def make(n=1, seed="ship", marketplaces=("DE",), **options):
        options.setdefault("statuses", ["UNSHIPPED"])
        options.setdefault("fulfilled_by", "MERCHANT")
        orders = generate_orders(n, seed=seed, marketplaces=list(marketplaces), **options)
        sandbox_shop(orders)
        import_orders(sandbox_account, client=sandbox_client(sandbox_account))
        stored = {
            a.amazon_order_id: a
            for a in AmazonOrder.objects.select_related("saleor_order", "account")
        }
        return [stored[o["orderId"]] for o in orders]

    return make


@pytest.fixture
def fulfil(site_settings, warehouse, django_capture_on_commit_callbacks):
    """``fulfil(order, {line: quantity} or None for everything, tracking="")``: Saleor's
    own create_fulfillments with the real plugin manager (hooks fire after commit)."""

    def make(order, quantities=None, tracking="", approved=True):
        lines = list(order.lines.order_by("pk"))
        quantities = quantities or {line: line.quantity_unfulfilled for line in lines}
        manager = get_plugins_manager(allow_replica=False)
        with django_capture_on_commit_callbacks(execute=True):
            fulfillments = create_fulfillments(
                None,
                None,
                order,
                {
                    warehouse.pk: [
                        {"order_line": line, "quantity": quantity}
                        for line, quantity in quantities.items()
                        if quantity
                    ]
                },
                manager,
                site_settings,
                tracking_number=tracking,
                auto_approved=approved,
                allow_stock_to_be_exceeded=True,
            )
        return fulfillments[0]

    return make


@pytest.fixture
def update_tracking(django_capture_on_commit_callbacks):
    def update(fulfillment, tracking):
        fulfillment.tracking_number = tracking
        fulfillment.save(update_fields=["tracking_number"])
        with django_capture_on_commit_callbacks(execute=True):
            fulfillment_tracking_updated(
                fulfillment, None, None, tracking, get_plugins_manager(allow_replica=False)
            )

    return update
