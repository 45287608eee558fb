"""Nested objects need the permission of their own top-level query.

An order's, offer's or feed's account and marketplace are account settings (MANAGE_CHANNELS
or MANAGE_PLUGINS); order staff and product staff see only ``accountName``, ``sellerId``
and ``marketplaceCode``. Order feeds are MANAGE_ORDERS matters, listings feeds
MANAGE_PRODUCTS ones, at the top level and nested alike.
"""

from types import SimpleNamespace

import graphene
import pytest
from graphql.type import GraphQLList, GraphQLNonNull, GraphQLObjectType
from saleor.permission.enums import (
    ChannelPermissions,
    OrderPermissions,
    PluginsPermissions,
    ProductPermissions,
)

from saleor_amazon.fulfillment.models import (
    AmazonAcknowledgement,
    AmazonCancellation,
    AmazonInvoiceUpload,
    AmazonShipment,
)
from saleor_amazon.graphql.cost import is_connection_plumbing
from saleor_amazon.graphql.schema import schema
from saleor_amazon.models import AmazonFeed, AmazonOffer, AmazonOrder

from .matrix import Nested, check_nested_permission, nested_permission_cases

ORDERS = OrderPermissions.MANAGE_ORDERS
PRODUCTS = ProductPermissions.MANAGE_PRODUCTS
ACCOUNTS = (ChannelPermissions.MANAGE_CHANNELS, PluginsPermissions.MANAGE_PLUGINS)

SECRET_ACCOUNT = "refreshTokenHint statusMessage"
SECRET_MARKETPLACE = "channel { slug } defaultWarehouse { slug } importSince"


def gid(obj, type_name=None):
    return graphene.Node.to_global_id(type_name or type(obj).__name__, obj.pk)


@pytest.fixture
def objects(amazon_account, marketplace_for, variant_for, monkeypatch):
    from saleor_amazon.tasks import import_account_orders_task

    monkeypatch.setattr(
        import_account_orders_task, "delay", lambda *a, **k: SimpleNamespace(id="task-1")
    )
    marketplace = marketplace_for("DE")

    def feed(feed_type):
        return AmazonFeed.objects.create(
            account=amazon_account, marketplace=marketplace, feed_type=feed_type
        )

    def order(number):
        return AmazonOrder.objects.create(
            account=amazon_account,
            marketplace=marketplace,
            seller_id=amazon_account.seller_id,
            amazon_marketplace_id=marketplace.marketplace_id,
            amazon_order_id=number,
            status="UNSHIPPED",
            currency="EUR",
        )

    shipped = order("302-0000000-0000001")
    order_feed = feed("POST_ORDER_FULFILLMENT_DATA")
    AmazonShipment.objects.create(amazon_order=shipped, package_reference_id="1", feed=order_feed)
    AmazonCancellation.objects.create(
        amazon_order=shipped, key="order", feed=feed("POST_ORDER_ACKNOWLEDGEMENT_DATA")
    )
    AmazonAcknowledgement.objects.create(
        amazon_order=shipped, feed=feed("POST_ORDER_ACKNOWLEDGEMENT_DATA")
    )
    AmazonInvoiceUpload.objects.create(
        amazon_order=shipped, invoice_number="INV-1", feed=feed("UPLOAD_VAT_INVOICE")
    )
    listings_feed = feed("JSON_LISTINGS_FEED")
    # A record pointing at a listings feed: the feed's kind decides, not the way to it.
    odd = order("302-0000000-0000002")
    AmazonShipment.objects.create(amazon_order=odd, package_reference_id="2", feed=listings_feed)
    offer = AmazonOffer.objects.create(
        variant=variant_for("NP-1"),
        account=amazon_account,
        marketplace=marketplace,
        seller_sku="NP-1",
    )
    return {
        "order": gid(shipped),
        "odd": gid(odd, "AmazonOrder"),
        "offer": gid(offer),
        "orderFeed": gid(order_feed),
        "listingsFeed": gid(listings_feed),
        "marketplace": gid(marketplace),
    }


def _order(selection, path, allowed, order="order"):
    return Nested(
        f"query (${order}: ID!) {{ amazonOrder(id: ${order}) {{ id {selection} }} }}",
        [order],
        f"amazonOrder.{path}",
        ORDERS,
        allowed,
    )


