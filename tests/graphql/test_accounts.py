"""amazonAccounts, amazonAccount, amazonAccountCreate, amazonAccountDelete."""

import graphene
import pytest
from django.db import connection
from saleor.permission.enums import ChannelPermissions, PluginsPermissions

from saleor_amazon.models import (
    AccountStatus,
    AmazonAccount,
    AmazonImportCursor,
    AmazonMarketplace,
    AmazonOffer,
    AmazonOrder,
)

ACCOUNTS = """
query ($filter: AmazonAccountFilterInput, $sortBy: AmazonAccountSortingInput) {
  amazonAccounts(first: 10, filter: $filter, sortBy: $sortBy) {
    totalCount
    edges { node {
      id sellerId name region status statusMessage refreshTokenHint lastOrderCheckAt
      marketplaces { code currency isActive }
    } }
  }
}
"""

ACCOUNT = """
query ($id: ID!) { amazonAccount(id: $id) { id sellerId refreshTokenHint } }
"""

CREATE = """
mutation ($input: AmazonAccountCreateInput!) {
  amazonAccountCreate(input: $input) {
    account { id sellerId name region status refreshTokenHint marketplaces { code currency } }
    errors { field code message }
  }
}
"""

DELETE = """
mutation ($id: ID!) {
  amazonAccountDelete(id: $id) { account { id sellerId } errors { field code message } }
}
"""


def _gid(obj):
    return graphene.Node.to_global_id(type(obj).__name__, obj.pk)


@pytest.fixture
def manager(staff_api):
    return staff_api.grant(ChannelPermissions.MANAGE_CHANNELS)


def test_accounts_never_reveal_the_refresh_token(manager, amazon_account):
    response = manager.post_graphql(ACCOUNTS)
    assert "test-refresh-token" not in response.content.decode()
    node = response.json()["data"]["amazonAccounts"]["edges"][0]["node"]
    assert node["refreshTokenHint"] == "Atzr…6789"
    assert node["sellerId"] == "A1SELLERTEST"
    assert node["status"] == "ACTIVE"


def test_accounts_show_last_successful_order_check(
    manager, amazon_account, amazon_marketplace_de, amazon_marketplace_uk
):
    from django.utils import timezone

    earlier = timezone.now().replace(microsecond=0) - timezone.timedelta(hours=2)
    later = earlier + timezone.timedelta(minutes=10)
    AmazonImportCursor.objects.create(
        account=amazon_account, marketplace=amazon_marketplace_de, last_success_at=earlier
    )
    AmazonImportCursor.objects.create(
        account=amazon_account, marketplace=amazon_marketplace_uk, last_success_at=later
    )
    node = manager.post_graphql(ACCOUNTS).json()["data"]["amazonAccounts"]["edges"][0]["node"]
    assert node["lastOrderCheckAt"] == later.isoformat()
    assert sorted(m["code"] for m in node["marketplaces"]) == ["DE", "UK"]


def test_accounts_filter_and_sort(manager, amazon_account):
    AmazonAccount.objects.create(
        seller_id="A2OTHER", name="Another shop", region="NA", status=AccountStatus.AUTH_FAILED
    )
    by_name = manager.post_graphql(ACCOUNTS, {"sortBy": {"field": "NAME", "direction": "ASC"}})
    names = [e["node"]["name"] for e in by_name.json()["data"]["amazonAccounts"]["edges"]]
    assert names == ["Another shop", "Test seller"]

    failed = manager.post_graphql(ACCOUNTS, {"filter": {"status": "AUTH_FAILED"}}).json()
    assert [e["node"]["sellerId"] for e in failed["data"]["amazonAccounts"]["edges"]] == ["A2OTHER"]
    eu = manager.post_graphql(ACCOUNTS, {"filter": {"region": "EU", "search": "test"}}).json()
    assert eu["data"]["amazonAccounts"]["totalCount"] == 1


