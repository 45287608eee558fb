"""amazonOrders (tabs, filters, sorting, pagination), amazonOrder, amazonOrdersCreate."""

import graphene
import pytest
from saleor.permission.enums import OrderPermissions, ProductPermissions

from saleor_amazon.models import AmazonOffer, AmazonOrder, ProcessingState
from tests.orders.payloads import amazon_order, line

ORDERS = """
query ($filter: AmazonOrderFilterInput, $sortBy: AmazonOrderSortingInput, $first: Int,
       $after: String) {
  amazonOrders(first: $first, after: $after, filter: $filter, sortBy: $sortBy) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id amazonOrderId status fulfilledBy tab processingState reason marketplaceCode
      total { amount currency }
      saleorOrder { id number }
    } }
  }
}
"""

ORDER = """
query ($id: ID, $amazonOrderId: String) {
  amazonOrder(id: $id, amazonOrderId: $amazonOrderId) {
    id amazonOrderId status buyerName buyerEmail tab processingState reason
    purchaseDate serviceLevel
    accountName sellerId marketplaceCode
    total { amount currency }
    shippingAddress { name addressLine1 city postalCode countryCode phone }
    saleorOrder { id number status }
    items {
      orderItemId sellerSku asin quantityOrdered quantityShipped isMatched
      unitPrice { amount currency } itemPrice { amount } itemTax { amount }
      variant { id sku }
    }
  }
}
"""

CREATE_ORDERS = """
mutation ($ids: [ID!]) {
  amazonOrdersCreate(ids: $ids) {
    summary { created held pending failed skipped }
    queued
    orders { amazonOrderId processingState saleorOrder { number } }
    errors { field code message }
  }
}
"""

LINK = """
mutation ($input: AmazonOfferLinkInput!) {
  amazonOfferLink(input: $input) {
    offer { id sellerSku asin variant { id sku } marketplaceCode sellerId }
    errors { field code message }
  }
}
"""


def gid(type_name, obj):
    return graphene.Node.to_global_id(type_name, obj.pk)


@pytest.fixture
def orders_staff(staff_api):
    return staff_api.grant(OrderPermissions.MANAGE_ORDERS)


@pytest.fixture
def order_set(marketplace_for, variant_for, stored_order):
    """Four Amazon orders in different states on DE and PL."""
    de, pl = marketplace_for("DE"), marketplace_for("PL")
    variant_for("MUG-1")
    processed = stored_order(
        de,
        amazon_order(
            "302-0000001-0000001",
            "DE",
            [line("MUG-1", 2, "11.90", tax="3.80")],
            created="2026-11-18T10:00:00Z",
        ),
    )
    held = stored_order(
        de,
        amazon_order(
            "302-0000002-0000002",
            "DE",
            [line("MUG-1", 1, "11.90", tax="1.90"), line("UNKNOWN-SKU", 1, "50.00", tax="7.98")],
            created="2026-11-19T10:00:00Z",
        ),
    )
    pending = stored_order(
        pl,
        amazon_order(
            "404-0000003-0000003",
            "PL",
            [line("MUG-1", 3, "49.00", tax="27.49")],
            status="PENDING",
            created="2026-11-20T10:00:00Z",
        ),
    )
    failed = stored_order(
        pl,
        amazon_order(
            "404-0000004-0000004",
            "PL",
            [line("MUG-1", 1, "49.00", tax="9.16")],
            address=None,
            created="2026-11-21T10:00:00Z",
        ),
    )
    states = {o.amazon_order_id: o.state for o in (processed, held, pending, failed)}
    assert states == {
        "302-0000001-0000001": ProcessingState.PROCESSED,
        "302-0000002-0000002": ProcessingState.NEEDS_LINKING,
        "404-0000003-0000003": ProcessingState.PENDING,
        "404-0000004-0000004": ProcessingState.FAILED,
    }
    return {"processed": processed, "held": held, "pending": pending, "failed": failed, "de": de}


def _list(api, **variables):
    response = api.post_graphql(ORDERS, {"first": 20, **variables})
    content = response.json()
    assert "errors" not in content, content
    return content["data"]["amazonOrders"]


def _ids(result):
    return [edge["node"]["amazonOrderId"] for edge in result["edges"]]


def test_to_process_tab_shows_pending_held_and_failed_with_reasons(orders_staff, order_set):
    result = _list(orders_staff, filter={"tab": "TO_PROCESS"})
    nodes = {e["node"]["amazonOrderId"]: e["node"] for e in result["edges"]}
    assert set(nodes) == {"302-0000002-0000002", "404-0000003-0000003", "404-0000004-0000004"}
    assert nodes["302-0000002-0000002"]["processingState"] == "NEEDS_LINKING"
    assert "UNKNOWN-SKU" in nodes["302-0000002-0000002"]["reason"]
    assert nodes["404-0000003-0000003"]["processingState"] == "PENDING"
    assert nodes["404-0000004-0000004"]["processingState"] == "FAILED"
    assert nodes["404-0000004-0000004"]["reason"]
    assert all(node["tab"] == "TO_PROCESS" for node in nodes.values())
    assert all(node["saleorOrder"] is None for node in nodes.values())


