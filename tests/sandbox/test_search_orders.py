"""searchOrders (Orders API 2026-01-01): windows, filters, includedData, pagination."""

from datetime import UTC, datetime, timedelta

import pytest

from amazon_sandbox.generate import generate_orders

ORDERS = "/orders/2026-01-01/orders"


def _iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def start():
    return datetime.now(UTC) - timedelta(days=4)


@pytest.fixture
def seeded(amazon_sandbox, start):
    """Forty generated orders (the last update 16+ hours ago) instead of the demo orders."""
    orders = generate_orders(40, seed="search", start=start, spacing_minutes=60)
    amazon_sandbox.reset(
        {
            "sellerId": amazon_sandbox.seller_id,
            "refreshToken": amazon_sandbox.refresh_token,
            "orders": orders,
        }
    )
    return orders


def _all_pages(api, params):
    pages, token = [], None
    while True:
        query = dict(params, **({"paginationToken": token} if token else {}))
        response = api.get(ORDERS, params=query)
        assert response.status_code == 200, response.text
        pages.append(response.json())
        token = response.json().get("pagination", {}).get("nextToken")
        if not token:
            return pages


def test_pages_through_every_order_once_sorted_by_last_update(api, seeded, start):
    pages = _all_pages(
        api, {"lastUpdatedAfter": _iso(start - timedelta(hours=1)), "maxResultsPerPage": 7}
    )

    ids = [o["orderId"] for page in pages for o in page["orders"]]
    assert sorted(ids) == sorted(o["orderId"] for o in seeded)
    assert len(pages) == 6
    stamps = [o["lastUpdatedTime"] for page in pages for o in page["orders"]]
    assert stamps == sorted(stamps)
    assert "lastUpdatedBefore" in pages[0] and "createdBefore" not in pages[0]


def test_default_before_bound_is_two_minutes_ago_and_hides_newer_orders(amazon_sandbox, api):
    now = datetime.now(UTC)
    fresh = generate_orders(1, seed="fresh", start=now - timedelta(minutes=1), spacing_minutes=1)[0]
    fresh["createdTime"] = fresh["lastUpdatedTime"] = _iso(now)
    amazon_sandbox.add_orders([fresh])

    response = api.get(ORDERS, params={"lastUpdatedAfter": _iso(now - timedelta(hours=1))})

    assert response.status_code == 200
    echoed = datetime.fromisoformat(response.json()["lastUpdatedBefore"].replace("Z", "+00:00"))
    # The sandbox reads its clock a moment after ``now`` (and keeps whole seconds).
    assert timedelta(minutes=2) - timedelta(seconds=1) <= now - echoed < timedelta(minutes=3)
    assert fresh["orderId"] not in [o["orderId"] for o in response.json()["orders"]]
    amazon_sandbox.advance(180)
    later = api.get(ORDERS, params={"lastUpdatedAfter": _iso(now - timedelta(hours=1))})
    assert fresh["orderId"] in [o["orderId"] for o in later.json()["orders"]]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"createdAfter": "2026-01-01T00:00:00Z", "lastUpdatedAfter": "2026-01-01T00:00:00Z"},
        {"createdAfter": "2026-01-01T00:00:00Z", "lastUpdatedBefore": "2026-01-02T00:00:00Z"},
        {"lastUpdatedAfter": "2026-01-01T00:00:00Z", "createdBefore": "2026-01-02T00:00:00Z"},
        {"lastUpdatedAfter": "yesterday"},
        {"lastUpdatedAfter": "2026-01-02T00:00:00Z", "lastUpdatedBefore": "2026-01-01T00:00:00Z"},
        {"lastUpdatedAfter": "2026-01-01T00:00:00Z", "maxResultsPerPage": 101},
        {"lastUpdatedAfter": "2026-01-01T00:00:00Z", "maxResultsPerPage": 0},
        {"lastUpdatedAfter": "2026-01-01T00:00:00Z", "fulfillmentStatuses": "SHIPPING"},
        {"lastUpdatedAfter": "2026-01-01T00:00:00Z", "includedData": "EVERYTHING"},
        {"lastUpdatedAfter": "2026-01-01T00:00:00Z", "paginationToken": "forged"},
    ],
)
def test_invalid_searches_get_amazon_shaped_400(api, params):
    response = api.get(ORDERS, params=params)

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["code"] == "InvalidInput"
    assert error["message"]


def test_before_bound_closer_than_two_minutes_is_rejected(api):
    now = datetime.now(UTC)
    response = api.get(
        ORDERS,
        params={
            "lastUpdatedAfter": _iso(now - timedelta(hours=1)),
            "lastUpdatedBefore": _iso(now - timedelta(seconds=30)),
        },
    )

    assert response.status_code == 400


