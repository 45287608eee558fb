"""The HTTP side of the Amazon API: Saleor's view machinery on the plugin's path."""

import pytest
from saleor.permission.enums import ChannelPermissions

from .conftest import AMAZON_GRAPHQL_PATH

INTROSPECTION = "{ __schema { types { name } } }"


def _type_names(response):
    return {t["name"] for t in response.json()["data"]["__schema"]["types"]}


def test_introspection_answers_are_not_shared_with_saleors_api(amazon_api, api_client, settings):
    settings.DEBUG = False  # Saleor caches introspection answers only then
    ours = _type_names(amazon_api("anonymous").post_graphql(INTROSPECTION))
    saleors = _type_names(api_client.post_graphql(INTROSPECTION))
    ours_again = _type_names(amazon_api("anonymous").post_graphql(INTROSPECTION))

    assert "AmazonAccount" in ours and "Checkout" not in ours
    assert "Checkout" in saleors and "AmazonAccount" not in saleors
    assert ours_again == ours


def test_query_cost_is_computed_on_the_amazon_schema(staff_api, amazon_account, settings):
    staff_api.grant(ChannelPermissions.MANAGE_CHANNELS)
    query = "{ amazonAccounts(first: 20) { edges { node { id marketplaces { id } } } } }"
    content = staff_api.post_graphql(query).json()
    assert content["extensions"]["cost"]["requestedQueryCost"] == 40

    settings.GRAPHQL_QUERY_MAX_COMPLEXITY = 30
    content = staff_api.post_graphql(query).json()
    assert "data" not in content
    assert "exceeds the maximum cost of 30" in content["errors"][0]["message"]


def test_errors_point_at_the_query_text(staff_api):
    response = staff_api.post_graphql(
        "{\n  amazonAccounts(first: 1) { edges { node { nope } } }\n}"
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert "nope" in error["message"]
    assert error["locations"] == [{"line": 2, "column": 45}]


def test_get_serves_the_playground_for_our_path(client, amazon_plugin_configuration):
    response = client.get(AMAZON_GRAPHQL_PATH)
    assert response.status_code == 200
    assert AMAZON_GRAPHQL_PATH in response.content.decode()


@pytest.mark.parametrize("token", ["Bearer not-a-real-app-token-xxxxxxxx", "JWT broken.jwt.value"])
def test_bad_credentials_are_refused(client, amazon_plugin_configuration, token):
    response = client.post(
        AMAZON_GRAPHQL_PATH,
        data={"query": "{ amazonAccounts(first: 1) { totalCount } }"},
        content_type="application/json",
        HTTP_AUTHORIZATION=token,
    )
    content = response.json()
    assert content["data"]["amazonAccounts"] is None
    assert content["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