def test_processed_tab_shows_the_saleor_order_number(orders_staff, order_set):
    result = _list(orders_staff, filter={"tab": "PROCESSED"})
    [edge] = result["edges"]
    saleor_order = order_set["processed"].saleor_order
    assert edge["node"]["amazonOrderId"] == "302-0000001-0000001"
    assert edge["node"]["saleorOrder"] == {
        "id": graphene.Node.to_global_id("Order", saleor_order.pk),
        "number": str(saleor_order.number),
    }


def test_orders_filters(orders_staff, order_set, amazon_account):
    de = order_set["de"]
    assert _ids(_list(orders_staff, filter={"status": ["PENDING"]})) == ["404-0000003-0000003"]
    assert sorted(
        _ids(_list(orders_staff, filter={"marketplaces": [gid("AmazonMarketplace", de)]}))
    ) == [
        "302-0000001-0000001",
        "302-0000002-0000002",
    ]
    assert (
        _list(orders_staff, filter={"accounts": [gid("AmazonAccount", amazon_account)]})[
            "totalCount"
        ]
        == 4
    )
    in_range = _list(
        orders_staff,
        filter={"purchaseDate": {"gte": "2026-11-19T00:00:00Z", "lte": "2026-11-20T23:59:59Z"}},
    )
    assert sorted(_ids(in_range)) == ["302-0000002-0000002", "404-0000003-0000003"]
    assert _ids(_list(orders_staff, filter={"amazonOrderId": "404-0000004"})) == [
        "404-0000004-0000004"
    ]
    combined = _list(orders_staff, filter={"tab": "TO_PROCESS", "processingState": ["FAILED"]})
    assert _ids(combined) == ["404-0000004-0000004"]


def test_orders_sorting_and_pagination(orders_staff, order_set):
    # Default: newest purchase first.
    assert _ids(_list(orders_staff)) == [
        "404-0000004-0000004",
        "404-0000003-0000003",
        "302-0000002-0000002",
        "302-0000001-0000001",
    ]
    by_total = _list(orders_staff, sortBy={"field": "TOTAL", "direction": "DESC"})
    totals = [e["node"]["total"]["amount"] for e in by_total["edges"]]
    assert totals == sorted(totals, reverse=True)
    by_status = _list(orders_staff, sortBy={"field": "STATUS", "direction": "ASC"})
    statuses = [e["node"]["status"] for e in by_status["edges"]]
    assert statuses == sorted(statuses)

    first_page = _list(orders_staff, first=3, sortBy={"field": "PURCHASE_DATE", "direction": "ASC"})
    assert first_page["pageInfo"]["hasNextPage"] is True
    second_page = _list(
        orders_staff,
        first=3,
        after=first_page["pageInfo"]["endCursor"],
        sortBy={"field": "PURCHASE_DATE", "direction": "ASC"},
    )
    assert _ids(first_page) + _ids(second_page) == [
        "302-0000001-0000001",
        "302-0000002-0000002",
        "404-0000003-0000003",
        "404-0000004-0000004",
    ]


def test_order_detail_masks_the_buyer_email(orders_staff, order_set):
    held = order_set["held"]
    response = orders_staff.post_graphql(ORDER, {"id": gid("AmazonOrder", held)})
    assert "abc123@marketplace.amazon.pl" not in response.content.decode()
    order = response.json()["data"]["amazonOrder"]
    assert order["buyerEmail"] == "abc1…n.pl"
    assert order["buyerName"] == "Anna Kowalska"
    assert order["shippingAddress"]["city"] == "Kraków"
    assert order["shippingAddress"]["addressLine1"] == "ul. Długa 5"
    # Order staff see the account's name and seller, not its settings.
    assert order["accountName"] == "Test seller"
    assert order["sellerId"] == "A1SELLERTEST"
    assert order["marketplaceCode"] == "DE"
    assert "Atzr" not in response.content.decode()
    assert order["total"] == {"amount": 61.9, "currency": "EUR"}
    items = {item["sellerSku"]: item for item in order["items"]}
    assert items["UNKNOWN-SKU"]["isMatched"] is False
    assert items["UNKNOWN-SKU"]["variant"] is None
    assert items["UNKNOWN-SKU"]["itemPrice"]["amount"] == 50.0
    assert items["MUG-1"]["unitPrice"] == {"amount": 11.9, "currency": "EUR"}
    by_number = orders_staff.post_graphql(ORDER, {"amazonOrderId": "302-0000002-0000002"})
    assert by_number.json()["data"]["amazonOrder"]["id"] == order["id"]


def test_processed_order_detail_shows_matched_lines(orders_staff, order_set):
    processed = order_set["processed"]
    order = orders_staff.post_graphql(ORDER, {"id": gid("AmazonOrder", processed)}).json()["data"][
        "amazonOrder"
    ]
    assert order["saleorOrder"]["number"] == str(processed.saleor_order.number)
    [item] = order["items"]
    assert item["isMatched"] is True
    assert item["variant"]["sku"] == "MUG-1"
    assert item["quantityOrdered"] == 2
    assert item["itemTax"]["amount"] == 3.8


