"""Control endpoints: status changes as Amazon would make them, stats and the request log."""

from datetime import UTC, datetime, timedelta

from amazon_sandbox.generate import generate_orders

GET = "/orders/2026-01-01/orders/{}"


def _order(amazon_sandbox, **kwargs):
    order = generate_orders(
        1,
        seed="control",
        start=datetime.now(UTC) - timedelta(hours=3),
        statuses=["UNSHIPPED"],
        **kwargs,
    )[0]
    amazon_sandbox.add_orders([order])
    return order


def test_buyer_cancellation_request_marks_items(amazon_sandbox, api):
    order = _order(amazon_sandbox)
    item_id = order["orderItems"][0]["orderItemId"]

    amazon_sandbox.set_order_status(
        order["orderId"], "CANCELLATION_REQUESTED", items=[item_id], reason="Ordered by mistake"
    )
    got = api.get(
        GET.format(order["orderId"]), params={"includedData": "CANCELLATION,FULFILLMENT"}
    ).json()["order"]

    assert got["orderItems"][0]["cancellation"]["cancellationRequest"] == {
        "requester": "BUYER",
        "cancelReason": "Ordered by mistake",
    }
    assert got["fulfillment"]["fulfillmentStatus"] == "UNSHIPPED"
    assert got["lastUpdatedTime"] > order["lastUpdatedTime"]


def test_shipped_by_amazon_fulfils_every_unit(amazon_sandbox, api):
    order = _order(amazon_sandbox, fulfilled_by="AMAZON")

    amazon_sandbox.set_order_status(order["orderId"], "SHIPPED")
    got = api.get(GET.format(order["orderId"]), params={"includedData": "FULFILLMENT"}).json()[
        "order"
    ]

    assert got["fulfillment"]["fulfillmentStatus"] == "SHIPPED"
    assert all(i["fulfillment"]["quantityUnfulfilled"] == 0 for i in got["orderItems"])


def test_stats_and_request_log_count_calls_by_operation(amazon_sandbox, api):
    api.get("/sellers/v1/marketplaceParticipations")
    api.get(GET.format("404-0000000-0000000"))

    stats = amazon_sandbox.stats()["operations"]
    log = amazon_sandbox.requests("getOrder")

    assert stats["getMarketplaceParticipations"]["200"] == 1
    assert stats["getOrder"]["404"] == 1
    assert [(r["status"], r["seller"]) for r in log] == [(404, amazon_sandbox.seller_id)]


def test_reset_restores_the_demo_seller(amazon_sandbox, api):
    amazon_sandbox.revoke(amazon_sandbox.refresh_token)
    amazon_sandbox.reset()

    assert amazon_sandbox.access_token()
    assert (
        api.get(
            "/sellers/v1/marketplaceParticipations", token=amazon_sandbox.access_token()
        ).status_code
        == 200
    )
