"""Arguments the database or the workers cannot take are refused up front, for every
operation: mutations with a field error and a code (nothing changed, nothing queued),
queries with a GraphQL error carrying the code (never an internal error)."""

from datetime import timedelta
from types import SimpleNamespace

import graphene
import pytest
from celery.app.task import Task
from django.utils import timezone

from saleor_amazon.fulfillment.models import (
    AmazonCancellation,
    AmazonInvoiceUpload,
    AmazonShipment,
)
from saleor_amazon.graphql.mutations.base import AmazonMutation
from saleor_amazon.graphql.schema import AmazonMutations
from saleor_amazon.models import AmazonAccount, AmazonFeed, AmazonOffer, AmazonOrder

NUL = "A1\x00B"


def gid(obj, type_name=None):
    return graphene.Node.to_global_id(type_name or type(obj).__name__, obj.pk)


@pytest.fixture
def queued(monkeypatch):
    """Every Celery task queued during the test (none is sent anywhere)."""
    calls = []

    def apply_async(task, *args, **kwargs):
        calls.append(task.name)
        return SimpleNamespace(id="task-1")

    monkeypatch.setattr(Task, "apply_async", apply_async)
    return calls


@pytest.fixture
def objects(amazon_account, marketplace_for, variant_for):
    marketplace = marketplace_for("DE")
    variant = variant_for("IN-1")
    order = AmazonOrder.objects.create(
        account=amazon_account,
        marketplace=marketplace,
        amazon_order_id="302-0000000-0000009",
        status="UNSHIPPED",
        currency="EUR",
    )
    offer = AmazonOffer.objects.create(
        variant=variant, account=amazon_account, marketplace=marketplace, seller_sku="IN-1"
    )
    feed = AmazonFeed.objects.create(account=amazon_account, feed_type="JSON_LISTINGS_FEED")
    return {
        "account": gid(amazon_account),
        "marketplace": gid(marketplace),
        "variant": gid(variant, "ProductVariant"),
        "order": gid(order),
        "offer": gid(offer),
        "feed": gid(feed),
        "shipment": gid(
            AmazonShipment.objects.create(amazon_order=order, package_reference_id="1")
        ),
        "cancellation": gid(AmazonCancellation.objects.create(amazon_order=order, key="order")),
        "upload": gid(AmazonInvoiceUpload.objects.create(amazon_order=order)),
        "recent": (timezone.now() - timedelta(days=1)).isoformat(),
    }


ERRORS = "errors { field code }"

