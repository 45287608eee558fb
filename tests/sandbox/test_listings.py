"""Listings Items 2021-08-01: put/patch/get/delete/search and Amazon-style issues."""

import pytest

from amazon_sandbox.generate import SKU_POOL

GERMANY = "A1PA6795UKMFR9"
PRODUCT = SKU_POOL[3]


def _path(sandbox, sku):
    return f"/listings/2021-08-01/items/{sandbox.seller_id}/{sku}"


def _offer_body(asin=PRODUCT.asin, quantity=5, price=49.9, currency="EUR"):
    return {
        "productType": "PRODUCT",
        "requirements": "LISTING_OFFER_ONLY",
        "attributes": {
            "merchant_suggested_asin": [{"value": asin, "marketplace_id": GERMANY}],
            "condition_type": [{"value": "new_new", "marketplace_id": GERMANY}],
            "purchasable_offer": [
                {
                    "currency": currency,
                    "marketplace_id": GERMANY,
                    "our_price": [{"schedule": [{"value_with_tax": price}]}],
                }
            ],
            "fulfillment_availability": [
                {"fulfillment_channel_code": "DEFAULT", "quantity": quantity}
            ],
        },
    }


def _put(api, sandbox, body, sku=PRODUCT.sku, **params):
    return api.call(
        "PUT", _path(sandbox, sku), params={"marketplaceIds": GERMANY, **params}, json=body
    )


def test_put_creates_an_offer_that_get_returns(amazon_sandbox, api):
    response = _put(api, amazon_sandbox, _offer_body(), includedData="issues,identifiers")
    got = api.get(
        _path(amazon_sandbox, PRODUCT.sku),
        params={
            "marketplaceIds": GERMANY,
            "includedData": "summaries,offers,fulfillmentAvailability,attributes",
        },
    )

    assert response.status_code == 200
    assert response.json()["status"] == "ACCEPTED"
    assert response.json()["identifiers"] == [{"marketplaceId": GERMANY, "asin": PRODUCT.asin}]
    item = got.json()
    assert item["summaries"][0]["asin"] == PRODUCT.asin
    assert item["summaries"][0]["conditionType"] == "new_new"
    assert item["offers"] == [
        {
            "marketplaceId": GERMANY,
            "offerType": "B2C",
            "price": {"currencyCode": "EUR", "amount": "49.9"},
        }
    ]
    assert item["attributes"]["fulfillment_availability"][0]["quantity"] == 5
    received = amazon_sandbox.received("listings")
    assert [(r["operation"], r["sku"], r["status"]) for r in received] == [
        ("put", PRODUCT.sku, "ACCEPTED")
    ]


def test_offer_attached_by_ean_from_the_catalog(amazon_sandbox, api):
    body = _offer_body()
    body["attributes"].pop("merchant_suggested_asin")
    body["attributes"]["externally_assigned_product_identifier"] = [
        {"type": "ean", "value": PRODUCT.ean, "marketplace_id": GERMANY}
    ]

    response = _put(api, amazon_sandbox, body, includedData="identifiers")

    assert response.json()["status"] == "ACCEPTED"
    assert response.json()["identifiers"][0]["asin"] == PRODUCT.asin


@pytest.mark.parametrize(
    ("body", "attribute"),
    [
        (_offer_body(asin="B0NOTREAL1"), "merchant_suggested_asin"),
        (_offer_body(currency="GBP"), "purchasable_offer"),
        (_offer_body(price=0), "purchasable_offer"),
        (_offer_body(quantity=-1), "fulfillment_availability"),
    ],
    ids=["unknown-asin", "wrong-currency", "zero-price", "negative-stock"],
)
def test_invalid_offers_are_reported_as_issues_and_not_stored(amazon_sandbox, api, body, attribute):
    response = _put(api, amazon_sandbox, body)

    assert response.status_code == 200
    assert response.json()["status"] == "INVALID"
    assert [i["attributeNames"] for i in response.json()["issues"] if i["severity"] == "ERROR"] == [
        [attribute]
    ]
    assert (
        api.get(_path(amazon_sandbox, PRODUCT.sku), params={"marketplaceIds": GERMANY}).status_code
        == 404
    )


def test_validation_preview_does_not_write(amazon_sandbox, api):
    response = _put(api, amazon_sandbox, _offer_body(), mode="VALIDATION_PREVIEW")

    assert response.json()["status"] == "VALID"
    assert (
        api.get(_path(amazon_sandbox, PRODUCT.sku), params={"marketplaceIds": GERMANY}).status_code
        == 404
    )
    assert amazon_sandbox.received("listings") == []


def test_patch_changes_stock_and_price(amazon_sandbox, api):
    _put(api, amazon_sandbox, _offer_body())

    response = api.call(
        "PATCH",
        _path(amazon_sandbox, PRODUCT.sku),
        params={"marketplaceIds": GERMANY},
        json={
            "productType": "PRODUCT",
            "patches": [
                {
                    "op": "replace",
                    "path": "/attributes/fulfillment_availability",
                    "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 0}],
                },
                {
                    "op": "replace",
                    "path": "/attributes/purchasable_offer",
                    "value": [
                        {
                            "currency": "EUR",
                            "marketplace_id": GERMANY,
                            "our_price": [{"schedule": [{"value_with_tax": 44.5}]}],
                        }
                    ],
                },
            ],
        },
    )
    item = api.get(
        _path(amazon_sandbox, PRODUCT.sku),
        params={
            "marketplaceIds": GERMANY,
            "includedData": "summaries,offers,fulfillmentAvailability",
        },
    ).json()

    assert response.json()["status"] == "ACCEPTED"
    assert item["fulfillmentAvailability"] == [{"fulfillmentChannelCode": "DEFAULT", "quantity": 0}]
    assert item["offers"][0]["price"]["amount"] == "44.5"
    assert item["summaries"][0]["status"] == ["DISCOVERABLE"]


def test_delete_then_search(amazon_sandbox, api):
    for product in SKU_POOL[:3]:
        _put(api, amazon_sandbox, _offer_body(asin=product.asin), sku=product.sku)
    api.call("DELETE", _path(amazon_sandbox, SKU_POOL[1].sku), params={"marketplaceIds": GERMANY})

    everything = api.get(
        f"/listings/2021-08-01/items/{amazon_sandbox.seller_id}",
        params={"marketplaceIds": GERMANY, "pageSize": 1},
    )
    by_ean = api.get(
        f"/listings/2021-08-01/items/{amazon_sandbox.seller_id}",
        params={
            "marketplaceIds": GERMANY,
            "identifiers": SKU_POOL[2].ean,
            "identifiersType": "EAN",
        },
    )

    assert everything.json()["numberOfResults"] == 2
    assert len(everything.json()["items"]) == 1 and everything.json()["pagination"]["nextToken"]
    assert [i["sku"] for i in by_ean.json()["items"]] == [SKU_POOL[2].sku]


def test_another_sellers_listings_are_forbidden(amazon_sandbox, api):
    response = api.get(
        "/listings/2021-08-01/items/A3OTHERSELLER/SKU-1", params={"marketplaceIds": GERMANY}
    )

    assert response.status_code == 403
