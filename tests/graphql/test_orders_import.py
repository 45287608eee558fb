"""amazonOrdersFetch and amazonOrderRecover against the sandbox over HTTP."""

from datetime import UTC, datetime, timedelta

import graphene
import pytest
from saleor.permission.enums import OrderPermissions

from amazon_sandbox.generate import generate_orders, seed_document, skus_of
from saleor_amazon.models import AccountStatus, AmazonAccount, AmazonOrder, ProcessingState
from saleor_amazon.orders.mapping import parse_time

pytestmark = pytest.mark.sandbox

FETCH = """
mutation ($marketplace: ID!, $since: DateTime!, $until: DateTime) {
  amazonOrdersFetch(marketplace: $marketplace, since: $since, until: $until) {
    taskId marketplaceCode
    errors { field code message }
  }
}
"""

RECOVER = """
mutation ($number: String!, $account: ID) {
  amazonOrderRecover(amazonOrderId: $number, account: $account) {
    outcome
    order { amazonOrderId processingState saleorOrder { number } marketplaceCode }
    errors { field code message }
  }
}
"""


def gid(type_name, obj):
    return graphene.Node.to_global_id(type_name, obj.pk)


@pytest.fixture
def shop(amazon_sandbox_config, marketplace_for, variant_for):
    """The sandbox's seller with three unshipped DE orders; the shop sells their SKUs."""
    sandbox = amazon_sandbox_config
    orders = generate_orders(
        3, seed="graphql-fetch", marketplaces=["DE"], statuses=["UNSHIPPED"],
        fulfilled_by="MERCHANT",
    )  # fmt: skip
    sandbox.reset(
        seed=seed_document(orders, seller_id=sandbox.seller_id, refresh_token=sandbox.refresh_token)
    )
    account = AmazonAccount.objects.create(
        seller_id=sandbox.seller_id,
        name="Sandbox seller",
        region="EU",
        refresh_token=sandbox.refresh_token,
    )
    marketplace = marketplace_for(
        "DE", account=account, import_since=datetime(2026, 1, 1, tzinfo=UTC)
    )
    for sku in skus_of(orders):
        variant_for(sku, stock=100)
    AmazonAccount.objects.exclude(pk=account.pk).delete()  # marketplace_for's own account
    return {"orders": orders, "account": account, "marketplace": marketplace}


@pytest.fixture
def orders_staff(staff_api):
    return staff_api.grant(OrderPermissions.MANAGE_ORDERS)


def _created(order):
    return parse_time(order["createdTime"])


def test_fetch_imports_the_marketplace_orders_of_the_range(orders_staff, shop):
    since = min(_created(o) for o in shop["orders"]) - timedelta(hours=1)
    payload = orders_staff.post_graphql(
        FETCH,
        {"marketplace": gid("AmazonMarketplace", shop["marketplace"]), "since": since.isoformat()},
    ).json()["data"]["amazonOrdersFetch"]

    assert payload["errors"] == []
    assert payload["taskId"]
    assert payload["marketplaceCode"] == "DE"
    stored = AmazonOrder.objects.filter(account=shop["account"])
    assert {o.amazon_order_id for o in stored} == {o["orderId"] for o in shop["orders"]}
    assert all(o.state == ProcessingState.PROCESSED for o in stored)


def test_fetch_validates_the_range_and_the_marketplace(orders_staff, shop):
    marketplace = shop["marketplace"]
    now = datetime.now(UTC)
    variables = {
        "marketplace": gid("AmazonMarketplace", marketplace),
        "since": now.isoformat(),
        "until": (now - timedelta(days=1)).isoformat(),
    }
    errors = orders_staff.post_graphql(FETCH, variables).json()["data"]["amazonOrdersFetch"][
        "errors"
    ]
    assert [(e["field"], e["code"]) for e in errors] == [("since", "INVALID")]

    marketplace.is_active = False
    marketplace.save(update_fields=["is_active"])
    variables = {
        "marketplace": gid("AmazonMarketplace", marketplace),
        "since": "2026-01-01T00:00:00Z",
    }
    errors = orders_staff.post_graphql(FETCH, variables).json()["data"]["amazonOrdersFetch"][
        "errors"
    ]
    assert [(e["field"], e["code"]) for e in errors] == [("marketplace", "MARKETPLACE_INACTIVE")]

    marketplace.is_active = True
    marketplace.save(update_fields=["is_active"])
    shop["account"].mark_auth_failed("Access to requested resource is denied.")
    errors = orders_staff.post_graphql(FETCH, variables).json()["data"]["amazonOrdersFetch"][
        "errors"
    ]
    assert [(e["field"], e["code"]) for e in errors] == [("marketplace", "INVALID_TOKEN")]
    assert not AmazonOrder.objects.exists()


def test_recover_one_order_by_its_number(orders_staff, shop):
    number = shop["orders"][1]["orderId"]
    payload = orders_staff.post_graphql(RECOVER, {"number": number}).json()["data"][
        "amazonOrderRecover"
    ]
    assert payload["errors"] == []
    assert payload["outcome"] == "created"
    order = payload["order"]
    assert order["amazonOrderId"] == number
    assert order["processingState"] == "PROCESSED"
    assert order["saleorOrder"]["number"]
    assert order["marketplaceCode"] == "DE"
    assert AmazonOrder.objects.count() == 1

    again = orders_staff.post_graphql(
        RECOVER, {"number": number, "account": gid("AmazonAccount", shop["account"])}
    ).json()["data"]["amazonOrderRecover"]
    assert again["errors"] == []
    assert again["outcome"] == "unchanged"
    assert AmazonOrder.objects.count() == 1


def test_recover_unknown_or_malformed_order(orders_staff, shop):
    unknown = orders_staff.post_graphql(RECOVER, {"number": "999-9999999-9999999"}).json()["data"][
        "amazonOrderRecover"
    ]
    assert [(e["field"], e["code"]) for e in unknown["errors"]] == [("amazonOrderId", "NOT_FOUND")]
    malformed = orders_staff.post_graphql(RECOVER, {"number": "12345"}).json()["data"][
        "amazonOrderRecover"
    ]
    assert [(e["field"], e["code"]) for e in malformed["errors"]] == [("amazonOrderId", "INVALID")]


def test_recover_needs_the_account_when_there_are_several(orders_staff, shop):
    AmazonAccount.objects.create(
        seller_id="A2SECOND", name="Second", region="NA", status=AccountStatus.ACTIVE
    )
    number = shop["orders"][0]["orderId"]
    payload = orders_staff.post_graphql(RECOVER, {"number": number}).json()["data"][
        "amazonOrderRecover"
    ]
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("account", "REQUIRED")]