# name: (document taking $v (and other objects), the field the error names)
TEXT_MUTATIONS = {
    "connect-returnUrl": (
        f"""mutation ($v: String) {{ amazonAccountConnect(region: EU, returnUrl: $v) {{
              {ERRORS} }} }}""",
        "returnUrl",
    ),
    "create-sellerId": (
        f"""mutation ($v: String!) {{ amazonAccountCreate(
              input: {{sellerId: $v, region: EU, refreshToken: "Atzr|x"}}) {{ {ERRORS} }} }}""",
        "sellerId",
    ),
    "create-name": (
        f"""mutation ($v: String!) {{ amazonAccountCreate(
              input: {{sellerId: "A1", name: $v, region: EU, refreshToken: "Atzr|x"}}) {{
              {ERRORS} }} }}""",
        "name",
    ),
    "create-refreshToken": (
        f"""mutation ($v: String!) {{ amazonAccountCreate(
              input: {{sellerId: "A1", region: EU, refreshToken: $v}}) {{ {ERRORS} }} }}""",
        "refreshToken",
    ),
    "delete-id": (f"mutation ($v: ID!) {{ amazonAccountDelete(id: $v) {{ {ERRORS} }} }}", "id"),
    "marketplaceUpdate-id": (
        f"""mutation ($v: ID!) {{ amazonMarketplaceUpdate(id: $v, input: {{isActive: true}}) {{
              {ERRORS} }} }}""",
        "id",
    ),
    "marketplaceUpdate-channel": (
        f"""mutation ($v: ID, $marketplace: ID!) {{ amazonMarketplaceUpdate(
              id: $marketplace, input: {{channel: $v}}) {{ {ERRORS} }} }}""",
        "channel",
    ),
    "marketplaceUpdate-shippingMethod": (
        f"""mutation ($v: ID, $marketplace: ID!) {{ amazonMarketplaceUpdate(
              id: $marketplace,
              input: {{shippingMethods: [{{serviceLevel: STANDARD, shippingMethod: $v}}]}}) {{
              {ERRORS} }} }}""",
        "shippingMethod",
    ),
    "ordersFetch-marketplace": (
        f"""mutation ($v: ID!, $recent: DateTime!) {{ amazonOrdersFetch(
              marketplace: $v, since: $recent) {{ {ERRORS} }} }}""",
        "marketplace",
    ),
    "orderRecover-amazonOrderId": (
        f"mutation ($v: String!) {{ amazonOrderRecover(amazonOrderId: $v) {{ {ERRORS} }} }}",
        "amazonOrderId",
    ),
    "ordersCreate-ids": (
        f"mutation ($v: ID!) {{ amazonOrdersCreate(ids: [$v]) {{ {ERRORS} }} }}",
        "ids",
    ),
    "offerLink-sellerSku": (
        f"""mutation ($v: String, $variant: ID!, $marketplace: ID!) {{ amazonOfferLink(
              input: {{variant: $variant, marketplace: $marketplace, sellerSku: $v}}) {{
              {ERRORS} }} }}""",
        "sellerSku",
    ),
    "offerLink-asin": (
        f"""mutation ($v: String, $variant: ID!, $marketplace: ID!) {{ amazonOfferLink(
              input: {{variant: $variant, marketplace: $marketplace, asin: $v}}) {{
              {ERRORS} }} }}""",
        "asin",
    ),
    "offerUnlink-id": (f"mutation ($v: ID!) {{ amazonOfferUnlink(id: $v) {{ {ERRORS} }} }}", "id"),
    "offerUpdate-condition": (
        f"""mutation ($v: String, $offer: ID!) {{ amazonOfferUpdate(
              id: $offer, input: {{condition: $v}}) {{ {ERRORS} }} }}""",
        "condition",
    ),
    "offerUpdate-asin": (
        f"""mutation ($v: String, $offer: ID!) {{ amazonOfferUpdate(
              id: $offer, input: {{asin: $v}}) {{ {ERRORS} }} }}""",
        "asin",
    ),
    "productsSend-variantIds": (
        f"""mutation ($v: ID!, $marketplace: ID!) {{ amazonProductsSend(
              variantIds: [$v], marketplaces: [$marketplace]) {{ {ERRORS} }} }}""",
        "variantIds",
    ),
    "listingsImport-marketplace": (
        f"mutation ($v: ID!) {{ amazonListingsImport(marketplace: $v) {{ {ERRORS} }} }}",
        "marketplace",
    ),
    "shipmentRetry-id": (
        f"mutation ($v: ID!) {{ amazonShipmentRetry(id: $v) {{ {ERRORS} }} }}",
        "id",
    ),
    "cancellationRetry-id": (
        f"mutation ($v: ID!) {{ amazonCancellationRetry(id: $v) {{ {ERRORS} }} }}",
        "id",
    ),
    "invoiceUploadRetry-id": (
        f"mutation ($v: ID!) {{ amazonInvoiceUploadRetry(id: $v) {{ {ERRORS} }} }}",
        "id",
    ),
}


def _mutate(manager_api, objects, document, value):
    variables = {name: objects[name] for name in objects if f"${name}" in document}
    content = manager_api.post_graphql(document, {**variables, "v": value}).json()
    assert "errors" not in content, content  # no GraphQL error, let alone an internal one
    (payload,) = content["data"].values()
    return [(e["field"], e["code"]) for e in payload["errors"]]


@pytest.mark.parametrize("name", list(TEXT_MUTATIONS))
def test_mutations_refuse_text_the_database_cannot_store(manager_api, objects, queued, name):
    document, field = TEXT_MUTATIONS[name]
    accounts = AmazonAccount.objects.count()

    errors = _mutate(manager_api, objects, document, NUL)

    assert errors == [(field, "INVALID_CHARACTERS")]
    assert queued == []
    assert AmazonAccount.objects.count() == accounts


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("create-sellerId", "A" * 65),
        ("create-name", "n" * 256),
        ("offerLink-sellerSku", "S" * 256),
        ("offerLink-asin", "B" * 17),
        ("orderRecover-amazonOrderId", "3" * 65),
        ("create-refreshToken", "Atzr|" + "x" * 5000),
    ],
)
def test_mutations_refuse_text_longer_than_its_column(manager_api, objects, queued, name, value):
    document, field = TEXT_MUTATIONS[name]
    assert _mutate(manager_api, objects, document, value) == [(field, "OUT_OF_RANGE")]
    assert queued == []


