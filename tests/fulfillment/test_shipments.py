"""Saleor fulfilments of Amazon orders are confirmed to the sandbox over HTTP."""

from datetime import timedelta

from django.utils import timezone
from saleor.order import OrderStatus

from saleor_amazon import conf
from saleor_amazon.fulfillment import shipments
from saleor_amazon.fulfillment.models import AmazonShipment, ShipmentState
from saleor_amazon.models import FulfillmentStatus
from saleor_amazon.orders.importer import import_orders


def _items(amazon):
    return {i.order_line_id: i for i in amazon.items.all()}


def test_a_fulfilment_with_tracking_is_confirmed_as_one_package(
    amazon_sandbox, amazon_orders, fulfil, sandbox_account, sandbox_client
):
    (amazon,) = amazon_orders(1, seed="single")
    order = amazon.saleor_order
    order.shipping_method_name = "DHL Paket"
    order.save(update_fields=["shipping_method_name"])

    fulfillment = fulfil(order, tracking="00340434161094042557")

    shipment = AmazonShipment.objects.get(fulfillment=fulfillment)
    assert shipment.state == ShipmentState.CONFIRMED, shipment.error
    (received,) = amazon_sandbox.received("confirmations")
    assert received["orderId"] == amazon.amazon_order_id
    assert received["body"]["marketplaceId"] == amazon.amazon_marketplace_id
    detail = received["body"]["packageDetail"]
    assert detail["packageReferenceId"] == str(fulfillment.pk)
    assert detail["carrierCode"] == "DHL"
    assert "carrierName" not in detail
    assert detail["trackingNumber"] == "00340434161094042557"
    assert detail["shipDate"] == shipments.iso(fulfillment.created_at)
    expected = {i.order_item_id: i.quantity_ordered for i in amazon.items.all()}
    assert {i["orderItemId"]: i["quantity"] for i in detail["orderItems"]} == expected
    assert (
        amazon_sandbox.order(amazon.amazon_order_id)["fulfillment"]["fulfillmentStatus"]
        == "SHIPPED"
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.FULFILLED

    # The next import sees Amazon's SHIPPED.
    amazon_sandbox.advance(300)
    import_orders(sandbox_account, client=sandbox_client(sandbox_account))
    amazon.refresh_from_db()
    assert amazon.status == FulfillmentStatus.SHIPPED


def test_partial_shipments_are_separate_packages(amazon_sandbox, amazon_orders, fulfil):
    (amazon,) = amazon_orders(1, seed="partial-3")
    order = amazon.saleor_order
    lines = list(order.lines.order_by("pk"))
    items = _items(amazon)
    total_units = sum(line.quantity for line in lines)
    assert total_units >= 2, "the generated order needs two units"
    first_line = lines[0]
    first = {first_line: 1}

    one = fulfil(order, first, tracking="1Z999AA10123456784")
    assert (
        amazon_sandbox.order(amazon.amazon_order_id)["fulfillment"]["fulfillmentStatus"]
        == "PARTIALLY_SHIPPED"
    )
    two = fulfil(order, tracking="1Z999AA10123456785")

    assert one.pk != two.pk
    confirmations = amazon_sandbox.received("confirmations")
    assert [c["body"]["packageDetail"]["packageReferenceId"] for c in confirmations] == [
        str(one.pk),
        str(two.pk),
    ]
    assert confirmations[0]["body"]["packageDetail"]["orderItems"] == [
        {"orderItemId": items[first_line.pk].order_item_id, "quantity": 1}
    ]
    shipped = {}
    for confirmation in confirmations:
        for item in confirmation["body"]["packageDetail"]["orderItems"]:
            shipped[item["orderItemId"]] = shipped.get(item["orderItemId"], 0) + item["quantity"]
    assert shipped == {i.order_item_id: i.quantity_ordered for i in amazon.items.all()}
    assert (
        amazon_sandbox.order(amazon.amazon_order_id)["fulfillment"]["fulfillmentStatus"]
        == "SHIPPED"
    )
    assert set(AmazonShipment.objects.values_list("state", flat=True)) == {"confirmed"}


def test_without_tracking_it_waits_for_the_tracking_number(
    amazon_sandbox, amazon_orders, fulfil, update_tracking
):
    (amazon,) = amazon_orders(1, seed="wait")
    fulfillment = fulfil(amazon.saleor_order)

    shipment = AmazonShipment.objects.get(fulfillment=fulfillment)
    assert shipment.state == ShipmentState.WAITING_FOR_TRACKING
    assert shipment.wait_for_tracking_until > timezone.now() + timedelta(minutes=100)
    assert amazon_sandbox.received("confirmations") == []

    update_tracking(fulfillment, "https://www.dhl.de/de/privatkunden.html?piececode=00340434")

    shipment.refresh_from_db()
    assert shipment.state == ShipmentState.CONFIRMED, shipment.error
    (received,) = amazon_sandbox.received("confirmations")
    detail = received["body"]["packageDetail"]
    assert (detail["trackingNumber"], detail["carrierCode"]) == ("00340434", "DHL")


def test_after_the_wait_it_is_not_confirmed_unless_allowed(
    amazon_sandbox, amazon_orders, fulfil, plugin_config
):
    (amazon,) = amazon_orders(1, seed="no-tracking")
    fulfillment = fulfil(amazon.saleor_order)

    shipments.process_due(now=timezone.now() + timedelta(hours=3))

    shipment = AmazonShipment.objects.get(fulfillment=fulfillment)
    assert shipment.state == ShipmentState.WAITING_FOR_TRACKING
    assert "not allowed" in shipment.error
    assert amazon_sandbox.received("confirmations") == []
    assert amazon_sandbox.received("feeds") == []


def test_after_the_wait_it_is_confirmed_without_tracking_when_allowed(
    amazon_sandbox, amazon_orders, fulfil, plugin_config, sandbox_client
):
    plugin_config(**{conf.CONFIRM_WITHOUT_TRACKING: True, conf.TRACKING_WAIT: "0"})
    (amazon,) = amazon_orders(1, seed="no-tracking-ok")
    order = amazon.saleor_order
    order.shipping_method_name = "Kurier Spedition Nord"
    order.save(update_fields=["shipping_method_name"])

    fulfillment = fulfil(order)

    shipment = AmazonShipment.objects.get(fulfillment=fulfillment)
    assert shipment.state == ShipmentState.SUBMITTED, shipment.error
    (feed,) = amazon_sandbox.received("feeds")
    assert feed["feedType"] == "POST_ORDER_FULFILLMENT_DATA"
    content = feed["content"]
    assert f"<AmazonOrderID>{amazon.amazon_order_id}</AmazonOrderID>" in content
    assert f"<MerchantFulfillmentID>{fulfillment.pk}</MerchantFulfillmentID>" in content
    assert "<CarrierName>Kurier Spedition Nord</CarrierName>" in content
    assert "ShipperTrackingNumber" not in content
    for item in amazon.items.all():
        assert f"<AmazonOrderItemCode>{item.order_item_id}</AmazonOrderItemCode>" in content

    amazon_sandbox.advance(60)
    shipments.process_due()
    shipment.refresh_from_db()
    assert shipment.state == ShipmentState.CONFIRMED, shipment.error
    # Amazon applied the feed: the package is shipped, and the next import says so.
    (confirmation,) = amazon_sandbox.received("confirmations")
    assert confirmation["source"] == "feed"
    assert confirmation["orderId"] == amazon.amazon_order_id
    amazon_sandbox.advance(300)
    import_orders(amazon.account, client=sandbox_client(amazon.account))
    amazon.refresh_from_db()
    assert amazon.status == "SHIPPED"
    assert all(i.quantity_shipped == i.quantity_ordered for i in amazon.items.all())


def test_a_fulfilment_feed_amazon_refuses_fails_with_its_reason(
    amazon_sandbox, amazon_orders, fulfil, plugin_config
):
    plugin_config(**{conf.CONFIRM_WITHOUT_TRACKING: True, conf.TRACKING_WAIT: "0"})
    (amazon,) = amazon_orders(1, seed="no-tracking-refused")
    fulfillment = fulfil(amazon.saleor_order)
    shipment = AmazonShipment.objects.get(fulfillment=fulfillment)
    assert shipment.state == ShipmentState.SUBMITTED, shipment.error
    # The buyer cancelled before Amazon processed the feed.
    amazon_sandbox.set_order_status(amazon.amazon_order_id, "CANCELLED", cancelledBy="BUYER")

    amazon_sandbox.advance(60)
    shipments.process_due()

    shipment.refresh_from_db()
    assert shipment.state == ShipmentState.FAILED
    assert "CANCELLED" in shipment.error
    assert amazon_sandbox.received("confirmations") == []


def test_unknown_carrier_goes_as_other_with_its_name(amazon_sandbox, amazon_orders, fulfil):
    (amazon,) = amazon_orders(1, seed="other")
    order = amazon.saleor_order
    order.shipping_method_name = "Spedition Müller"
    order.save(update_fields=["shipping_method_name"])

    fulfil(order, tracking="SM-4711")

    detail = amazon_sandbox.received("confirmations")[0]["body"]["packageDetail"]
    assert detail["carrierCode"] == "Other"
    assert detail["carrierName"] == "Spedition Müller"
    assert detail["shippingMethod"] == "Spedition Müller"


def test_configured_carrier_rules_win(amazon_sandbox, amazon_orders, fulfil, plugin_config):
    plugin_config(**{conf.CARRIER_MAPPING: "Müller = Other | Müller Logistik\nexpress = UPS"})
    (amazon,) = amazon_orders(1, seed="rules")
    order = amazon.saleor_order
    order.shipping_method_name = "DHL Express via Müller"
    order.save(update_fields=["shipping_method_name"])

    fulfil(order, tracking="ML-1")

    detail = amazon_sandbox.received("confirmations")[0]["body"]["packageDetail"]
    assert (detail["carrierCode"], detail["carrierName"]) == ("Other", "Müller Logistik")
