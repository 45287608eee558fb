"""Cancelling Amazon orders from Saleor: the acknowledgement feed before shipment, a
stored refusal after it, single removed lines, and the optional acknowledgement."""

import graphene
import pytest
from saleor.graphql.tests.utils import get_graphql_content
from saleor.order import OrderStatus
from saleor.order.actions import cancel_order
from saleor.plugins.manager import get_plugins_manager

from saleor_amazon import conf
from saleor_amazon.fulfillment import cancellation
from saleor_amazon.fulfillment.models import (
    AmazonAcknowledgement,
    AmazonCancellation,
    FeedRecordState,
)
from saleor_amazon.models import FulfillmentStatus
from saleor_amazon.orders.importer import import_orders
from saleor_amazon.tasks.fulfillment import process_fulfillment_task


@pytest.fixture
def cancel(site_settings, django_capture_on_commit_callbacks):
    def run(order):
        with django_capture_on_commit_callbacks(execute=True):
            cancel_order(
                order=order,
                user=None,
                app=None,
                manager=get_plugins_manager(allow_replica=False),
                site_settings=site_settings,
            )

    return run


def test_cancelling_before_shipment_cancels_on_amazon(
    amazon_sandbox, amazon_orders, cancel, sandbox_account, sandbox_client, plugin_config
):
    plugin_config(**{conf.CANCEL_REASON: "ShippingAddressUndeliverable"})
    (amazon,) = amazon_orders(1, seed="cancel")

    cancel(amazon.saleor_order)

    record = AmazonCancellation.objects.get(amazon_order=amazon)
    assert record.state == FeedRecordState.SUBMITTED, record.message
    (feed,) = amazon_sandbox.received("feeds")
    assert feed["feedType"] == "POST_ORDER_ACKNOWLEDGEMENT_DATA"
    assert "<StatusCode>Failure</StatusCode>" in feed["content"]
    amazon_sandbox.advance(60)
    assert cancellation.check_submitted() == 1
    record.refresh_from_db()
    assert record.state == FeedRecordState.DONE, record.message
    (cancelled,) = amazon_sandbox.received("cancellations")
    assert cancelled["orderId"] == amazon.amazon_order_id
    assert {i["orderItemId"] for i in cancelled["items"]} == set(
        amazon.items.values_list("order_item_id", flat=True)
    )
    assert {i["cancelReason"] for i in cancelled["items"]} == {"ShippingAddressUndeliverable"}
    assert (
        amazon_sandbox.order(amazon.amazon_order_id)["fulfillment"]["fulfillmentStatus"]
        == "CANCELLED"
    )

    # Amazon's CANCELLED comes back with the next import: nothing is sent again.
    amazon_sandbox.advance(300)
    import_orders(sandbox_account, client=sandbox_client(sandbox_account))
    amazon.refresh_from_db()
    assert amazon.status == FulfillmentStatus.CANCELLED
    assert AmazonCancellation.objects.count() == 1
    assert len(amazon_sandbox.received("feeds")) == 1


def test_cancelling_after_a_shipment_is_refused_with_a_reason(
    amazon_sandbox, amazon_orders, fulfil, cancel
):
    (amazon,) = amazon_orders(1, seed="cancel-shipped")
    fulfil(amazon.saleor_order, tracking="JJD2000")
    assert len(amazon_sandbox.received("confirmations")) == 1

    cancel(amazon.saleor_order)

    record = AmazonCancellation.objects.get(amazon_order=amazon)
    assert record.state == FeedRecordState.REFUSED
    assert "use a return" in record.message
    assert "cannot be undone" in record.message
    assert amazon_sandbox.received("feeds") == []
    assert amazon_sandbox.received("cancellations") == []


def test_an_order_amazon_cancelled_is_not_cancelled_back(
    amazon_sandbox, amazon_orders, sandbox_account, sandbox_client
):
    (amazon,) = amazon_orders(1, seed="amazon-cancels")
    amazon_sandbox.set_order_status(
        amazon.amazon_order_id, "CANCELLED", cancelledBy="BUYER", reason="changed mind"
    )
    amazon_sandbox.advance(300)

    import_orders(sandbox_account, client=sandbox_client(sandbox_account))

    amazon.refresh_from_db()
    assert amazon.saleor_order.status == OrderStatus.CANCELED  # the import cancelled it
    assert not AmazonCancellation.objects.exists()
    assert amazon_sandbox.received("feeds") == []


ORDER_LINE_DELETE = """
mutation ($id: ID!) { orderLineDelete(id: $id) { errors { field code message } } }
"""


def test_removing_a_line_before_shipment_cancels_that_item(
    amazon_sandbox,
    amazon_orders,
    staff_api_client,
    permission_group_manage_orders,
    django_capture_on_commit_callbacks,
):
    stored = amazon_orders(6, seed="lines")
    amazon = next(a for a in stored if a.items.count() >= 2)
    order = amazon.saleor_order
    order.status = OrderStatus.UNCONFIRMED  # Saleor edits lines of unconfirmed orders
    order.save(update_fields=["status"])
    removed = amazon.items.order_by("pk").last()
    permission_group_manage_orders.user_set.add(staff_api_client.user)

    with django_capture_on_commit_callbacks(execute=True):
        content = get_graphql_content(
            staff_api_client.post_graphql(
                ORDER_LINE_DELETE,
                {"id": graphene.Node.to_global_id("OrderLine", removed.order_line_id)},
            )
        )
    assert content["data"]["orderLineDelete"]["errors"] == []

    record = AmazonCancellation.objects.get(amazon_order=amazon)
    assert record.items == [{"orderItemId": removed.order_item_id, "reason": "NoInventory"}]
    assert record.state == FeedRecordState.SUBMITTED, record.message
    amazon_sandbox.advance(60)
    cancellation.check_submitted()
    (cancelled,) = amazon_sandbox.received("cancellations")
    assert cancelled["items"] == [
        {"orderItemId": removed.order_item_id, "cancelReason": "NoInventory"}
    ]
    # One item of several: Amazon keeps the order open.
    assert (
        amazon_sandbox.order(amazon.amazon_order_id)["fulfillment"]["fulfillmentStatus"]
        == "UNSHIPPED"
    )


def test_acknowledgement_is_off_by_default(amazon_sandbox, amazon_orders):
    amazon_orders(1, seed="no-ack")

    process_fulfillment_task()

    assert not AmazonAcknowledgement.objects.exists()
    assert amazon_sandbox.received("feeds") == []


def test_acknowledgement_sends_the_saleor_order_number(
    amazon_sandbox, amazon_orders, plugin_config
):
    plugin_config(**{conf.ACKNOWLEDGE_ORDERS: True})
    stored = amazon_orders(2, seed="ack")

    process_fulfillment_task()
    process_fulfillment_task()  # nothing twice

    (feed,) = amazon_sandbox.received("feeds")
    assert feed["feedType"] == "POST_ORDER_ACKNOWLEDGEMENT_DATA"
    for amazon in stored:
        assert f"<AmazonOrderID>{amazon.amazon_order_id}</AmazonOrderID>" in feed["content"]
        number = amazon.saleor_order.number
        assert f"<MerchantOrderID>{number}</MerchantOrderID>" in feed["content"]
    assert "<StatusCode>Success</StatusCode>" in feed["content"]
    amazon_sandbox.advance(60)
    process_fulfillment_task()
    assert set(AmazonAcknowledgement.objects.values_list("state", flat=True)) == {"done"}
    assert amazon_sandbox.received("cancellations") == []
