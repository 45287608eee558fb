"""Catalog Items 2022-04-01: search by identifiers, getCatalogItem."""

import pytest

from amazon_sandbox.generate import SKU_POOL

CATALOG = "/catalog/2022-04-01/items"
GERMANY = "A1PA6795UKMFR9"


def test_search_by_eans_returns_the_matching_items(api):
    eans = [p.ean for p in SKU_POOL[:3]] + ["4000000999996"]

    response = api.get(
        CATALOG,
        params={
            "identifiers": ",".join(eans),
            "identifiersType": "EAN",
            "marketplaceIds": GERMANY,
            "includedData": "summaries,identifiers",
        },
    )

    assert response.status_code == 200
    body = response.json()
    assert body["numberOfResults"] == 3
    assert [i["asin"] for i in body["items"]] == [p.asin for p in SKU_POOL[:3]]
    assert body["items"][0]["summaries"][0]["itemName"] == SKU_POOL[0].title
    assert body["items"][0]["identifiers"] == [
        {
            "marketplaceId": GERMANY,
            "identifiers": [{"identifierType": "EAN", "identifier": SKU_POOL[0].ean}],
        }
    ]


def test_gtin_matches_a_zero_padded_ean(api):
    response = api.get(
        CATALOG,
        params={
            "identifiers": "0" + SKU_POOL[4].ean,
            "identifiersType": "GTIN",
            "marketplaceIds": GERMANY,
        },
    )

    assert [i["asin"] for i in response.json()["items"]] == [SKU_POOL[4].asin]


@pytest.mark.parametrize(
    "params",
    [
        {
            "identifiers": ",".join(str(4000000000000 + n) for n in range(21)),
            "identifiersType": "EAN",
            "marketplaceIds": GERMANY,
        },
        {
            "identifiers": SKU_POOL[0].ean,
            "identifiersType": "EAN",
            "marketplaceIds": f"{GERMANY},A13V1IB3VIYZZH",
        },
        {"identifiers": SKU_POOL[0].ean, "marketplaceIds": GERMANY},
        {
            "identifiers": SKU_POOL[0].ean,
            "identifiersType": "EAN",
            "keywords": "shirt",
            "marketplaceIds": GERMANY,
        },
        {"identifiers": SKU_POOL[0].ean, "identifiersType": "EAN"},
    ],
    ids=["21-identifiers", "two-marketplaces", "no-type", "with-keywords", "no-marketplace"],
)
def test_invalid_searches_get_400(api, params):
    response = api.get(CATALOG, params=params)

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "InvalidInput"


def test_get_catalog_item(api):
    found = api.get(f"{CATALOG}/{SKU_POOL[0].asin}", params={"marketplaceIds": GERMANY})
    missing = api.get(f"{CATALOG}/B0MISSING00", params={"marketplaceIds": GERMANY})

    assert found.json()["summaries"][0]["itemName"] == SKU_POOL[0].title
    assert missing.status_code == 404