PATHS = {
    "orders-account": Nested(
        f"""{{ amazonOrders(first: 5) {{ edges {{ node {{
              id account {{ {SECRET_ACCOUNT} }} }} }} }} }}""",
        [],
        "amazonOrders.edges.*.node.account",
        ORDERS,
        ACCOUNTS,
    ),
    "orders-marketplace": Nested(
        f"""{{ amazonOrders(first: 5) {{ edges {{ node {{
              id marketplace {{ {SECRET_MARKETPLACE} }} }} }} }} }}""",
        [],
        "amazonOrders.edges.*.node.marketplace",
        ORDERS,
        ACCOUNTS,
    ),
    "order-account-marketplaces": _order(
        f"account {{ marketplaces {{ {SECRET_MARKETPLACE} }} }}", "account", ACCOUNTS
    ),
    "order-shipment-feed": _order(
        "shipments { feed { id status } }", "shipments.*.feed", (ORDERS,)
    ),
    "order-shipment-feed-account": _order(
        f"shipments {{ feed {{ id account {{ {SECRET_ACCOUNT} }} }} }}",
        "shipments.*.feed.account",
        ACCOUNTS,
    ),
    "order-cancellation-feed-marketplace": _order(
        f"cancellations {{ feed {{ id marketplace {{ {SECRET_MARKETPLACE} }} }} }}",
        "cancellations.*.feed.marketplace",
        ACCOUNTS,
    ),
    "order-acknowledgement-feed-account": _order(
        f"acknowledgement {{ feed {{ id account {{ {SECRET_ACCOUNT} }} }} }}",
        "acknowledgement.feed.account",
        ACCOUNTS,
    ),
    "order-invoice-feed-account": _order(
        f"invoiceUploads {{ feed {{ id account {{ {SECRET_ACCOUNT} }} }} }}",
        "invoiceUploads.*.feed.account",
        ACCOUNTS,
    ),
    "order-shipment-listings-feed": _order(
        "shipments { feed { id status } }", "shipments.*.feed", (PRODUCTS,), order="odd"
    ),
    "offers-account": Nested(
        f"""{{ amazonOffers(first: 5) {{ edges {{ node {{
              id account {{ {SECRET_ACCOUNT} }} }} }} }} }}""",
        [],
        "amazonOffers.edges.*.node.account",
        PRODUCTS,
        ACCOUNTS,
    ),
    "offers-marketplace": Nested(
        f"""{{ amazonOffers(first: 5) {{ edges {{ node {{
              id marketplace {{ {SECRET_MARKETPLACE} }} }} }} }} }}""",
        [],
        "amazonOffers.edges.*.node.marketplace",
        PRODUCTS,
        ACCOUNTS,
    ),
    "offer-marketplace-account": Nested(
        f"""query ($offer: ID!) {{ amazonOffer(id: $offer) {{
              id marketplace {{ account {{ {SECRET_ACCOUNT} }} }} }} }}""",
        ["offer"],
        "amazonOffer.marketplace",
        PRODUCTS,
        ACCOUNTS,
    ),
    "feeds-account": Nested(
        f"""{{ amazonFeeds(first: 5, filter: {{feedType: "JSON_LISTINGS_FEED"}}) {{
              edges {{ node {{ id account {{ {SECRET_ACCOUNT} }} }} }} }} }}""",
        [],
        "amazonFeeds.edges.*.node.account",
        PRODUCTS,
        ACCOUNTS,
    ),
    "feed-marketplace": Nested(
        f"""query ($listingsFeed: ID!) {{ amazonFeed(id: $listingsFeed) {{
              id marketplace {{ {SECRET_MARKETPLACE} }} }} }}""",
        ["listingsFeed"],
        "amazonFeed.marketplace",
        PRODUCTS,
        ACCOUNTS,
    ),
    "order-feed": Nested(
        "query ($orderFeed: ID!) { amazonFeed(id: $orderFeed) { id status } }",
        ["orderFeed"],
        "amazonFeed",
        None,
        (ORDERS,),
    ),
    "listings-feed": Nested(
        "query ($listingsFeed: ID!) { amazonFeed(id: $listingsFeed) { id status } }",
        ["listingsFeed"],
        "amazonFeed",
        None,
        (PRODUCTS,),
    ),
    "orders-fetch-marketplace": Nested(
        f"""mutation ($marketplace: ID!) {{ amazonOrdersFetch(
              marketplace: $marketplace, since: "2026-11-01T00:00:00Z") {{
              taskId marketplace {{ {SECRET_MARKETPLACE} }} errors {{ code }} }} }}""",
        ["marketplace"],
        "amazonOrdersFetch.marketplace",
        ORDERS,
        ACCOUNTS,
    ),
}