FETCH = f"""mutation ($marketplace: ID!, $since: DateTime!, $until: DateTime) {{
    amazonOrdersFetch(marketplace: $marketplace, since: $since, until: $until) {{
      taskId {ERRORS} }} }}"""
IMPORT_SINCE = f"""mutation ($marketplace: ID!, $v: DateTime) {{
    amazonMarketplaceUpdate(id: $marketplace, input: {{importSince: $v}}) {{ {ERRORS} }} }}"""


def _ago(days):
    return (timezone.now() - timedelta(days=days)).isoformat()


@pytest.mark.parametrize(
    ("variables", "field", "code"),
    [
        ({"since": "2026-11-01T00:00:00"}, "since", "INVALID"),
        ({"since": _ago(3), "until": "2026-11-01T00:00:00"}, "until", "INVALID"),
        ({"since": "0001-01-01T00:00:00+00:00"}, "since", "OUT_OF_RANGE"),
        ({"since": "1999-12-31T23:00:00+00:00"}, "since", "OUT_OF_RANGE"),
        ({"since": _ago(3 * 365)}, "since", "OUT_OF_RANGE"),  # Amazon keeps two years
        ({"since": "9999-12-31T00:00:00+00:00"}, "since", "OUT_OF_RANGE"),
        ({"since": _ago(3), "until": "9999-12-31T00:00:00+00:00"}, "until", "OUT_OF_RANGE"),
    ],
    ids=[
        "naive-since",
        "naive-until",
        "year-1",
        "before-2000",
        "three-years",
        "year-9999",
        "until-9999",
    ],
)
def test_orders_fetch_refuses_dates_amazon_cannot_answer(
    manager_api, objects, queued, variables, field, code
):
    content = manager_api.post_graphql(FETCH, {"marketplace": objects["marketplace"], **variables})
    payload = content.json()["data"]["amazonOrdersFetch"]
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [(field, code)]
    assert payload["taskId"] is None
    assert queued == []


def test_orders_fetch_takes_a_range_within_two_years(manager_api, objects, queued):
    content = manager_api.post_graphql(
        FETCH, {"marketplace": objects["marketplace"], "since": _ago(700)}
    )
    assert content.json()["data"]["amazonOrdersFetch"]["errors"] == []
    assert queued == ["saleor_amazon.tasks.orders.import_account_orders_task"]


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("2026-01-01T00:00:00", "INVALID"),
        ("0001-01-01T00:00:00+00:00", "OUT_OF_RANGE"),
        ("3000-01-01T00:00:00+00:00", "OUT_OF_RANGE"),
    ],
)
def test_import_since_must_be_a_sane_moment_with_a_time_zone(
    manager_api, objects, queued, value, code
):
    assert _mutate(manager_api, objects, IMPORT_SINCE, value) == [("importSince", code)]


PRICE = f"""mutation ($offer: ID!, $v: PositiveDecimal) {{
    amazonOfferUpdate(id: $offer, input: {{price: $v}}) {{ offer {{ price {{ amount }} }}
      {ERRORS} }} }}"""


@pytest.mark.parametrize("value", [1e30, 1e17, "123456789012345678.5"])
def test_a_price_must_fit_its_column(manager_api, objects, queued, value):
    assert _mutate(manager_api, objects, PRICE, value) == [("price", "OUT_OF_RANGE")]
    assert AmazonOffer.objects.get().price is None


def test_a_price_literal_is_checked_as_well(manager_api, objects, queued):
    document = f"""mutation ($offer: ID!) {{ amazonOfferUpdate(id: $offer, input: {{price: 1e30}})
        {{ {ERRORS} }} }}"""
    assert _mutate(manager_api, objects, document, None) == [("price", "OUT_OF_RANGE")]


