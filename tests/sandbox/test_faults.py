"""Injected faults: throttling, non-JSON server errors, slow replies, repeated pages, late
orders; and that clients can recover from them."""

from datetime import UTC, datetime, timedelta

import pytest
import requests

from amazon_sandbox.generate import generate_orders

ORDERS = "/orders/2026-01-01/orders"


def _since(days):
    return (datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_server_errors_have_a_non_json_body(amazon_sandbox, api):
    amazon_sandbox.set_faults("500=1")

    response = api.get(ORDERS, params={"createdAfter": _since(3)})

    assert response.status_code == 500
    assert response.headers["Content-Type"].startswith("text/html")
    with pytest.raises(ValueError):
        response.json()


def test_injected_throttling_looks_like_amazons(amazon_sandbox, api):
    amazon_sandbox.set_faults("429=1")

    response = api.get("/sellers/v1/marketplaceParticipations")

    assert response.status_code == 429
    assert response.json()["errors"][0]["code"] == "QuotaExceeded"
    assert amazon_sandbox.stats()["faults"]["fired"] == {"429": 1}


def test_seeded_faults_repeat_exactly(amazon_sandbox, api):
    runs = []
    for _ in range(2):
        amazon_sandbox.set_faults("503=0.5,seed=11")
        runs.append([api.get(f"{ORDERS}/111-0000000-0000000").status_code for _ in range(12)])

    assert runs[0] == runs[1]
    assert set(runs[0]) == {404, 503}


def test_slow_replies_outlast_a_client_timeout(amazon_sandbox, api):
    amazon_sandbox.set_faults("slow=1,slow_seconds=1.5")

    with pytest.raises(requests.ReadTimeout):
        api.get("/sellers/v1/marketplaceParticipations", timeout=0.3)


def test_repeated_page_comes_with_a_new_token(amazon_sandbox, api):
    params = {"createdAfter": _since(3), "maxResultsPerPage": 4}
    first = api.get(ORDERS, params=params).json()
    amazon_sandbox.set_faults("repeat_page=1")

    again = api.get(
        ORDERS, params={**params, "paginationToken": first["pagination"]["nextToken"]}
    ).json()

    assert [o["orderId"] for o in again["orders"]] == [o["orderId"] for o in first["orders"]]
    assert again["pagination"]["nextToken"] != first["pagination"]["nextToken"]


def test_late_fault_hides_new_orders_for_a_while(amazon_sandbox, api):
    amazon_sandbox.set_faults("late=1,late_seconds=600")
    order = generate_orders(1, seed="late", start=datetime.now(UTC) - timedelta(days=2))[0]
    order["lastUpdatedTime"] = order["createdTime"]

    result = amazon_sandbox.add_orders([order])
    hidden = api.get(ORDERS, params={"createdAfter": _since(3)}).json()["orders"]
    amazon_sandbox.advance(601)
    shown = api.get(ORDERS, params={"createdAfter": _since(3)}).json()["orders"]

    assert result["late"] == [order["orderId"]]
    assert order["orderId"] not in [o["orderId"] for o in hidden]
    assert order["orderId"] in [o["orderId"] for o in shown]


def test_retrying_failed_pages_reads_2000_orders_exactly_once(amazon_sandbox, api):
    orders = generate_orders(
        2000, seed="bulk", start=datetime.now(UTC) - timedelta(days=20), spacing_minutes=5
    )
    amazon_sandbox.reset(
        {
            "sellerId": amazon_sandbox.seller_id,
            "refreshToken": amazon_sandbox.refresh_token,
            "orders": orders,
        }
    )
    amazon_sandbox.set_speed(100)
    amazon_sandbox.set_faults("429=0.2,500=0.05,seed=5")
    params = {"createdAfter": _since(21)}
    seen, token, failures = [], None, 0

    while True:
        response = api.get(
            ORDERS, params={**params, **({"paginationToken": token} if token else {})}
        )
        if response.status_code in (429, 500):
            failures += 1
            continue
        assert response.status_code == 200, response.text
        seen.extend(o["orderId"] for o in response.json()["orders"])
        token = response.json().get("pagination", {}).get("nextToken")
        if not token:
            break

    assert failures > 0
    assert sorted(seen) == sorted(o["orderId"] for o in orders)
