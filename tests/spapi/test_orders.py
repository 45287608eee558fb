"""Orders through spapi/ against the sandbox over HTTP: search pages, getOrder, confirm."""

from datetime import UTC, datetime, timedelta

import pytest

from amazon_sandbox.generate import generate_orders
from saleor_amazon.spapi import InvalidInputError, NotFoundError

pytestmark = pytest.mark.sandbox

START = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)


def seeded(sandbox, n, **kwargs):
    orders = generate_orders(n, seed="spapi-orders", start=START, **kwargs)
    sandbox.add_orders(orders)
    return orders


def window(orders):
    """A created window holding exactly these orders (the demo seller's are newer)."""
    last = max(o["createdTime"] for o in orders)
    return {
        "created_after": START - timedelta(minutes=1),
        "created_before": datetime.fromisoformat(last) + timedelta(minutes=1),
    }


def markets(orders):
    return sorted({o["salesChannel"]["marketplaceId"] for o in orders})


def test_search_orders_pages_follow_amazons_pagination(amazon_sandbox, client):
    orders = seeded(amazon_sandbox, 250)
    pages = client.search_orders(markets(orders), **window(orders), page_size=100)
    first = next(pages)
    assert len(first.orders) == 100 and first.next_token
    assert first.created_before and first.last_updated_before is None
    rest = list(pages)
    assert [len(p.orders) for p in rest] == [100, 50]
    assert rest[-1].next_token is None
    read = [o["orderId"] for p in [first, *rest] for o in p.orders]
    assert sorted(read) == sorted(o["orderId"] for o in orders)
    # Later pages were asked with the token and otherwise identical parameters.
    log = amazon_sandbox.requests("searchOrders")
    assert [r["status"] for r in log] == [200, 200, 200]
    assert "paginationToken" not in log[0]["query"] and "paginationToken" in log[1]["query"]


def test_iter_orders_reads_each_order_once_despite_repeated_pages(amazon_sandbox, fast_client):
    client = fast_client
    orders = seeded(amazon_sandbox, 120)
    amazon_sandbox.set_faults("repeat_page=0.5,seed=4")
    read = [
        o["orderId"] for o in client.iter_orders(markets(orders), **window(orders), page_size=10)
    ]
    assert sorted(read) == sorted(o["orderId"] for o in orders)
    assert amazon_sandbox.stats()["faults"]  # the quirk was switched on
    assert len(amazon_sandbox.requests("searchOrders")) > 12  # repeated pages were served


def test_search_filters_reach_amazon(amazon_sandbox, client):
    orders = seeded(amazon_sandbox, 60)
    mfn = [
        o["orderId"]
        for o in orders
        if o["fulfillment"]["fulfilledBy"] == "MERCHANT"
        and o["fulfillment"]["fulfillmentStatus"] == "UNSHIPPED"
    ]
    read = [
        o["orderId"]
        for o in client.iter_orders(
            markets(orders),
            **window(orders),
            fulfillment_statuses=["UNSHIPPED"],
            fulfilled_by=["MERCHANT"],
            included_data=["BUYER", "RECIPIENT"],
        )
    ]
    assert mfn and sorted(read) == sorted(mfn)


def test_last_updated_window_echoes_the_cursor(amazon_sandbox, client):
    orders = seeded(amazon_sandbox, 5)
    page = next(client.search_orders(markets(orders), last_updated_after=START))
    assert page.last_updated_before and page.created_before is None


def test_invalid_search_is_invalid_input(amazon_sandbox, client):
    with pytest.raises(InvalidInputError) as info:
        next(client.search_orders(["A1PA6795UKMFR9"]))  # neither createdAfter nor lastUpdated
    assert info.value.status == 400 and info.value.operation == "searchOrders"
    assert "createdAfter" in info.value.message


def test_get_order_and_not_found(amazon_sandbox, client):
    order = seeded(amazon_sandbox, 1)[0]
    got = client.get_order(order["orderId"], included_data=["BUYER", "RECIPIENT"])
    assert got["orderId"] == order["orderId"]
    assert got["orderItems"][0]["orderItemId"] == order["orderItems"][0]["orderItemId"]
    with pytest.raises(NotFoundError) as info:
        client.get_order("999-0000000-0000000")
    assert info.value.status == 404 and info.value.operation == "getOrder"


def test_confirm_shipment_sends_only_the_models_keys(amazon_sandbox, client):
    orders = seeded(
        amazon_sandbox, 1, statuses=["UNSHIPPED"], fulfilled_by="MERCHANT", marketplaces=["DE"]
    )
    order = orders[0]
    package = {
        "packageReferenceId": "1",
        "carrierCode": "DHL",
        "trackingNumber": "00340434161094042557",
        "shipDate": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "orderItems": [
            {"orderItemId": i["orderItemId"], "quantity": i["quantityOrdered"]}
            for i in order["orderItems"]
        ],
    }
    marketplace = order["salesChannel"]["marketplaceId"]
    assert client.confirm_shipment(order["orderId"], marketplace, package) is None
    received = amazon_sandbox.received("confirmations")
    assert len(received) == 1
    # The library would add marketplaceIds/MarketplaceIds to this body; we do not.
    assert received[0]["body"] == {"marketplaceId": marketplace, "packageDetail": package}
    shipped = client.get_order(order["orderId"], included_data=["FULFILLMENT"])
    assert shipped["fulfillment"]["fulfillmentStatus"] == "SHIPPED"
    with pytest.raises(InvalidInputError):  # the same package twice
        client.confirm_shipment(order["orderId"], marketplace, package)