def test_account_by_id(staff_api, amazon_account):
    staff_api.grant(PluginsPermissions.MANAGE_PLUGINS)
    data = staff_api.post_graphql(ACCOUNT, {"id": _gid(amazon_account)}).json()["data"]
    assert data["amazonAccount"]["sellerId"] == "A1SELLERTEST"
    other = graphene.Node.to_global_id("AmazonAccount", amazon_account.pk + 1000)
    assert staff_api.post_graphql(ACCOUNT, {"id": other}).json()["data"]["amazonAccount"] is None


@pytest.mark.sandbox
def test_create_account_with_pasted_token(manager, amazon_sandbox_config):
    sandbox = amazon_sandbox_config
    variables = {
        "input": {
            "sellerId": sandbox.seller_id,
            "name": "Main seller account",
            "region": "EU",
            "refreshToken": f"  {sandbox.refresh_token}\n",
        }
    }
    payload = manager.post_graphql(CREATE, variables).json()["data"]["amazonAccountCreate"]
    assert payload["errors"] == []
    account = payload["account"]
    assert account["name"] == "Main seller account"
    assert account["status"] == "ACTIVE"
    assert sandbox.refresh_token not in str(payload)
    codes = {m["code"] for m in account["marketplaces"]}
    assert {"DE", "FR", "IT", "ES", "UK", "NL", "PL", "SE", "BE", "IE"} == codes
    stored = AmazonAccount.objects.get(seller_id=sandbox.seller_id)
    assert stored.refresh_token == sandbox.refresh_token  # whitespace of the paste trimmed
    assert stored.last_used_at is not None


@pytest.mark.sandbox
def test_create_account_refuses_a_token_of_another_seller(manager, two_sellers):
    (_, attacker_token), (victim_id, _) = two_sellers
    variables = {"input": {"sellerId": victim_id, "region": "EU", "refreshToken": attacker_token}}

    payload = manager.post_graphql(CREATE, variables).json()["data"]["amazonAccountCreate"]

    assert payload["account"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("sellerId", "SELLER_MISMATCH")]
    assert not AmazonAccount.objects.exists()


@pytest.mark.sandbox
def test_create_account_with_na_token_reads_na_marketplaces(manager, amazon_sandbox_config):
    sandbox = amazon_sandbox_config
    variables = {
        "input": {
            "sellerId": sandbox.seller_id,
            "region": "NA",
            "refreshToken": sandbox.refresh_token,
        }
    }
    payload = manager.post_graphql(CREATE, variables).json()["data"]["amazonAccountCreate"]
    assert {(m["code"], m["currency"]) for m in payload["account"]["marketplaces"]} == {
        ("US", "USD"),
        ("CA", "CAD"),
    }
    assert payload["account"]["name"] == sandbox.seller_id


@pytest.mark.sandbox
def test_create_account_with_invalid_token_says_so(manager, amazon_sandbox_config):
    variables = {
        "input": {
            "sellerId": "A1NOTREAL",
            "region": "EU",
            "refreshToken": "Atzr|this-token-was-never-issued",
        }
    }
    payload = manager.post_graphql(CREATE, variables).json()["data"]["amazonAccountCreate"]
    assert payload["account"] is None
    [error] = payload["errors"]
    assert error["field"] == "refreshToken"
    assert error["code"] == "INVALID_TOKEN"
    assert "not valid" in error["message"]
    assert not AmazonAccount.objects.exists()


@pytest.mark.sandbox
def test_create_account_with_revoked_token(manager, amazon_sandbox_config):
    sandbox = amazon_sandbox_config
    sandbox.revoke(sandbox.refresh_token)
    variables = {
        "input": {
            "sellerId": sandbox.seller_id,
            "region": "EU",
            "refreshToken": sandbox.refresh_token,
        }
    }
    payload = manager.post_graphql(CREATE, variables).json()["data"]["amazonAccountCreate"]
    assert payload["errors"][0]["code"] == "INVALID_TOKEN"
    assert not AmazonAccount.objects.exists()


