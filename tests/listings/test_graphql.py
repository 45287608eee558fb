"""The listings part of the Amazon GraphQL API: permissions and behaviour on the sandbox."""

from decimal import Decimal

import graphene
import pytest
from saleor.permission.enums import ChannelPermissions, OrderPermissions, ProductPermissions

from saleor_amazon.listings.results import poll_feeds
from saleor_amazon.models import AmazonFeed, AmazonOffer, OfferSyncState
from tests.graphql.conftest import amazon_api  # noqa: F401
from tests.graphql.matrix import check_permission, permission_cases

MANAGE_PRODUCTS = ProductPermissions.MANAGE_PRODUCTS


def gid(obj, type_name=None):
    return graphene.Node.to_global_id(type_name or type(obj).__name__, obj.pk)


@pytest.fixture
def objects(shop):
    variant, _ = shop.pool_variant(0)
    offer = AmazonOffer.objects.create(
        variant=variant, account=shop.account, marketplace=shop.marketplace, seller_sku="G-1"
    )
    feed = AmazonFeed.objects.create(
        account=shop.account, marketplace=shop.marketplace, feed_type="JSON_LISTINGS_FEED"
    )
    return {
        "offer": gid(offer),
        "feed": gid(feed),
        "marketplace": gid(shop.marketplace),
        "variant": gid(variant, "ProductVariant"),
    }


OPERATIONS = {
    "amazonOffer": ("query ($offer: ID!) { amazonOffer(id: $offer) { id } }", ["offer"]),
    "amazonFeeds": ("{ amazonFeeds(first: 5) { edges { node { id } } } }", []),
    "amazonFeed": ("query ($feed: ID!) { amazonFeed(id: $feed) { id } }", ["feed"]),
    "amazonOfferUpdate": (
        """mutation ($offer: ID!) { amazonOfferUpdate(id: $offer, input: {quantity: 2}) {
             errors { code } } }""",
        ["offer"],
    ),
    "amazonProductsSend": (
        """mutation ($variant: ID!, $marketplace: ID!) { amazonProductsSend(
             variantIds: [$variant], marketplaces: [$marketplace]) { errors { code } } }""",
        ["variant", "marketplace"],
    ),
    "amazonListingsImport": (
        """mutation ($marketplace: ID!) { amazonListingsImport(marketplace: $marketplace) {
             errors { code } } }""",
        ["marketplace"],
    ),
}


FEED_OPERATIONS = ["amazonFeeds", "amazonFeed"]


@pytest.mark.parametrize(
    ("name", "role", "granted", "allowed"),
    [
        *permission_cases(
            [name for name in OPERATIONS if name not in FEED_OPERATIONS],
            MANAGE_PRODUCTS,
            OrderPermissions.MANAGE_ORDERS,
        ),
        # Order staff read the order feeds, not this listings one: see
        # tests/graphql/test_nested_permissions.py.
        *permission_cases(FEED_OPERATIONS, MANAGE_PRODUCTS, ChannelPermissions.MANAGE_CHANNELS),
    ],
)
def test_permissions(amazon_api, objects, name, role, granted, allowed):  # noqa: F811
    check_permission(amazon_api, OPERATIONS, objects, name, role, granted, allowed)


@pytest.fixture
def api(amazon_api):  # noqa: F811
    return amazon_api("staff").grant(MANAGE_PRODUCTS)


OFFER_UPDATE = """
mutation ($id: ID!, $input: AmazonOfferUpdateInput!) {
  amazonOfferUpdate(id: $id, input: $input) {
    offer { price { amount currency } quantity handlingTime condition }
    errors { field code message }
  }
}"""


def test_offer_update_sets_and_clears_overrides(api, shop):
    variant, _ = shop.pool_variant(0)
    offer = AmazonOffer.objects.create(
        variant=variant, account=shop.account, marketplace=shop.marketplace, seller_sku="U-1"
    )
    data = api.post_graphql(
        OFFER_UPDATE,
        {"id": gid(offer), "input": {"price": "19.99", "quantity": 3, "handlingTime": 4}},
    ).json()["data"]["amazonOfferUpdate"]
    assert data["errors"] == []
    assert data["offer"]["price"] == {"amount": 19.99, "currency": "EUR"}
    offer.refresh_from_db()
    assert (offer.price, offer.quantity, offer.handling_time) == (Decimal("19.99"), 3, 4)

    data = api.post_graphql(
        OFFER_UPDATE, {"id": gid(offer), "input": {"price": None, "quantity": None}}
    ).json()["data"]["amazonOfferUpdate"]
    offer.refresh_from_db()
    assert (offer.price, offer.quantity, offer.handling_time) == (None, None, 4)

    data = api.post_graphql(
        OFFER_UPDATE, {"id": gid(offer), "input": {"quantity": -1, "condition": "mint"}}
    ).json()["data"]["amazonOfferUpdate"]
    assert [e["field"] for e in data["errors"]] == ["quantity"]
    data = api.post_graphql(
        OFFER_UPDATE, {"id": gid(offer), "input": {"condition": "mint"}}
    ).json()["data"]["amazonOfferUpdate"]
    assert data["errors"][0]["field"] == "condition"