def test_every_mutation_checks_its_arguments():
    mutations = {name: field.type for name, field in AmazonMutations._meta.fields.items()}
    assert len(mutations) == 15
    assert [n for n, m in mutations.items() if not issubclass(m, AmazonMutation)] == []


QUERIES = {
    "amazonOrder-amazonOrderId": "query ($v: String) { amazonOrder(amazonOrderId: $v) { id } }",
    "amazonOrder-id": "query ($v: ID) { amazonOrder(id: $v) { id } }",
    "amazonAccount-id": "query ($v: ID!) { amazonAccount(id: $v) { id } }",
    "amazonOffer-id": "query ($v: ID!) { amazonOffer(id: $v) { id } }",
    "amazonFeed-id": "query ($v: ID!) { amazonFeed(id: $v) { id } }",
    "amazonAccounts-search": """query ($v: String) {
        amazonAccounts(first: 5, filter: {search: $v}) { totalCount } }""",
    "amazonMarketplaces-codes": """query ($v: String!) {
        amazonMarketplaces(first: 5, filter: {codes: [$v]}) { totalCount } }""",
    "amazonMarketplaces-accounts": """query ($v: ID!) {
        amazonMarketplaces(first: 5, filter: {accounts: [$v]}) { totalCount } }""",
    "amazonOrders-amazonOrderId": """query ($v: String) {
        amazonOrders(first: 5, filter: {amazonOrderId: $v}) { totalCount } }""",
    "amazonOrders-after": """query ($v: String) {
        amazonOrders(first: 5, after: $v) { totalCount } }""",
    "amazonOffers-search": """query ($v: String) {
        amazonOffers(first: 5, filter: {search: $v}) { totalCount } }""",
    "amazonFeeds-feedType": """query ($v: String) {
        amazonFeeds(first: 5, filter: {feedType: $v}) { totalCount } }""",
}


def _query_error(manager_api, document, value):
    content = manager_api.post_graphql(document, {"v": value}).json()
    (data,) = content["data"].values()
    assert data is None
    (error,) = content["errors"]
    assert error["message"] != "Internal Server Error"
    assert error["extensions"]["exception"]["code"] == "AmazonInputError"
    return error


@pytest.mark.parametrize("name", list(QUERIES))
def test_queries_refuse_text_the_database_cannot_take(manager_api, objects, name):
    error = _query_error(manager_api, QUERIES[name], NUL)
    assert error["extensions"]["code"] == "INVALID_CHARACTERS"


# In the query text itself, GraphQL's escapes make the same characters (a JSON body with a
# lone surrogate is refused by Saleor before it is parsed; a GraphQL escape is not).
@pytest.mark.parametrize("escape", ["\\u0000", "\\ud800"], ids=["nul", "surrogate"])
def test_literals_are_checked_as_well(manager_api, objects, queued, escape):
    error = _query_error(
        manager_api, f'{{ amazonOrder(amazonOrderId: "302{escape}") {{ id }} }}', None
    )
    assert error["extensions"]["code"] == "INVALID_CHARACTERS"

    content = manager_api.post_graphql(
        f"""mutation {{ amazonAccountCreate(input: {{
              sellerId: "A1", name: "x{escape}", region: EU, refreshToken: "Atzr|x"}}) {{
              {ERRORS} }} }}"""
    ).json()
    errors = content["data"]["amazonAccountCreate"]["errors"]
    assert errors == [{"field": "name", "code": "INVALID_CHARACTERS"}]
    assert queued == []


def test_query_dates_need_a_time_zone(manager_api, objects):
    document = """query ($v: DateTime) {
        amazonOrders(first: 5, filter: {purchaseDate: {gte: $v}}) { totalCount } }"""
    error = _query_error(manager_api, document, "2026-01-01T00:00:00")
    assert error["extensions"]["code"] == "INVALID"
    assert error["extensions"]["field"] == "gte"


def test_good_query_arguments_still_answer(manager_api, objects):
    content = manager_api.post_graphql(
        QUERIES["amazonOrder-amazonOrderId"], {"v": "302-0000000-0000009"}
    )
    assert content.json()["data"]["amazonOrder"]["id"] == objects["order"]
