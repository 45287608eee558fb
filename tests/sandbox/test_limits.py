"""Usage plans: token buckets per seller and operation, on the sandbox clock."""

import pytest

ORDERS = "/orders/2026-01-01/orders"
SEARCH = {"createdAfter": "2026-01-01T00:00:00Z", "maxResultsPerPage": 1}


def test_search_orders_allows_a_burst_of_20_then_throttles(amazon_sandbox, api):
    statuses = [api.get(ORDERS, params=SEARCH).status_code for _ in range(21)]
    throttled = api.get(ORDERS, params=SEARCH)

    assert statuses[:20] == [200] * 20
    assert statuses[20] == 429
    assert throttled.json() == {
        "errors": [
            {
                "code": "QuotaExceeded",
                "message": "You exceeded your quota for the requested resource.",
            }
        ]
    }
    assert throttled.headers["x-amzn-RateLimit-Limit"] == "0.0056"
    assert amazon_sandbox.stats()["operations"]["searchOrders"]["429"] == 2


def test_tokens_come_back_at_the_documented_rate(amazon_sandbox, api):
    for _ in range(20):
        api.get(ORDERS, params=SEARCH)

    amazon_sandbox.advance(170)  # 0.0056/s: one request per ~178.6 s
    early = api.get(ORDERS, params=SEARCH).status_code
    amazon_sandbox.advance(10)
    later = api.get(ORDERS, params=SEARCH).status_code

    assert (early, later) == (429, 200)


def test_buckets_are_per_operation_and_per_seller(amazon_sandbox, api):
    amazon_sandbox.reset(
        {
            "sellers": [
                {
                    "sellerId": amazon_sandbox.seller_id,
                    "refreshToken": amazon_sandbox.refresh_token,
                },
                {"sellerId": "A2OTHER"},
            ]
        }
    )
    for _ in range(20):
        api.get(ORDERS, params=SEARCH)
    other = amazon_sandbox.access_token("Atzr|sandbox-A2OTHER")

    assert api.get(ORDERS, params=SEARCH).status_code == 429
    assert api.get(ORDERS, params=SEARCH, token=other).status_code == 200
    assert api.get(f"{ORDERS}/111-0000000-0000000").status_code == 404


def test_every_reply_carries_the_rate_limit_header(api):
    for path in ["/sellers/v1/marketplaceParticipations", f"{ORDERS}/111-0000000-0000000", ORDERS]:
        response = api.get(path)
        assert float(response.headers["x-amzn-RateLimit-Limit"]) > 0
        assert response.headers["x-amzn-RequestId"]


def test_rates_are_those_documented_in_the_models(amazon_sandbox_server):
    from amazon_sandbox import contract, validation
    from amazon_sandbox.app import OPERATIONS
    from amazon_sandbox.limits import rate_from_description

    if not validation.models_available():
        pytest.fail(validation.MISSING_MESSAGE)
    limiter = amazon_sandbox_server.app.limiter
    documented = {}
    for op in OPERATIONS:
        spec = contract.spec_for(op.method, op.path)
        documented[op.name] = rate_from_description(spec.operation.get("description"))

    assert documented["searchOrders"] == (0.0056, 20)
    assert {name: limiter.rate(name) for name in documented if documented[name]} == {
        name: rate for name, rate in documented.items() if rate
    }
