"""FBA: multi-channel fulfilment orders move to shipped with tracking; inventory summaries."""

import pytest

from amazon_sandbox.generate import SKU_POOL

OUTBOUND = "/fba/outbound/2020-07-01"
GERMANY = "A1PA6795UKMFR9"
IN_STOCK = next(p for p in SKU_POOL if (SKU_POOL.index(p) * 7) % 23 >= 5)


def _order(order_id="SHOP-1001", sku=IN_STOCK.sku, quantity=2, **extra):
    return {
        "marketplaceId": GERMANY,
        "sellerFulfillmentOrderId": order_id,
        "displayableOrderId": order_id,
        "displayableOrderDate": "2026-11-20T10:00:00Z",
        "displayableOrderComment": "Danke für Ihre Bestellung!",
        "shippingSpeedCategory": "Standard",
        "destinationAddress": {
            "name": "Jürgen Groß",
            "addressLine1": "Königstraße 12",
            "city": "Stuttgart",
            "postalCode": "70173",
            "countryCode": "DE",
        },
        "items": [{"sellerSku": sku, "sellerFulfillmentOrderItemId": "1", "quantity": quantity}],
        **extra,
    }


def _get(api, order_id):
    response = api.get(f"{OUTBOUND}/fulfillmentOrders/{order_id}")
    assert response.status_code == 200, response.text
    return response.json()["payload"]


def _inventory(api, sku):
    response = api.get(
        "/fba/inventory/v1/summaries",
        params={
            "granularityType": "Marketplace",
            "granularityId": GERMANY,
            "marketplaceIds": GERMANY,
            "details": "true",
            "sellerSkus": sku,
        },
    )
    assert response.status_code == 200, response.text
    return response.json()["payload"]["inventorySummaries"][0]


def test_order_progresses_to_shipped_with_tracking(amazon_sandbox, api):
    before = _inventory(api, IN_STOCK.sku)["inventoryDetails"]["fulfillableQuantity"]
    amazon_sandbox.advance(1)  # FBA Inventory allows 2 requests per second

    created = api.post(f"{OUTBOUND}/fulfillmentOrders", json=_order())
    statuses = [_get(api, "SHOP-1001")["fulfillmentOrder"]["fulfillmentOrderStatus"]]
    for seconds in (61, 600, 1200):
        amazon_sandbox.advance(seconds)
        statuses.append(_get(api, "SHOP-1001")["fulfillmentOrder"]["fulfillmentOrderStatus"])
    shipment = _get(api, "SHOP-1001")["fulfillmentShipments"][0]
    package = shipment["fulfillmentShipmentPackage"][0]
    tracking = api.get(
        f"{OUTBOUND}/tracking", params={"packageNumber": package["packageNumber"]}
    ).json()["payload"]

    assert created.status_code == 200
    assert statuses == ["Received", "Planning", "Processing", "Complete"]
    assert shipment["fulfillmentShipmentStatus"] == "SHIPPED"
    assert package["trackingNumber"] and package["carrierCode"] == "DHL"
    assert tracking["trackingNumber"] == package["trackingNumber"]
    assert tracking["currentStatus"] == "IN_TRANSIT"
    assert _inventory(api, IN_STOCK.sku)["inventoryDetails"]["fulfillableQuantity"] == before - 2
    assert amazon_sandbox.received("outbound")[0]["body"]["sellerFulfillmentOrderId"] == "SHOP-1001"


def test_cancel_before_processing(amazon_sandbox, api):
    api.post(f"{OUTBOUND}/fulfillmentOrders", json=_order("SHOP-2"))
    api.post(f"{OUTBOUND}/fulfillmentOrders", json=_order("SHOP-3"))
    amazon_sandbox.advance(700)

    early = api.call("PUT", f"{OUTBOUND}/fulfillmentOrders/SHOP-2/cancel")
    assert early.status_code == 400  # already Processing
    api.post(f"{OUTBOUND}/fulfillmentOrders", json=_order("SHOP-4"))
    cancelled = api.call("PUT", f"{OUTBOUND}/fulfillmentOrders/SHOP-4/cancel")
    amazon_sandbox.advance(4000)
    api.token = amazon_sandbox.access_token()  # the old one expired meanwhile

    assert cancelled.status_code == 200
    payload = _get(api, "SHOP-4")
    assert payload["fulfillmentOrder"]["fulfillmentOrderStatus"] == "Cancelled"
    assert payload["fulfillmentOrderItems"][0]["cancelledQuantity"] == 2
    assert amazon_sandbox.received("outbound_cancellations") == [
        {"sellerId": amazon_sandbox.seller_id, "sellerFulfillmentOrderId": "SHOP-4"}
    ]


