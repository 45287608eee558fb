"""Login with Amazon through spapi/: code exchange, token renewal, revoked grants, and the
account-level client that flags a revoked account."""

import pytest

from saleor_amazon import conf
from saleor_amazon.models import AccountStatus, AmazonAccount
from saleor_amazon.spapi import AuthError, Credentials, client_for_account
from saleor_amazon.spapi.lwa import exchange_authorization_code

pytestmark = pytest.mark.sandbox


def lwa_calls(sandbox):
    return len(sandbox.requests("lwa"))


def test_authorization_code_grant_gives_a_working_refresh_token(amazon_sandbox, make_client):
    code = amazon_sandbox.mint_auth_code()
    refresh = exchange_authorization_code(
        "sandbox-client", "sandbox-secret", code, lwa_endpoint=amazon_sandbox.lwa_url
    )
    assert refresh.startswith("Atzr|") and refresh != amazon_sandbox.refresh_token
    client = make_client(
        Credentials("sandbox-client", "sandbox-secret", refresh, "EU", amazon_sandbox.seller_id)
    )
    assert client.get_marketplace_participations()
    with pytest.raises(AuthError) as info:  # a code works once
        exchange_authorization_code(
            "sandbox-client", "sandbox-secret", code, lwa_endpoint=amazon_sandbox.lwa_url
        )
    assert info.value.code == "invalid_grant"


def test_access_tokens_are_cached_and_renewed_when_amazon_refuses_them(amazon_sandbox, client):
    client.get_marketplace_participations()
    client.get_marketplace_participations()
    before = lwa_calls(amazon_sandbox)
    assert before <= 1  # cached (0 when an earlier test's token is still valid)
    amazon_sandbox.advance(4000)  # the access token (1 h) has expired at Amazon
    assert client.get_marketplace_participations()
    assert lwa_calls(amazon_sandbox) == before + 1
    statuses = [r["status"] for r in amazon_sandbox.requests("getMarketplaceParticipations")]
    assert statuses[-2:] == [403, 200]


def test_revoked_authorization_is_an_auth_error(amazon_sandbox, client):
    assert client.get_marketplace_participations()
    amazon_sandbox.revoke(amazon_sandbox.refresh_token)
    with pytest.raises(AuthError) as info:
        client.get_marketplace_participations()
    assert info.value.code == "invalid_grant"


@pytest.fixture
def sandbox_account(db, amazon_sandbox):
    return AmazonAccount.objects.create(
        seller_id=amazon_sandbox.seller_id,
        name="Sandbox seller",
        region="EU",
        refresh_token=amazon_sandbox.refresh_token,
    )


@pytest.fixture
def sandbox_configuration(amazon_plugin_configuration, amazon_sandbox, monkeypatch):
    """The stored plugin configuration, endpoints overridden by the environment."""
    monkeypatch.setenv(conf.ENV_SPAPI_ENDPOINT, amazon_sandbox.url)
    monkeypatch.setenv(conf.ENV_LWA_ENDPOINT, amazon_sandbox.lwa_url)
    return amazon_plugin_configuration


def test_account_client_uses_configuration_and_marks_use(
    sandbox_account, sandbox_configuration, amazon_sandbox, limiter
):
    client = client_for_account(sandbox_account, limiter=limiter)
    assert client.endpoint == amazon_sandbox.url
    assert client.lwa_endpoint == amazon_sandbox.lwa_url
    assert sandbox_account.last_used_at is None
    assert client.get_marketplace_participations()
    sandbox_account.refresh_from_db()
    assert sandbox_account.last_used_at is not None
    assert sandbox_account.status == AccountStatus.ACTIVE


def test_account_client_flags_a_revoked_account(
    sandbox_account, sandbox_configuration, amazon_sandbox, limiter
):
    client = client_for_account(sandbox_account, limiter=limiter)
    amazon_sandbox.revoke(amazon_sandbox.refresh_token)
    with pytest.raises(AuthError):
        client.get_marketplace_participations()
    sandbox_account.refresh_from_db()
    assert sandbox_account.status == AccountStatus.AUTH_FAILED
    assert "invalid grant" in sandbox_account.status_message


def test_account_client_needs_the_lwa_client(sandbox_account, amazon_sandbox, limiter):
    with pytest.raises(conf.ConfigurationError):
        client_for_account(sandbox_account, config=conf.AmazonConfig(), limiter=limiter)


def test_account_client_defaults_to_amazons_endpoints(sandbox_account, limiter):
    config = conf.AmazonConfig(client_id="id", client_secret="secret")
    client = client_for_account(sandbox_account, config=config, limiter=limiter)
    assert client.endpoint == "https://sellingpartnerapi-eu.amazon.com"
    assert client.lwa_endpoint == "https://api.amazon.com/auth/o2/token"