def test_create_account_validates_input_before_calling_amazon(manager, amazon_account):
    blank = {"input": {"sellerId": " ", "region": "EU", "refreshToken": ""}}
    errors = manager.post_graphql(CREATE, blank).json()["data"]["amazonAccountCreate"]["errors"]
    assert {(e["field"], e["code"]) for e in errors} == {
        ("sellerId", "REQUIRED"),
        ("refreshToken", "REQUIRED"),
    }
    duplicate = {"input": {"sellerId": "A1SELLERTEST", "region": "EU", "refreshToken": "Atzr|x"}}
    errors = manager.post_graphql(CREATE, duplicate).json()["data"]["amazonAccountCreate"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("sellerId", "UNIQUE")]


def test_create_account_rejects_unknown_region(manager):
    variables = {"input": {"sellerId": "A1", "region": "XX", "refreshToken": "Atzr|x"}}
    response = manager.post_graphql(CREATE, variables)
    assert response.status_code == 400
    assert "AmazonRegion" in response.json()["errors"][0]["message"]


def test_create_account_needs_lwa_credentials(manager, amazon_plugin_configuration):
    amazon_plugin_configuration.configuration = []
    amazon_plugin_configuration.save()
    variables = {"input": {"sellerId": "A1", "region": "EU", "refreshToken": "Atzr|x"}}
    errors = manager.post_graphql(CREATE, variables).json()["data"]["amazonAccountCreate"]["errors"]
    assert [e["code"] for e in errors] == ["NOT_CONFIGURED"]


def test_delete_account_keeps_imported_orders(
    manager, amazon_account, amazon_marketplace_de, order, variant
):
    amazon_order = AmazonOrder.objects.create(
        account=amazon_account,
        marketplace=amazon_marketplace_de,
        amazon_marketplace_id=amazon_marketplace_de.marketplace_id,
        amazon_order_id="302-1234567-1234567",
        status="SHIPPED",
        currency="EUR",
        state="processed",
        saleor_order=order,
    )
    AmazonOffer.objects.create(
        variant=variant,
        account=amazon_account,
        marketplace=amazon_marketplace_de,
        seller_sku="SKU-1",
    )
    AmazonImportCursor.objects.create(account=amazon_account, marketplace=amazon_marketplace_de)

    payload = manager.post_graphql(DELETE, {"id": _gid(amazon_account)}).json()["data"][
        "amazonAccountDelete"
    ]

    assert payload["errors"] == []
    assert payload["account"]["sellerId"] == "A1SELLERTEST"
    assert not AmazonAccount.objects.exists()
    assert not AmazonMarketplace.objects.exists()
    assert not AmazonOffer.objects.exists()
    assert not AmazonImportCursor.objects.exists()
    amazon_order.refresh_from_db()
    assert amazon_order.account_id is None
    assert amazon_order.marketplace_id is None
    assert amazon_order.amazon_marketplace_id == "A1PA6795UKMFR9"
    assert amazon_order.saleor_order_id == order.pk
    order.refresh_from_db()  # the Saleor order is untouched
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM saleor_amazon_amazonaccount")
        assert cursor.fetchone()[0] == 0


def test_delete_unknown_account(manager):
    missing = graphene.Node.to_global_id("AmazonAccount", 987654)
    errors = manager.post_graphql(DELETE, {"id": missing}).json()["data"]["amazonAccountDelete"][
        "errors"
    ]
    assert [(e["field"], e["code"]) for e in errors] == [("id", "NOT_FOUND")]


@pytest.mark.sandbox
def test_deleting_an_account_drops_its_cached_access_tokens(manager, amazon_sandbox_config):
    from saleor_amazon.spapi import lwa

    sandbox = amazon_sandbox_config
    variables = {
        "input": {
            "sellerId": sandbox.seller_id,
            "region": "EU",
            "refreshToken": sandbox.refresh_token,
        }
    }
    account_id = manager.post_graphql(CREATE, variables).json()["data"]["amazonAccountCreate"][
        "account"
    ]["id"]

    def cached():
        return [key for key in lwa._cache if sandbox.refresh_token in key]

    assert cached()  # the token was used to read the marketplaces
    errors = manager.post_graphql(DELETE, {"id": account_id}).json()["data"]["amazonAccountDelete"][
        "errors"
    ]
    assert errors == []
    assert cached() == []
