"""getOrder (2026-01-01) and confirmShipment (v0): status moves with shipped quantities."""

from datetime import UTC, datetime, timedelta

import pytest

from amazon_sandbox.generate import generate_orders

GET = "/orders/2026-01-01/orders/{}"
CONFIRM = "/orders/v0/orders/{}/shipmentConfirmation"


@pytest.fixture
def order(amazon_sandbox):
    """An unshipped FBM order with two lines, the second one for two units."""
    candidate = next(
        o
        for o in generate_orders(
            200,
            seed="confirm",
            start=datetime.now(UTC) - timedelta(days=1),
            statuses=["UNSHIPPED"],
            fulfilled_by="MERCHANT",
        )
        if len(o["orderItems"]) == 2 and o["orderItems"][1]["quantityOrdered"] >= 2
    )
    amazon_sandbox.add_orders([candidate])
    return candidate


def _package(order, ref, lines):
    return {
        "marketplaceId": order["salesChannel"]["marketplaceId"],
        "packageDetail": {
            "packageReferenceId": ref,
            "carrierCode": "DHL",
            "trackingNumber": f"TRACK{ref}",
            "shipDate": "2026-11-20T10:00:00Z",
            "orderItems": [{"orderItemId": item_id, "quantity": qty} for item_id, qty in lines],
        },
    }


def test_get_order_returns_the_order_with_requested_data(api, order):
    response = api.get(
        GET.format(order["orderId"]), params={"includedData": "PROCEEDS,FULFILLMENT"}
    )

    assert response.status_code == 200
    got = response.json()["order"]
    assert got["proceeds"] == order["proceeds"]
    assert got["fulfillment"]["fulfillmentStatus"] == "UNSHIPPED"
    assert "buyer" not in got


def test_unknown_order_is_not_found(api):
    response = api.get(GET.format("999-0000000-0000000"))

    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "NotFound"


def test_partial_then_full_confirmation_ships_the_order(amazon_sandbox, api, order):
    first, second = (i["orderItemId"] for i in order["orderItems"])
    ordered = order["orderItems"][1]["quantityOrdered"]

    partial = api.post(
        CONFIRM.format(order["orderId"]),
        json=_package(
            order, "1", [(first, order["orderItems"][0]["quantityOrdered"]), (second, 1)]
        ),
    )
    middle = api.get(
        GET.format(order["orderId"]), params={"includedData": "FULFILLMENT,PACKAGES"}
    ).json()["order"]
    rest = api.post(
        CONFIRM.format(order["orderId"]), json=_package(order, "2", [(second, ordered - 1)])
    )
    final = api.get(
        GET.format(order["orderId"]), params={"includedData": "FULFILLMENT,PACKAGES"}
    ).json()["order"]

    assert partial.status_code == 204 and partial.content == b""
    assert middle["fulfillment"]["fulfillmentStatus"] == "PARTIALLY_SHIPPED"
    assert middle["orderItems"][1]["fulfillment"]["quantityFulfilled"] == 1
    assert middle["orderItems"][1]["fulfillment"]["quantityUnfulfilled"] == ordered - 1
    assert middle["lastUpdatedTime"] > order["lastUpdatedTime"]
    assert rest.status_code == 204
    assert final["fulfillment"]["fulfillmentStatus"] == "SHIPPED"
    assert [p["trackingNumber"] for p in final["packages"]] == ["TRACK1", "TRACK2"]
    assert final["packages"][1]["packageItems"] == [
        {"orderItemId": second, "quantity": ordered - 1}
    ]
    received = amazon_sandbox.received("confirmations")
    assert [r["body"]["packageDetail"]["packageReferenceId"] for r in received] == ["1", "2"]
    assert {r["orderId"] for r in received} == {order["orderId"]}


def test_over_shipment_is_rejected_and_changes_nothing(amazon_sandbox, api, order):
    item = order["orderItems"][0]

    response = api.post(
        CONFIRM.format(order["orderId"]),
        json=_package(order, "1", [(item["orderItemId"], item["quantityOrdered"] + 1)]),
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "InvalidInput"
    assert amazon_sandbox.order(order["orderId"]) == order
    assert amazon_sandbox.received("confirmations") == []


@pytest.mark.parametrize(
    "mutate",
    [
        lambda body: body["packageDetail"]["orderItems"][0].update(orderItemId="00000000000000"),
        lambda body: body.update(
            marketplaceId="ATVPDKIKX0DER"
            if body["marketplaceId"] != "ATVPDKIKX0DER"
            else "A1PA6795UKMFR9"
        ),
        lambda body: body["packageDetail"].pop("trackingNumber"),
        lambda body: body["packageDetail"].update(shipDate="02/21/2022"),
        lambda body: body["packageDetail"].update(packageReferenceId="PKG-A"),
        lambda body: body["packageDetail"].update(carrierCode="Other"),
        lambda body: body["packageDetail"]["orderItems"][0].update(quantity=0),
    ],
    ids=[
        "unknown-item",
        "other-marketplace",
        "no-tracking",
        "bad-date",
        "bad-reference",
        "other-without-name",
        "zero",
    ],
)
def test_invalid_confirmations_get_400(api, order, mutate):
    body = _package(order, "1", [(order["orderItems"][0]["orderItemId"], 1)])
    mutate(body)

    response = api.post(CONFIRM.format(order["orderId"]), json=body)

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"]


def test_cancelled_orders_cannot_be_confirmed(amazon_sandbox, api, order):
    amazon_sandbox.set_order_status(order["orderId"], "CANCELLED")

    response = api.post(
        CONFIRM.format(order["orderId"]),
        json=_package(order, "1", [(order["orderItems"][0]["orderItemId"], 1)]),
    )

    assert response.status_code == 400
