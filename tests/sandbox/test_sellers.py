"""Sellers API: marketplace participations of the demo seller."""


def test_demo_seller_participates_in_eu_and_na_marketplaces(api):
    response = api.get("/sellers/v1/marketplaceParticipations")

    assert response.status_code == 200
    assert response.headers["x-amzn-RateLimit-Limit"]
    countries = {p["marketplace"]["countryCode"] for p in response.json()["payload"]}
    assert countries == {"DE", "FR", "IT", "ES", "GB", "NL", "PL", "SE", "BE", "IE", "US", "CA"}
    poland = next(p for p in response.json()["payload"] if p["marketplace"]["countryCode"] == "PL")
    assert poland["marketplace"]["id"] == "A1C3SOZRARQ6R3"
    assert poland["marketplace"]["defaultCurrencyCode"] == "PLN"
    assert poland["participation"] == {"isParticipating": True, "hasSuspendedListings": False}


def test_each_seller_sees_its_own_marketplaces(amazon_sandbox, api):
    amazon_sandbox.reset(
        {
            "sellers": [
                {"sellerId": "A1FIRST", "marketplaces": ["A1PA6795UKMFR9"]},
                {
                    "sellerId": "A2SECOND",
                    "refreshToken": "Atzr|second",
                    "marketplaces": ["ATVPDKIKX0DER"],
                },
            ]
        }
    )

    first = api.get(
        "/sellers/v1/marketplaceParticipations",
        token=amazon_sandbox.access_token("Atzr|sandbox-A1FIRST"),
    )
    second = api.get(
        "/sellers/v1/marketplaceParticipations", token=amazon_sandbox.access_token("Atzr|second")
    )

    assert [p["marketplace"]["id"] for p in first.json()["payload"]] == ["A1PA6795UKMFR9"]
    assert [p["marketplace"]["id"] for p in second.json()["payload"]] == ["ATVPDKIKX0DER"]
