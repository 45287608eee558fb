"""Query cost and depth: every object and list field is priced, deep nesting is refused
before anything runs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql.type import GraphQLObjectType
from saleor.permission.enums import ChannelPermissions, OrderPermissions

from saleor_amazon.graphql.cost import (
    MAX_DEPTH,
    cost_map,
    is_connection_plumbing,
    returns_object_or_list,
)
from saleor_amazon.graphql.schema import schema
from saleor_amazon.models import AmazonOrder


def _object_and_list_fields():
    for type_name, graphql_type in schema.get_type_map().items():
        if type_name.startswith("__") or not isinstance(graphql_type, GraphQLObjectType):
            continue
        for field_name, field in graphql_type.fields.items():
            if returns_object_or_list(field):
                yield type_name, field_name, field


def test_every_object_and_list_field_has_a_cost():
    costs = cost_map(schema)
    missing, unpaged = [], []
    for type_name, field_name, field in _object_and_list_fields():
        if is_connection_plumbing(type_name, field_name):
            continue  # edges/node/pageInfo: the connection field pays for its page
        cost = costs.get(type_name, {}).get(field_name)
        if not cost or cost.get("complexity", 0) < 1:
            missing.append(f"{type_name}.{field_name}")
        elif "first" in field.args and cost.get("multipliers") != ["first", "last"]:
            unpaged.append(f"{type_name}.{field_name}")
    assert missing == [], f"fields without a cost: {missing}"
    assert unpaged == [], f"connections not multiplied by their page size: {unpaged}"


def test_the_walk_sees_the_nested_fields():
    fields = {(t, f) for t, f, _ in _object_and_list_fields()}
    assert ("AmazonMarketplace", "account") in fields
    assert ("AmazonOrder", "shipments") in fields
    assert ("AmazonShipment", "feed") in fields
    assert ("AmazonOrderItem", "unitPrice") in fields
    assert ("Query", "amazonFeeds") in fields


def _nested(depth_pairs: int) -> str:
    """amazonAccounts → edges → node, then ``depth_pairs`` x (marketplaces → account)."""
    inner = "id"
    for _ in range(depth_pairs):
        inner = f"marketplaces {{ id account {{ {inner} }} }}"
    return f"{{ amazonAccounts(first: 5) {{ edges {{ node {{ {inner} }} }} }} }}"


@pytest.fixture
def manager(staff_api, amazon_marketplace_de):
    return staff_api.grant(ChannelPermissions.MANAGE_CHANNELS)


def _amazon_sql(queries):
    return [q["sql"] for q in queries if "saleor_amazon" in q["sql"]]


def test_a_deep_query_is_refused_before_it_runs(manager):
    query = _nested(5)  # 3 + 5 x 2 + 1 = 14 levels
    with CaptureQueriesContext(connection) as queries:
        content = manager.post_graphql(query).json()

    assert "data" not in content or content["data"] is None
    (error,) = content["errors"]
    assert "nested too deeply" in error["message"]
    assert error["extensions"]["depth"] == {"requested": 14, "maximum": MAX_DEPTH}
    assert error["extensions"]["exception"]["code"] == "QueryDepthError"
    assert _amazon_sql(queries.captured_queries) == []


def test_fragments_count_towards_the_depth(manager):
    query = """
    query { amazonAccounts(first: 5) { edges { node { ...M } } } }
    fragment M on AmazonAccount { marketplaces { account { ...N } } }
    fragment N on AmazonAccount { marketplaces { account { marketplaces { account { id } } } } }
    """
    with CaptureQueriesContext(connection) as queries:
        content = manager.post_graphql(query).json()
    assert "nested too deeply" in content["errors"][0]["message"]
    assert _amazon_sql(queries.captured_queries) == []


def test_the_deepest_dashboard_queries_are_within_the_limit(staff_api, amazon_marketplace_de):
    staff_api.grant(OrderPermissions.MANAGE_ORDERS, ChannelPermissions.MANAGE_CHANNELS)
    AmazonOrder.objects.create(
        account=amazon_marketplace_de.account,
        marketplace=amazon_marketplace_de,
        amazon_order_id="302-1000000-0000001",
        status="UNSHIPPED",
        currency="EUR",
    )
    query = """
    { amazonOrders(first: 5) { edges { node {
        shipments { feed { issues { message } } }
        cancellations { feed { issues { message } } }
        marketplace { shippingMethods { shippingMethod { name } } }
        account { marketplaces { channel { id } } }
        items { variant { productName } unitPrice { amount } }
    } } } }
    """
    content = staff_api.post_graphql(query).json()
    assert "errors" not in content, content
    assert len(content["data"]["amazonOrders"]["edges"]) == 1


def test_introspection_is_not_limited(staff_api):
    query = """{ __schema { types { fields { type { ofType { ofType { ofType { ofType {
        ofType { ofType { name } } } } } } } } } } }"""
    content = staff_api.post_graphql(query).json()
    assert "errors" not in content, content["errors"]


def test_every_nested_field_adds_to_the_cost(staff_api):
    staff_api.grant(OrderPermissions.MANAGE_ORDERS)
    query = """{ amazonOrders(first: 10) { edges { node {
        id items { variant { id } } shipments { feed { id } } total { amount }
    } } } }"""
    content = staff_api.post_graphql(query).json()
    # amazonOrders 10; per order: items, variant, shipments, feed, total -> 5 x 10.
    assert content["extensions"]["cost"]["requestedQueryCost"] == 60
