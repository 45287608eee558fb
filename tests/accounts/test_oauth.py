"""Login with Amazon website authorization, end to end against the sandbox."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.utils import timezone
from freezegun import freeze_time
from saleor.permission.enums import ChannelPermissions

from saleor_amazon.accounts import oauth
from saleor_amazon.models import AccountStatus, AmazonAccount, AmazonMarketplace
from tests.graphql.conftest import AMAZON_GRAPHQL_PATH, permission

CALLBACK = "/plugins/saleor_amazon/oauth/callback"
RETURN_URL = "https://www.example.com/dashboard/amazon/?tab=accounts"
EU_COUNTRIES = {"DE", "FR", "IT", "ES", "GB", "NL", "PL", "SE", "BE", "IE"}

CONNECT = """
mutation ($region: AmazonRegion!, $returnUrl: String) {
  amazonAccountConnect(region: $region, returnUrl: $returnUrl) {
    consentUrl expiresAt
    errors { field code message }
  }
}
"""


def _connect(api, region="EU", return_url=RETURN_URL):
    response = api.post_graphql(CONNECT, {"region": region, "returnUrl": return_url})
    return response.json()["data"]["amazonAccountConnect"]


def _state(consent_url):
    return parse_qs(urlsplit(consent_url).query)["state"][0]


@pytest.fixture
def connecting_staff(staff_user, amazon_plugin_configuration):
    from saleor.graphql.tests.fixtures import ApiClient

    staff_user.user_permissions.add(permission(ChannelPermissions.MANAGE_CHANNELS))
    return ApiClient(user=staff_user, api_path=AMAZON_GRAPHQL_PATH)


def test_consent_url_points_to_seller_central_of_the_region(connecting_staff):
    payload = _connect(connecting_staff, region="EU")
    assert payload["errors"] == []
    url = urlsplit(payload["consentUrl"])
    assert (url.scheme, url.netloc, url.path) == (
        "https",
        "sellercentral-europe.amazon.com",
        "/apps/authorize/consent",
    )
    query = parse_qs(url.query)
    assert query["application_id"] == ["amzn1.sp.solution.test"]
    assert query["version"] == ["beta"]
    assert len(query["state"][0]) >= 32

    na = urlsplit(_connect(connecting_staff, region="NA")["consentUrl"])
    assert na.netloc == "sellercentral.amazon.com"
    # Every connection gets its own state.
    assert _state(payload["consentUrl"]) != parse_qs(na.query)["state"][0]


def test_state_is_bound_to_the_requesting_staff_user(connecting_staff, staff_user):
    state = _state(_connect(connecting_staff)["consentUrl"])
    request = oauth.consume_state(state)
    assert request.user_id == staff_user.pk
    assert request.app_id is None
    assert request.region == "EU"
    assert request.return_url == RETURN_URL


@pytest.mark.parametrize(
    ("return_url", "field"),
    [("https://evil.example.org/steal", "returnUrl"), ("not a url", "returnUrl")],
)
def test_connect_rejects_return_url_outside_allowed_hosts(connecting_staff, return_url, field):
    payload = _connect(connecting_staff, return_url=return_url)
    assert payload["consentUrl"] is None
    assert payload["errors"][0]["field"] == field
    assert payload["errors"][0]["code"] == "INVALID_RETURN_URL"


def test_connect_needs_application_id(connecting_staff, amazon_plugin_configuration):
    amazon_plugin_configuration.configuration = [
        item
        for item in amazon_plugin_configuration.configuration
        if "application" not in item["name"]
    ]
    amazon_plugin_configuration.save()
    payload = _connect(connecting_staff)
    assert payload["consentUrl"] is None
    assert payload["errors"][0]["code"] == "NOT_CONFIGURED"


@pytest.mark.sandbox
def test_oauth_flow_end_to_end(client, connecting_staff, amazon_sandbox_config):
    sandbox = amazon_sandbox_config
    state = _state(_connect(connecting_staff)["consentUrl"])
    code = sandbox.mint_auth_code(sandbox.seller_id)

    response = client.get(
        CALLBACK,
        {"state": state, "selling_partner_id": sandbox.seller_id, "spapi_oauth_code": code},
    )

    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert (target.netloc, target.path) == ("www.example.com", "/dashboard/amazon/")
    query = parse_qs(target.query)
    assert query["tab"] == ["accounts"]
    assert query["amazonConnect"] == ["success"]
    account = AmazonAccount.objects.get(seller_id=sandbox.seller_id, region="EU")
    assert query["amazonAccount"][0]
    assert account.status == AccountStatus.ACTIVE
    # Named after the store name Amazon reports for the seller.
    participations = sandbox.http.get(
        f"{sandbox.url}/sellers/v1/marketplaceParticipations",
        headers={"x-amz-access-token": sandbox.access_token()},
        timeout=30,
    ).json()["payload"]
    assert account.name == participations[0]["storeName"]
    # The refresh token minted by LWA works and is stored encrypted.
    assert account.refresh_token.startswith("Atzr|")
    assert sandbox.access_token(account.refresh_token)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT refresh_token FROM saleor_amazon_amazonaccount WHERE id = %s", [account.pk]
        )
        assert cursor.fetchone()[0].startswith("fernet:")
    # The seller's EU marketplaces were read; NA ones belong to another region.
    marketplaces = AmazonMarketplace.objects.filter(account=account)
    assert {m.country for m in marketplaces} == EU_COUNTRIES
    assert not any(m.is_active for m in marketplaces)
    assert marketplaces.get(country="PL").currency == "PLN"

    # The same callback again (a reload, a replay): the state was single-use.
    replay = client.get(
        CALLBACK,
        {"state": state, "selling_partner_id": sandbox.seller_id, "spapi_oauth_code": code},
    )
    assert replay.status_code == 400
    assert replay.json()["error"]["code"] == "INVALID_STATE"
    assert AmazonAccount.objects.count() == 1


@pytest.mark.sandbox
def test_reconnecting_renews_the_token_of_the_existing_account(
    client, connecting_staff, amazon_sandbox_config
):
    sandbox = amazon_sandbox_config
    account = AmazonAccount.objects.create(
        seller_id=sandbox.seller_id,
        name="My shop",
        region="EU",
        refresh_token="Atzr|revoked-long-ago",
        status=AccountStatus.AUTH_FAILED,
        status_message="The refresh token was revoked.",
    )
    state = _state(_connect(connecting_staff)["consentUrl"])
    response = client.get(
        CALLBACK,
        {
            "state": state,
            "selling_partner_id": sandbox.seller_id,
            "spapi_oauth_code": sandbox.mint_auth_code(sandbox.seller_id),
        },
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.name == "My shop"
    assert account.status == AccountStatus.ACTIVE
    assert account.status_message == ""
    assert account.refresh_token != "Atzr|revoked-long-ago"
    assert AmazonAccount.objects.count() == 1


@pytest.mark.parametrize("state", ["", "made-up-state-value"])
def test_callback_with_unknown_state_is_refused(client, amazon_plugin_configuration, state):
    response = client.get(
        CALLBACK, {"state": state, "selling_partner_id": "A1", "spapi_oauth_code": "x"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_STATE"
    assert not AmazonAccount.objects.exists()


def test_callback_with_expired_state_is_refused(client, connecting_staff):
    state = _state(_connect(connecting_staff)["consentUrl"])
    later = timezone.now() + timedelta(seconds=oauth.STATE_TTL + 5)
    with freeze_time(later):
        response = client.get(
            CALLBACK, {"state": state, "selling_partner_id": "A1", "spapi_oauth_code": "x"}
        )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_STATE"


@pytest.mark.sandbox
def test_callback_with_used_code_returns_to_dashboard_with_error(
    client, connecting_staff, amazon_sandbox_config
):
    sandbox = amazon_sandbox_config
    code = sandbox.mint_auth_code(sandbox.seller_id)
    sandbox.access_token()  # keep the server warm; the code below is used twice
    first = _state(_connect(connecting_staff)["consentUrl"])
    second = _state(_connect(connecting_staff)["consentUrl"])
    params = {"selling_partner_id": sandbox.seller_id, "spapi_oauth_code": code}
    assert client.get(CALLBACK, {"state": first, **params}).status_code == 302

    response = client.get(CALLBACK, {"state": second, **params})

    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["amazonConnect"] == ["error"]
    assert query["amazonError"] == ["INVALID_TOKEN"]
    assert AmazonAccount.objects.count() == 1


@pytest.mark.sandbox
def test_callback_refused_when_requester_lost_permission(
    client, connecting_staff, staff_user, amazon_sandbox_config
):
    state = _state(_connect(connecting_staff)["consentUrl"])
    staff_user.user_permissions.clear()
    response = client.get(
        CALLBACK,
        {
            "state": state,
            "selling_partner_id": amazon_sandbox_config.seller_id,
            "spapi_oauth_code": amazon_sandbox_config.mint_auth_code(
                amazon_sandbox_config.seller_id
            ),
        },
    )
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["amazonError"] == ["PERMISSION_DENIED"]
    assert not AmazonAccount.objects.exists()


def test_callback_without_return_url_answers_json(client, connecting_staff):
    state = _state(_connect(connecting_staff, return_url=None)["consentUrl"])
    response = client.get(CALLBACK, {"state": state})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID"


@pytest.mark.sandbox
def test_reconnecting_a_removed_seller_reattaches_its_orders(
    client, connecting_staff, amazon_sandbox_config
):
    from saleor_amazon.models import AmazonOrder

    sandbox = amazon_sandbox_config

    def orphan(number, marketplace_id, seller_id=sandbox.seller_id):
        return AmazonOrder.objects.create(
            seller_id=seller_id,
            amazon_marketplace_id=marketplace_id,
            amazon_order_id=number,
            status="SHIPPED",
            currency="EUR",
            state="processed",
        )

    de = orphan("302-0000001-0000001", "A1PA6795UKMFR9")
    us = orphan("111-0000002-0000002", "ATVPDKIKX0DER")  # NA: another account's region
    foreign = orphan("302-0000003-0000003", "A1PA6795UKMFR9", seller_id="A2SOMEONEELSE")

    state = _state(_connect(connecting_staff)["consentUrl"])
    response = client.get(
        CALLBACK,
        {
            "state": state,
            "selling_partner_id": sandbox.seller_id,
            "spapi_oauth_code": sandbox.mint_auth_code(sandbox.seller_id),
        },
    )

    assert response.status_code == 302
    account = AmazonAccount.objects.get(seller_id=sandbox.seller_id)
    for order in (de, us, foreign):
        order.refresh_from_db()
    assert de.account == account
    assert de.marketplace == account.marketplaces.get(marketplace_id="A1PA6795UKMFR9")
    assert us.account is None
    assert foreign.account is None


@pytest.mark.sandbox
def test_an_app_can_connect_an_account(client, app, amazon_sandbox_config):
    from saleor.graphql.tests.fixtures import ApiClient
    from saleor.permission.enums import PluginsPermissions

    app.permissions.add(permission(PluginsPermissions.MANAGE_PLUGINS))
    app_client = ApiClient(app=app, api_path=AMAZON_GRAPHQL_PATH)
    state = _state(_connect(app_client)["consentUrl"])
    assert oauth.AuthorizationRequest(region="EU", return_url=RETURN_URL, app_id=app.pk) == (
        oauth.consume_state(state)
    )

    state = _state(_connect(app_client)["consentUrl"])
    sandbox = amazon_sandbox_config
    response = client.get(
        CALLBACK,
        {
            "state": state,
            "selling_partner_id": sandbox.seller_id,
            "spapi_oauth_code": sandbox.mint_auth_code(sandbox.seller_id),
        },
    )
    assert parse_qs(urlsplit(response["Location"]).query)["amazonConnect"] == ["success"]
    assert AmazonAccount.objects.filter(seller_id=sandbox.seller_id).exists()


@pytest.mark.sandbox
def test_a_callback_naming_another_seller_is_refused_and_keeps_that_sellers_token(
    client, connecting_staff, amazon_sandbox_config, two_sellers
):
    """Whoever holds a valid state consents as one seller and names another in the
    callback's query string: the other seller's stored token must stay."""
    (attacker_id, _), (victim_id, victim_token) = two_sellers
    victim = AmazonAccount.objects.create(
        seller_id=victim_id, name="Victim", region="EU", refresh_token=victim_token
    )
    state = _state(_connect(connecting_staff)["consentUrl"])

    response = client.get(
        CALLBACK,
        {
            "state": state,
            "selling_partner_id": victim_id,
            "spapi_oauth_code": amazon_sandbox_config.mint_auth_code(attacker_id),
        },
    )

    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["amazonConnect"] == ["error"]
    assert query["amazonError"] == ["SELLER_MISMATCH"]
    victim.refresh_from_db()
    assert victim.refresh_token == victim_token
    assert victim.status == AccountStatus.ACTIVE
    assert AmazonAccount.objects.count() == 1


@pytest.mark.sandbox
def test_a_callback_for_a_new_seller_id_with_another_sellers_code_creates_nothing(
    client, connecting_staff, amazon_sandbox_config, two_sellers
):
    (attacker_id, _), (victim_id, _) = two_sellers
    state = _state(_connect(connecting_staff)["consentUrl"])

    response = client.get(
        CALLBACK,
        {
            "state": state,
            "selling_partner_id": victim_id,
            "spapi_oauth_code": amazon_sandbox_config.mint_auth_code(attacker_id),
        },
    )

    assert parse_qs(urlsplit(response["Location"]).query)["amazonError"] == ["SELLER_MISMATCH"]
    assert not AmazonAccount.objects.exists()
