"""Requests and responses are checked against Amazon's models."""

from datetime import UTC, datetime, timedelta

import pytest

from amazon_sandbox import validation
from amazon_sandbox.generate import SKU_POOL, generate_orders

GERMANY = "A1PA6795UKMFR9"


@pytest.fixture(autouse=True)
def models():
    if not validation.models_available():
        pytest.fail(validation.MISSING_MESSAGE)


@pytest.mark.parametrize(
    ("method", "path", "params", "body", "expected"),
    [
        (
            "GET",
            "/orders/2026-01-01/orders",
            {"lastUpdatedAfter": "2026-01-01T00:00:00Z", "maxResultsPerPage": "ten"},
            None,
            "integer",
        ),
        (
            "GET",
            "/orders/2026-01-01/orders",
            {"lastUpdatedAfter": "2026-01-01T00:00:00Z", "fulfilledBy": "SELLER"},
            None,
            "fulfilledBy",
        ),
        (
            "PUT",
            "/listings/2021-08-01/items/{seller}/SKU-1",
            {"marketplaceIds": GERMANY},
            {"attributes": {}},
            "productType",
        ),
        (
            "PUT",
            "/listings/2021-08-01/items/{seller}/SKU-1",
            {},
            {"productType": "PRODUCT", "attributes": {}},
            "marketplaceIds",
        ),
        (
            "POST",
            "/feeds/2021-06-30/feeds",
            {},
            {"feedType": "JSON_LISTINGS_FEED", "marketplaceIds": [], "inputFeedDocumentId": "x"},
            "marketplaceIds",
        ),
        (
            "POST",
            "/orders/v0/orders/111-0000000-0000000/shipmentConfirmation",
            {},
            {"marketplaceId": GERMANY},
            "packageDetail",
        ),
        (
            "GET",
            "/catalog/2022-04-01/items",
            {"identifiers": SKU_POOL[0].ean, "identifiersType": "NAME", "marketplaceIds": GERMANY},
            None,
            "identifiersType",
        ),
    ],
    ids=[
        "page-size-type",
        "fulfilled-by-enum",
        "put-without-product-type",
        "put-without-marketplace",
        "feed-without-marketplaces",
        "confirm-without-package",
        "identifier-type",
    ],
)
def test_requests_breaking_the_model_get_amazon_shaped_400(
    amazon_sandbox, api, method, path, params, body, expected
):
    response = api.call(
        method, path.format(seller=amazon_sandbox.seller_id), params=params, json=body
    )

    assert response.status_code == 400, response.text
    error = response.json()["errors"][0]
    assert error["code"] == "InvalidInput"
    assert expected in error["message"] + error.get("details", "")


def test_a_response_breaking_the_model_is_recorded_as_a_sandbox_problem(amazon_sandbox, api):
    order = generate_orders(1, seed="broken", start=datetime.now(UTC) - timedelta(days=2))[0]
    del order["orderItems"][0]["product"]  # required by the model
    amazon_sandbox.add_orders([order])

    response = api.get(f"/orders/2026-01-01/orders/{order['orderId']}")
    problems = amazon_sandbox.stats()["problems"]

    assert response.status_code == 200
    assert [(p["operation"], p["status"]) for p in problems] == [("getOrder", 200)]
    assert "product" in problems[0]["errors"][0]
    amazon_sandbox.reset()  # the fixture would fail this test on the recorded problem