def test_more_than_in_stock_is_unfulfillable(amazon_sandbox, api):
    amazon_sandbox.set_inventory(IN_STOCK.sku, 1)

    preview = api.post(
        f"{OUTBOUND}/fulfillmentOrders/preview",
        json={
            "marketplaceId": GERMANY,
            "address": _order()["destinationAddress"],
            "items": _order()["items"],
        },
    ).json()
    api.post(f"{OUTBOUND}/fulfillmentOrders", json=_order("SHOP-5"))
    amazon_sandbox.advance(61)

    assert {p["isFulfillable"] for p in preview["payload"]["fulfillmentPreviews"]} == {False}
    assert _get(api, "SHOP-5")["fulfillmentOrder"]["fulfillmentOrderStatus"] == "Unfulfillable"


def test_preview_of_a_fulfillable_order_has_dates_and_fees(api):
    body = {
        "marketplaceId": GERMANY,
        "address": _order()["destinationAddress"],
        "items": _order()["items"],
        "shippingSpeedCategories": ["Expedited"],
    }

    previews = api.post(f"{OUTBOUND}/fulfillmentOrders/preview", json=body).json()["payload"][
        "fulfillmentPreviews"
    ]

    assert [(p["shippingSpeedCategory"], p["isFulfillable"]) for p in previews] == [
        ("Expedited", True)
    ]
    assert previews[0]["estimatedFees"][0]["amount"]["currencyCode"] == "EUR"


@pytest.mark.parametrize(
    "body",
    [
        _order(sku="NOT-AN-FBA-SKU"),
        _order(quantity=0),
        {k: v for k, v in _order().items() if k != "destinationAddress"},
    ],
    ids=["unknown-sku", "zero", "no-address"],
)
def test_invalid_orders_get_400(api, body):
    response = api.post(f"{OUTBOUND}/fulfillmentOrders", json=body)

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"]


def test_resending_the_same_order_is_accepted_once(amazon_sandbox, api):
    first = api.post(f"{OUTBOUND}/fulfillmentOrders", json=_order("SHOP-6"))
    same = api.post(f"{OUTBOUND}/fulfillmentOrders", json=_order("SHOP-6"))
    different = api.post(f"{OUTBOUND}/fulfillmentOrders", json=_order("SHOP-6", quantity=1))

    assert (first.status_code, same.status_code, different.status_code) == (200, 200, 400)
    assert len(amazon_sandbox.received("outbound")) == 1


def test_inventory_summaries_with_and_without_details(amazon_sandbox, api):
    params = {"granularityType": "Marketplace", "granularityId": GERMANY, "marketplaceIds": GERMANY}

    plain = api.get("/fba/inventory/v1/summaries", params=params).json()["payload"]
    detailed = api.get("/fba/inventory/v1/summaries", params={**params, "details": "true"}).json()[
        "payload"
    ]
    amazon_sandbox.advance(1)  # 2 requests per second
    wrong = api.get(
        "/fba/inventory/v1/summaries", params={**params, "granularityId": "A13V1IB3VIYZZH"}
    )

    assert {r["sellerSku"] for r in plain["inventorySummaries"]} == {p.sku for p in SKU_POOL}
    assert all("inventoryDetails" not in r for r in plain["inventorySummaries"])
    assert all(
        "fulfillableQuantity" in r["inventoryDetails"] for r in detailed["inventorySummaries"]
    )
    assert wrong.status_code == 400