@pytest.mark.parametrize(
    ("name", "role", "granted", "allowed"), list(nested_permission_cases(PATHS))
)
def test_nested_permissions(amazon_api, objects, name, role, granted, allowed):
    check_nested_permission(amazon_api, PATHS, objects, name, role, granted, allowed)


SUMMARY = """
{
  amazonOrders(first: 5) { edges { node { accountName sellerId marketplaceCode } } }
  amazonOffers(first: 5) { edges { node { accountName sellerId marketplaceCode } } }
  amazonFeeds(first: 20) { edges { node { feedType accountName sellerId marketplaceCode } } }
}
"""


def test_order_and_product_staff_see_the_account_name_seller_and_marketplace(
    amazon_api, objects, amazon_account
):
    api = amazon_api("staff").grant(ORDERS, PRODUCTS)
    content = api.post_graphql(SUMMARY).json()
    assert "errors" not in content, content
    rows = [edge["node"] for connection in content["data"].values() for edge in connection["edges"]]
    assert len(rows) == 2 + 1 + 5  # orders, offer, feeds
    for row in rows:
        assert row["accountName"] == "Test seller"
        assert row["sellerId"] == amazon_account.seller_id
        assert row["marketplaceCode"] == "DE"
    assert "refresh-token" not in str(content)


FEEDS = "{ amazonFeeds(first: 20) { edges { node { feedType } } } }"
ORDER_FEEDS = [
    "POST_ORDER_ACKNOWLEDGEMENT_DATA",
    "POST_ORDER_ACKNOWLEDGEMENT_DATA",
    "POST_ORDER_FULFILLMENT_DATA",
    "UPLOAD_VAT_INVOICE",
]


@pytest.mark.parametrize(
    ("role", "granted", "shown"),
    [
        ("staff", (ORDERS,), ORDER_FEEDS),
        ("staff", (PRODUCTS,), ["JSON_LISTINGS_FEED"]),
        ("staff", (ORDERS, PRODUCTS), [*ORDER_FEEDS, "JSON_LISTINGS_FEED"]),
        ("app", (ORDERS,), ORDER_FEEDS),
        ("app", (PRODUCTS,), ["JSON_LISTINGS_FEED"]),
    ],
)
def test_feed_lists_show_the_feeds_of_the_requesters_side(
    amazon_api, objects, role, granted, shown
):
    api = amazon_api(role).grant(*granted)
    content = api.post_graphql(FEEDS).json()
    assert "errors" not in content, content
    types = sorted(e["node"]["feedType"] for e in content["data"]["amazonFeeds"]["edges"])
    assert types == sorted(shown)


@pytest.mark.parametrize("granted", [(), ACCOUNTS[:1], ACCOUNTS[1:]])
def test_feed_lists_need_orders_or_products(amazon_api, objects, granted):
    api = amazon_api("staff")
    if granted:
        api.grant(*granted)
    content = api.post_graphql(FEEDS).json()
    assert content["data"]["amazonFeeds"] is None
    assert content["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


def _named(graphql_type):
    while isinstance(graphql_type, GraphQLNonNull | GraphQLList):
        graphql_type = graphql_type.of_type
    return graphql_type.name


def test_every_way_to_an_account_or_marketplace_needs_the_account_permissions():
    """Every field returning an account or a marketplace (or a list or connection of them)
    is gated like amazonAccount; Relay's edges inside such a connection need nothing more."""
    needed = "Requires one of the following permissions: MANAGE_CHANNELS, MANAGE_PLUGINS."
    guarded = {
        f"{name}{suffix}"
        for name in ("AmazonAccount", "AmazonMarketplace")
        for suffix in ("", "CountableConnection")
    }
    ungated = []
    for type_name, graphql_type in schema.get_type_map().items():
        if type_name.startswith("__") or not isinstance(graphql_type, GraphQLObjectType):
            continue
        for field_name, field in graphql_type.fields.items():
            if is_connection_plumbing(type_name, field_name):
                continue
            if _named(field.type) in guarded and needed not in (field.description or ""):
                ungated.append(f"{type_name}.{field_name}")
    assert ungated == []