def test_filters_by_marketplace_status_and_channel(api, seeded, start):
    germany = "A1PA6795UKMFR9"
    params = {
        "createdAfter": _iso(start - timedelta(hours=1)),
        "marketplaceIds": germany,
        "fulfillmentStatuses": "UNSHIPPED,SHIPPED",
        "fulfilledBy": "MERCHANT",
        "includedData": "FULFILLMENT",
    }

    pages = _all_pages(api, params)

    found = sorted(o["orderId"] for page in pages for o in page["orders"])
    expected = sorted(
        o["orderId"]
        for o in seeded
        if o["salesChannel"]["marketplaceId"] == germany
        and o["fulfillment"]["fulfillmentStatus"] in ("UNSHIPPED", "SHIPPED")
        and o["fulfillment"]["fulfilledBy"] == "MERCHANT"
    )
    assert found == expected and expected
    assert "createdBefore" in pages[0]


def test_repeated_list_parameters_work_like_comma_separated_ones(api, seeded, start):
    after = _iso(start - timedelta(hours=1))
    repeated = api.get(
        ORDERS,
        params=[
            ("createdAfter", after),
            ("marketplaceIds", "A1PA6795UKMFR9"),
            ("marketplaceIds", "A1F83G8C2ARO7P"),
        ],
    )
    joined = api.get(
        ORDERS, params={"createdAfter": after, "marketplaceIds": "A1PA6795UKMFR9,A1F83G8C2ARO7P"}
    )

    assert repeated.json()["orders"] == joined.json()["orders"]
    assert {o["salesChannel"]["marketplaceId"] for o in joined.json()["orders"]} == {
        "A1PA6795UKMFR9",
        "A1F83G8C2ARO7P",
    }


def test_included_data_decides_which_parts_are_returned(api, seeded, start):
    after = _iso(start - timedelta(hours=1))
    bare = api.get(ORDERS, params={"createdAfter": after, "maxResultsPerPage": 100}).json()[
        "orders"
    ]
    full = api.get(
        ORDERS,
        params={
            "createdAfter": after,
            "includedData": (
                "BUYER,RECIPIENT,PROCEEDS,FULFILLMENT,PACKAGES,PROMOTION,CANCELLATION,TAX"
            ),
        },
    ).json()["orders"]

    assert all("proceeds" not in o and "buyer" not in o and "fulfillment" not in o for o in bare)
    assert all("proceeds" not in i and "product" in i for o in bare for i in o["orderItems"])
    by_id = {o["orderId"]: o for o in seeded}
    assert full == [by_id[o["orderId"]] for o in full]


def test_other_parameters_must_not_change_between_pages(api, seeded, start):
    after = _iso(start - timedelta(hours=1))
    first = api.get(ORDERS, params={"createdAfter": after, "maxResultsPerPage": 5}).json()
    token = first["pagination"]["nextToken"]

    changed = api.get(
        ORDERS,
        params={"createdAfter": after, "marketplaceIds": "ATVPDKIKX0DER", "paginationToken": token},
    )
    smaller = api.get(
        ORDERS,
        params={
            "createdAfter": after,
            "maxResultsPerPage": 3,
            "paginationToken": token,
            "includedData": "BUYER",
        },
    )

    assert changed.status_code == 400
    assert smaller.status_code == 200
    assert len(smaller.json()["orders"]) == 3


def test_a_late_order_appears_only_after_its_delay(amazon_sandbox, api, seeded, start):
    late_id = seeded[3]["orderId"]
    amazon_sandbox.make_late(late_id, 600)
    params = {"createdAfter": _iso(start - timedelta(hours=1))}

    before = [o["orderId"] for page in _all_pages(api, params) for o in page["orders"]]
    amazon_sandbox.advance(601)
    after = [o["orderId"] for page in _all_pages(api, params) for o in page["orders"]]

    assert late_id not in before
    assert late_id in after
    assert api.get(f"{ORDERS}/{late_id}").status_code == 200


def test_a_token_from_another_operation_is_rejected(amazon_sandbox, api):
    for sku in ("SBX-MUG-LODZ", "SBX-SOAP-LAV"):
        api.call(
            "PUT",
            f"/listings/2021-08-01/items/{amazon_sandbox.seller_id}/{sku}",
            params={"marketplaceIds": "A1PA6795UKMFR9"},
            json={"productType": "PRODUCT", "attributes": {"item_name": [{"value": sku}]}},
        )
    listings = api.get(
        f"/listings/2021-08-01/items/{amazon_sandbox.seller_id}",
        params={"marketplaceIds": "A1PA6795UKMFR9", "pageSize": 1},
    ).json()

    response = api.get(
        ORDERS,
        params={
            "createdAfter": "2026-01-01T00:00:00Z",
            "paginationToken": listings["pagination"]["nextToken"],
        },
    )

    assert response.status_code == 400


def test_every_demo_order_is_searchable_right_away(amazon_sandbox, api):
    params = {"lastUpdatedAfter": _iso(datetime.now(UTC) - timedelta(days=3))}

    orders = api.get(ORDERS, params=params).json()["orders"]

    assert len(orders) == 12
    assert {o["salesChannel"]["marketplaceId"] for o in orders} > {"A1PA6795UKMFR9"}
