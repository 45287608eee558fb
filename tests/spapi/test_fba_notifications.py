"""FBA (outbound fulfilment 2020-07-01, inventory summaries) and Notifications through
spapi/ against the sandbox over HTTP."""

import pytest

from amazon_sandbox.generate import SKU_POOL

pytestmark = pytest.mark.sandbox

DE = "A1PA6795UKMFR9"
ADDRESS = {
    "name": "Zofia Wójcik",
    "addressLine1": "Große Straße 5",
    "city": "Köln",
    "postalCode": "50667",
    "countryCode": "DE",
}


def items(*skus):
    return [
        {"sellerSku": sku.sku, "sellerFulfillmentOrderItemId": f"line-{i}", "quantity": 1}
        for i, sku in enumerate(skus, 1)
    ]


def test_fulfillment_preview_create_get_cancel(amazon_sandbox, client):
    sku = SKU_POOL[0]
    preview = client.get_fulfillment_preview(
        {"marketplaceId": DE, "address": ADDRESS, "items": items(sku)}
    )
    assert preview["fulfillmentPreviews"]

    order_id = "saleor-order-1001"
    created = client.create_fulfillment_order(
        {
            "marketplaceId": DE,
            "sellerFulfillmentOrderId": order_id,
            "displayableOrderId": "1001",
            "displayableOrderDate": "2026-11-20T10:00:00Z",
            "displayableOrderComment": "Danke für Ihre Bestellung",
            "shippingSpeedCategory": "Standard",
            "destinationAddress": ADDRESS,
            "items": items(sku),
        }
    )
    assert created == {}  # Amazon answers createFulfillmentOrder with an empty payload
    got = client.get_fulfillment_order(order_id)
    assert got["fulfillmentOrder"]["sellerFulfillmentOrderId"] == order_id
    assert got["fulfillmentOrder"]["destinationAddress"]["city"] == "Köln"
    assert [i["sellerSku"] for i in got["fulfillmentOrderItems"]] == [sku.sku]

    assert client.cancel_fulfillment_order(order_id) is None
    status = client.get_fulfillment_order(order_id)["fulfillmentOrder"]["fulfillmentOrderStatus"]
    assert status == "Cancelled"


def test_inventory_summaries_pages(amazon_sandbox, client):
    skus = [sku.sku for sku in SKU_POOL[:3]]
    summaries = [
        s for page in client.iter_inventory_summaries(DE, seller_skus=skus) for s in page.items
    ]
    assert sorted(s["sellerSku"] for s in summaries) == sorted(skus)
    assert all("inventoryDetails" in s for s in summaries)
    everything = [s for page in client.iter_inventory_summaries(DE) for s in page.items]
    assert {s["sellerSku"] for s in everything} >= set(skus)


def test_notification_destination_and_subscription(amazon_sandbox, client):
    arn = "arn:aws:sqs:eu-west-1:123456789012:saleor-amazon"
    destination = client.create_destination("saleor-amazon", arn=arn)
    assert destination["resource"]["sqs"]["arn"] == arn
    listed = client.get_destinations()
    assert destination["destinationId"] in [d["destinationId"] for d in listed]

    subscription = client.create_subscription("ORDER_CHANGE", destination["destinationId"])
    assert subscription["destinationId"] == destination["destinationId"]
    again = client.get_subscription("ORDER_CHANGE")
    assert again["subscriptionId"] == subscription["subscriptionId"]
    # Destinations are the application's (grantless token); subscriptions the seller's.
    owners = {r["operation"]: r["seller"] for r in amazon_sandbox.requests()}
    assert owners["createDestination"] is None and owners["getDestinations"] is None
    assert owners["createSubscription"] == amazon_sandbox.seller_id
