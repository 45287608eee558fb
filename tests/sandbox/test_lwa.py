"""Login with Amazon as the sandbox plays it: grants, errors, revocation, access checks."""

import requests

ORDERS = "/orders/2026-01-01/orders"


def _token(sandbox, **form):
    data = {"client_id": "any-client", "client_secret": "any-secret", **form}
    return requests.post(sandbox.lwa_url, data=data, timeout=10)


def test_refresh_grant_gives_an_hour_long_access_token(amazon_sandbox):
    response = _token(
        amazon_sandbox, grant_type="refresh_token", refresh_token=amazon_sandbox.refresh_token
    )

    assert response.status_code == 200
    body = response.json()
    assert body["access_token"].startswith("Atza|")
    assert body["expires_in"] == 3600
    assert body["token_type"] == "bearer"


def test_unknown_refresh_token_is_an_invalid_grant(amazon_sandbox):
    response = _token(amazon_sandbox, grant_type="refresh_token", refresh_token="Atzr|nobody")

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_client_credentials_are_required(amazon_sandbox):
    response = requests.post(
        amazon_sandbox.lwa_url,
        data={"grant_type": "refresh_token", "refresh_token": amazon_sandbox.refresh_token},
        timeout=10,
    )

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_authorization_code_grant_returns_a_working_refresh_token(amazon_sandbox, api):
    code = amazon_sandbox.mint_auth_code()

    response = _token(amazon_sandbox, grant_type="authorization_code", code=code)

    assert response.status_code == 200
    body = response.json()
    assert body["refresh_token"].startswith("Atzr|")
    assert body["refresh_token"] != amazon_sandbox.refresh_token
    participations = api.get("/sellers/v1/marketplaceParticipations", token=body["access_token"])
    assert participations.status_code == 200
    # The code is single-use.
    again = _token(amazon_sandbox, grant_type="authorization_code", code=code)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_revoked_refresh_token_fails_grants_and_its_access_tokens(amazon_sandbox, api):
    amazon_sandbox.revoke(amazon_sandbox.refresh_token)

    grant = _token(
        amazon_sandbox, grant_type="refresh_token", refresh_token=amazon_sandbox.refresh_token
    )
    call = api.get("/sellers/v1/marketplaceParticipations")

    assert grant.status_code == 400
    assert grant.json()["error"] == "invalid_grant"
    assert call.status_code == 403
    assert call.json()["errors"][0]["code"] == "Unauthorized"


def test_sp_api_calls_need_a_valid_access_token(amazon_sandbox, api):
    missing = requests.get(amazon_sandbox.url + ORDERS, timeout=10)
    bogus = api.get(ORDERS, token="Atza|made-up")

    for response in (missing, bogus):
        assert response.status_code == 403
        assert response.json()["errors"][0]["code"] == "Unauthorized"


def test_access_tokens_expire_after_an_hour_of_sandbox_time(amazon_sandbox, api):
    amazon_sandbox.advance(3601)

    response = api.get("/sellers/v1/marketplaceParticipations")

    assert response.status_code == 403
    assert "expired" in response.json()["errors"][0]["message"]


def test_host_header_is_ignored(amazon_sandbox, api):
    # python-amazon-sp-api derives Host by cutting 8 characters off "http://..." endpoints.
    response = api.get("/sellers/v1/marketplaceParticipations", headers={"Host": "27.0.0.1:1"})

    assert response.status_code == 200