def test_order_query_needs_exactly_one_key(orders_staff, order_set):
    response = orders_staff.post_graphql(ORDER, {})
    assert response.json()["errors"][0]["message"] == "Give either `id` or `amazonOrderId`."


def test_link_offer_then_create_orders_converts_held_order(orders_staff, order_set, variant_for):
    orders_staff.grant(ProductPermissions.MANAGE_PRODUCTS)
    variant = variant_for("SAL-VARIANT-50")
    held = order_set["held"]
    link = orders_staff.post_graphql(
        LINK,
        {
            "input": {
                "variant": gid("ProductVariant", variant),
                "marketplace": gid("AmazonMarketplace", order_set["de"]),
                "sellerSku": "UNKNOWN-SKU",
                "asin": "b000000001",
            }
        },
    ).json()["data"]["amazonOfferLink"]
    assert link["errors"] == []
    assert link["offer"]["asin"] == "B000000001"
    assert link["offer"]["variant"]["sku"] == "SAL-VARIANT-50"

    payload = orders_staff.post_graphql(CREATE_ORDERS).json()["data"]["amazonOrdersCreate"]

    assert payload["errors"] == []
    assert payload["summary"]["created"] == 1
    held.refresh_from_db()
    assert held.state == ProcessingState.PROCESSED
    assert held.saleor_order is not None
    assert held.saleor_order.lines.filter(product_sku="SAL-VARIANT-50").exists()
    # Still waiting: the PENDING order (Amazon has not released it).
    order_set["pending"].refresh_from_db()
    assert order_set["pending"].state == ProcessingState.PENDING


def test_create_orders_for_given_ids_only(orders_staff, order_set, variant_for):
    variant = variant_for("OTHER")
    AmazonOffer.objects.create(
        variant=variant,
        account=order_set["de"].account,
        marketplace=order_set["de"],
        seller_sku="UNKNOWN-SKU",
    )
    failed = order_set["failed"]
    payload = orders_staff.post_graphql(
        CREATE_ORDERS, {"ids": [gid("AmazonOrder", failed)]}
    ).json()["data"]["amazonOrdersCreate"]
    assert payload["errors"] == []
    assert payload["summary"]["created"] == 0
    assert payload["summary"]["failed"] == 1
    assert [o["amazonOrderId"] for o in payload["orders"]] == ["404-0000004-0000004"]
    # The held order was not in the list: it stays held although it could convert now.
    assert AmazonOrder.objects.get(pk=order_set["held"].pk).state == ProcessingState.NEEDS_LINKING


def test_create_orders_queues_a_background_run_beyond_the_request_limit(
    orders_staff, order_set, variant_for, monkeypatch
):
    from saleor_amazon.graphql.mutations import orders as order_mutations
    from saleor_amazon.tasks.orders import create_pending_orders_task

    variant_for("UNKNOWN-SKU")
    queued = []
    monkeypatch.setattr(order_mutations, "IN_REQUEST_LIMIT", 1)
    monkeypatch.setattr(create_pending_orders_task, "delay", lambda ids=None: queued.append(ids))

    # (Saleor's post_graphql runs the on-commit callbacks, as a committed request would.)
    payload = orders_staff.post_graphql(CREATE_ORDERS).json()["data"]["amazonOrdersCreate"]

    assert payload["errors"] == []
    assert payload["summary"] is None
    assert payload["queued"] >= 2  # the held and the pending order at least
    assert queued == [None]  # every eligible order, in the background
    # Nothing was converted within the request.
    assert AmazonOrder.objects.get(pk=order_set["held"].pk).saleor_order is None

    monkeypatch.setattr(order_mutations, "IN_REQUEST_LIMIT", 100)
    payload = orders_staff.post_graphql(CREATE_ORDERS).json()["data"]["amazonOrdersCreate"]
    assert payload["queued"] == 0
    assert payload["summary"]["created"] == 1


def test_create_orders_rejects_foreign_ids(orders_staff, order_set):
    payload = orders_staff.post_graphql(
        CREATE_ORDERS, {"ids": [gid("AmazonOffer", order_set["held"])]}
    ).json()["data"]["amazonOrdersCreate"]
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("ids", "GRAPHQL_ERROR")]


def test_order_list_queries_do_not_grow_with_the_page(orders_staff, order_set):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Oldest first: the first page of one holds the converted order (a matched variant).
    query = """
    query ($first: Int) {
      amazonOrders(first: $first, sortBy: {field: PURCHASE_DATE, direction: ASC}) {
      edges { node {
      amazonOrderId accountName sellerId marketplaceCode saleorOrder { number }
      items { sellerSku variant { sku productName } unitPrice { amount } }
    } } } }
    """
    orders_staff.post_graphql(query, {"first": 1})  # warm Saleor's per-process caches
    with CaptureQueriesContext(connection) as one:
        orders_staff.post_graphql(query, {"first": 1})
    with CaptureQueriesContext(connection) as four:
        content = orders_staff.post_graphql(query, {"first": 4}).json()
    assert len(content["data"]["amazonOrders"]["edges"]) == 4
    assert len(four.captured_queries) == len(one.captured_queries)
