"""A page's SQL queries do not grow with its size: nested objects load in batches."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from saleor.order.models import Fulfillment, Order

from saleor_amazon.fulfillment.models import (
    AmazonAcknowledgement,
    AmazonCancellation,
    AmazonInvoiceUpload,
    AmazonShipment,
)
from saleor_amazon.models import (
    AmazonAccount,
    AmazonFeed,
    AmazonImportCursor,
    AmazonOffer,
    AmazonOrder,
    AmazonOrderItem,
)

ROWS = 21
WHEN = datetime(2026, 10, 1, tzinfo=UTC)


@pytest.fixture
def shop(marketplace_for, variant_for, shipping_method):
    """ROWS accounts with two marketplaces each (channel, warehouse, placeholder, shipping
    method, import cursor), and per row an order (two items, a shipment with its
    fulfilment and feed, a cancellation, an acknowledgement, an invoice upload), an offer
    and a feed."""
    variants = [variant_for(f"QC-{n}") for n in range(ROWS)]
    accounts, marketplaces = [], []
    for n in range(ROWS):
        account = AmazonAccount.objects.create(
            seller_id=f"A{n:012d}", name=f"Seller {n}", region="EU", refresh_token="Atzr|x"
        )
        accounts.append(account)
        for code in ("DE", "PL"):
            marketplace = marketplace_for(
                code,
                account=account,
                placeholder_variant=variants[n],
                shipping_methods={"STANDARD": shipping_method.pk, "*": shipping_method.pk},
            )
            AmazonImportCursor.objects.create(
                account=account,
                marketplace=marketplace,
                last_updated_before=WHEN,
                checked_from=WHEN,
                last_success_at=WHEN,
                last_attempt_at=WHEN,
                last_error="throttled",
            )
            marketplaces.append(marketplace)
    channel = marketplaces[0].channel
    for n in range(ROWS):
        account, marketplace = accounts[n], marketplaces[2 * n]
        order = AmazonOrder.objects.create(
            account=account,
            marketplace=marketplace,
            amazon_order_id=f"302-{n:07d}-0000001",
            status="UNSHIPPED",
            currency="EUR",
            saleor_order=Order.objects.create(channel=channel, currency="EUR", lines_count=0),
        )
        for line in range(2):
            AmazonOrderItem.objects.create(
                order=order, order_item_id=f"{n}-{line}", variant=variants[n], quantity_ordered=1
            )

        def feed(feed_type, account=account, marketplace=marketplace):
            return AmazonFeed.objects.create(
                account=account, marketplace=marketplace, feed_type=feed_type
            )

        fulfillment = Fulfillment.objects.create(order=order.saleor_order, fulfillment_order=1)
        AmazonShipment.objects.create(
            amazon_order=order,
            fulfillment=fulfillment,
            package_reference_id=str(fulfillment.pk),
            feed=feed("POST_ORDER_FULFILLMENT_DATA"),
        )
        AmazonCancellation.objects.create(
            amazon_order=order, key="order", feed=feed("POST_ORDER_ACKNOWLEDGEMENT_DATA")
        )
        AmazonAcknowledgement.objects.create(
            amazon_order=order, feed=feed("POST_ORDER_ACKNOWLEDGEMENT_DATA")
        )
        AmazonInvoiceUpload.objects.create(
            amazon_order=order, invoice_number=f"INV-{n}", feed=feed("UPLOAD_VAT_INVOICE")
        )
        AmazonOffer.objects.create(
            variant=variants[n],
            account=account,
            marketplace=marketplace,
            seller_sku=f"QC-{n}",
            price="9.99",
        )
        feed("JSON_LISTINGS_FEED")


FEED = "id feedType status account { id name } marketplace { id code }"
QUERIES = {
    "amazonOrders": f"""
        query ($first: Int) {{ amazonOrders(first: $first) {{ edges {{ node {{
            id amazonOrderId total {{ amount currency }}
            account {{ id sellerId }} marketplace {{ id code channel {{ slug }} }}
            saleorOrder {{ id number }}
            items {{ orderItemId unitPrice {{ amount currency }} variant {{ id productName }} }}
            shipments {{ id fulfillment {{ id number }} feed {{ {FEED} }} }}
            cancellations {{ id feed {{ {FEED} }} }}
            acknowledgement {{ id feed {{ {FEED} }} }}
            invoiceUploads {{ id feed {{ {FEED} }} }}
        }} }} }} }}""",
    "amazonAccounts": """
        query ($first: Int) { amazonAccounts(first: $first) { edges { node {
            id lastOrderCheckAt
            marketplaces {
              id account { id } channel { slug } defaultWarehouse { slug }
              placeholderVariant { productName }
              shippingMethods { serviceLevel shippingMethod { name } }
              lastOrderCheckAt lastImportError ordersCheckedUntil ordersCheckedFrom
              lastDeepOrderCheckAt deepOrderCheckFrom
            }
        } } } }""",
    "amazonMarketplaces": """
        query ($first: Int) { amazonMarketplaces(first: $first) { edges { node {
            id account { id name lastOrderCheckAt } channel { slug }
            defaultWarehouse { slug } placeholderVariant { productName }
            shippingMethods { shippingMethod { name } }
            lastImportError ordersCheckedUntil ordersCheckedFrom
        } } } }""",
    "amazonOffers": """
        query ($first: Int) { amazonOffers(first: $first) { edges { node {
            id sellerSku price { amount currency } variant { id productName }
            account { id name } marketplace { id code channel { slug } }
        } } } }""",
    "amazonFeeds": f"""
        query ($first: Int) {{ amazonFeeds(first: $first) {{ edges {{ node {{
            {FEED}
        }} }} }} }}""",
}


def _run(manager_api, query, first):
    with CaptureQueriesContext(connection) as queries:
        content = manager_api.post_graphql(query, {"first": first}).json()
    assert "errors" not in content, content["errors"]
    (edges,) = [page["edges"] for page in content["data"].values()]
    assert len(edges) == first
    return len(queries.captured_queries), edges


@pytest.mark.parametrize("name", list(QUERIES))
def test_a_page_of_20_runs_as_many_queries_as_a_page_of_2(manager_api, shop, name):
    _run(manager_api, QUERIES[name], 2)  # the first request also loads what Saleor caches
    small, _ = _run(manager_api, QUERIES[name], 2)
    large, edges = _run(manager_api, QUERIES[name], 20)

    assert large == small, f"{name}: {small} queries for 2 rows, {large} for 20"
    assert all(edge["node"]["id"] for edge in edges)


def test_the_batched_fields_show_the_right_objects(manager_api, shop):
    _, edges = _run(manager_api, QUERIES["amazonAccounts"], 20)
    accounts = [edge["node"] for edge in edges if edge["node"]["marketplaces"]]
    assert len(accounts) >= 19  # (the fixture's own account has no marketplace)
    for account in accounts:
        assert account["lastOrderCheckAt"] == WHEN.isoformat()
        assert [m["account"]["id"] for m in account["marketplaces"]] == [account["id"]] * 2
        for marketplace in account["marketplaces"]:
            assert marketplace["lastImportError"] == "throttled"
            assert marketplace["ordersCheckedUntil"] == WHEN.isoformat()
            assert marketplace["deepOrderCheckFrom"] is None
            assert marketplace["placeholderVariant"]["productName"].startswith("Product QC-")
            assert [m["serviceLevel"] for m in marketplace["shippingMethods"]] == [
                "STANDARD",
                "DEFAULT",
            ]

    _, edges = _run(manager_api, QUERIES["amazonOrders"], 20)
    for edge in edges:
        order = edge["node"]
        number = int(order["amazonOrderId"].split("-")[1])
        assert order["account"]["sellerId"] == f"A{number:012d}"
        assert [i["orderItemId"] for i in order["items"]] == [f"{number}-0", f"{number}-1"]
        assert order["items"][0]["variant"]["productName"] == f"Product QC-{number}"
        assert order["items"][0]["unitPrice"]["currency"] == "EUR"
        (shipment,) = order["shipments"]
        assert shipment["fulfillment"]["number"] == f"{order['saleorOrder']['number']}-1"
        assert shipment["feed"]["feedType"] == "POST_ORDER_FULFILLMENT_DATA"
        assert order["invoiceUploads"][0]["feed"]["account"]["name"] == f"Seller {number}"
        assert order["acknowledgement"]["feed"]["marketplace"]["code"] == "DE"