SEND = """
mutation ($products: [ID!], $marketplaces: [ID!]!) {
  amazonProductsSend(productIds: $products, marketplaces: $marketplaces) {
    variantsCount
    offers { sellerSku syncState }
    errors { field code message }
  }
}"""
FEEDS = """
{ amazonFeeds(first: 5) { edges { node {
    amazonFeedId status messagesTotal messagesAccepted messagesInvalid
    issues { messageId sku code severity message }
} } } }"""


def test_products_send_queues_then_feeds_and_reports_are_visible(api, shop, monkeypatch):
    from saleor_amazon.tasks import listings as tasks

    queued = []
    monkeypatch.setattr(tasks.send_products_task, "delay", lambda *args: queued.append(args))
    good, _ = shop.pool_variant(1)
    bare = shop.variant("NO-CODE-G")
    bad = shop.variant("BAD-ASIN-G")
    AmazonOffer.objects.create(
        variant=bad,
        account=shop.account,
        marketplace=shop.marketplace,
        seller_sku="BAD-ASIN-G",
        asin="B0NOTTHERE",
    )

    data = api.post_graphql(
        SEND,
        {
            "products": [gid(v.product, "Product") for v in (good, bare, bad)],
            "marketplaces": [gid(shop.marketplace)],
        },
    ).json()["data"]["amazonProductsSend"]
    assert data["errors"] == []
    assert data["variantsCount"] == 3
    assert {o["syncState"] for o in data["offers"]} == {"QUEUED"}
    assert shop.sandbox.received("feeds") == []  # nothing sent inside the request

    [(variant_ids, marketplace_ids)] = queued
    assert sorted(variant_ids) == sorted(v.pk for v in (good, bare, bad))
    tasks.send_products_task.run(variant_ids, marketplace_ids)  # what the worker runs
    shop.settle()
    poll_feeds()

    states = dict(AmazonOffer.objects.values_list("seller_sku", "sync_state"))
    assert states[good.sku] == OfferSyncState.LIVE
    assert states["NO-CODE-G"] == OfferSyncState.ERROR
    assert states["BAD-ASIN-G"] == OfferSyncState.ERROR
    [edge] = api.post_graphql(FEEDS).json()["data"]["amazonFeeds"]["edges"]
    feed = edge["node"]
    assert feed["status"] == "DONE"
    assert (feed["messagesTotal"], feed["messagesAccepted"], feed["messagesInvalid"]) == (2, 1, 1)
    assert [(i["sku"], i["code"]) for i in feed["issues"]] == [("BAD-ASIN-G", "8541")]

    offers = api.post_graphql(
        """{ amazonOffers(first: 10) { edges { node {
              sellerSku lastIssues { code } } } } }"""
    ).json()["data"]["amazonOffers"]["edges"]
    issues = {e["node"]["sellerSku"]: [i["code"] for i in e["node"]["lastIssues"]] for e in offers}
    assert issues == {good.sku: [], "NO-CODE-G": ["NO_BARCODE"], "BAD-ASIN-G": ["8541"]}


def test_products_send_needs_an_active_marketplace(api, shop):
    variant, _ = shop.pool_variant(1)
    shop.marketplace.is_active = False
    shop.marketplace.save(update_fields=["is_active"])

    content = api.post_graphql(
        SEND,
        {"products": [gid(variant.product, "Product")], "marketplaces": [gid(shop.marketplace)]},
    ).json()

    assert content["data"]["amazonProductsSend"]["errors"][0]["code"] == "MARKETPLACE_INACTIVE", (
        content
    )
    assert not AmazonOffer.objects.exists()


IMPORT = """
mutation ($marketplace: ID!) {
  amazonListingsImport(marketplace: $marketplace, createMissing: false) {
    created linked skipped lines { sku action reason }
    errors { field code message }
  }
}"""


def test_listings_import_reports_counts(api, shop):
    from tests.listings.test_import import _put

    _put(shop, "LINK-ME", 0)
    _put(shop, "UNKNOWN", 1)
    shop.variant("LINK-ME")

    data = api.post_graphql(IMPORT, {"marketplace": gid(shop.marketplace)}).json()["data"][
        "amazonListingsImport"
    ]

    assert data["errors"] == []
    assert (data["created"], data["linked"], data["skipped"]) == (0, 1, 1)
    assert {line["sku"]: line["action"] for line in data["lines"]} == {
        "LINK-ME": "linked",
        "UNKNOWN": "skipped",
    }
