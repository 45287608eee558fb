"""The plugin as Saleor sees it: discovery, configuration, HTTP endpoint."""

import importlib.metadata

from django.conf import settings
from django.db import connection
from saleor.graphql.tests.utils import get_graphql_content
from saleor.plugins.manager import get_plugins_manager
from saleor.plugins.models import PluginConfiguration

from saleor_amazon import conf
from saleor_amazon.models import AmazonAccount
from saleor_amazon.plugin import AmazonPlugin

PLUGIN_PATH = "saleor_amazon.plugin.AmazonPlugin"

PLUGIN_QUERY = """
query ($id: ID!) {
  plugin(id: $id) {
    id name description
    globalConfiguration {
      active
      configuration { name value type label helpText }
    }
  }
}
"""

PLUGINS_QUERY = """
query { plugins(first: 50) { edges { node { id name } } } }
"""

PLUGIN_UPDATE = """
mutation ($id: ID!, $active: Boolean, $configuration: [ConfigurationItemInput!]) {
  pluginUpdate(id: $id, input: {active: $active, configuration: $configuration}) {
    plugin { globalConfiguration { active configuration { name value } } }
    errors { field message }
  }
}
"""


def test_entry_point_is_installed_and_discovered_by_saleor():
    entry_points = importlib.metadata.entry_points(group="saleor.plugins")
    ours = [ep for ep in entry_points if ep.name == "saleor_amazon"]
    assert len(ours) == 1
    assert ours[0].value == "saleor_amazon.plugin:AmazonPlugin"
    # Saleor's settings turned the entry point into an app and a plugin.
    assert "saleor_amazon" in settings.INSTALLED_APPS
    assert PLUGIN_PATH in settings.EXTERNAL_PLUGINS
    assert PLUGIN_PATH in settings.PLUGINS


def test_manager_loads_plugin_as_global(db):
    manager = get_plugins_manager(allow_replica=False)
    plugin = manager.get_plugin(conf.PLUGIN_ID)
    assert isinstance(plugin, AmazonPlugin)
    assert plugin.channel is None
    assert AmazonPlugin.CONFIGURATION_PER_CHANNEL is False


def test_plugins_query_lists_amazon(staff_api_client, permission_manage_plugins):
    staff_api_client.user.user_permissions.add(permission_manage_plugins)
    content = get_graphql_content(staff_api_client.post_graphql(PLUGINS_QUERY))
    ids = [edge["node"]["id"] for edge in content["data"]["plugins"]["edges"]]
    assert conf.PLUGIN_ID in ids


def test_plugin_query_returns_configuration_without_revealing_secret(
    staff_api_client, permission_manage_plugins, amazon_plugin_configuration
):
    staff_api_client.user.user_permissions.add(permission_manage_plugins)
    content = get_graphql_content(
        staff_api_client.post_graphql(PLUGIN_QUERY, {"id": conf.PLUGIN_ID})
    )
    plugin = content["data"]["plugin"]
    assert plugin["name"] == "Amazon"
    assert "Amazon" in plugin["description"]
    fields = {f["name"]: f for f in plugin["globalConfiguration"]["configuration"]}
    assert set(fields) == {
        conf.CLIENT_ID,
        conf.CLIENT_SECRET,
        conf.APPLICATION_ID,
        conf.ENDPOINTS,
        conf.LWA_ENDPOINT,
        conf.POLL_INTERVAL,
        conf.CARRIER_MAPPING,
        conf.CONFIRM_WITHOUT_TRACKING,
        conf.TRACKING_WAIT,
        conf.CANCEL_REASON,
        conf.ACKNOWLEDGE_ORDERS,
        conf.WEBHOOK_JWKS_URL,
        conf.ORDER_OVERLAP,
        conf.DEEP_CHECK_HOURS,
        conf.DEEP_CHECK_EVERY,
        conf.BUYER_DATA_DAYS,
        conf.KEEP_INVOICE_DATA,
    }
    assert fields[conf.CLIENT_ID]["type"] == "STRING"
    assert fields[conf.CLIENT_ID]["value"] == "amzn1.application-oa2-client.test"
    assert fields[conf.CLIENT_SECRET]["type"] == "SECRET"
    assert "lwa-client-secret-value" not in str(content)
    # Saleor shows only a secret's last four characters (what the README says).
    assert fields[conf.CLIENT_SECRET]["value"] == "alue"
    assert fields[conf.POLL_INTERVAL]["value"] == "10"


def test_plugin_query_needs_manage_plugins(staff_api_client, amazon_plugin_configuration):
    response = staff_api_client.post_graphql(PLUGIN_QUERY, {"id": conf.PLUGIN_ID})
    content = response.json()
    assert content["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


def test_plugin_update_saves_configuration(staff_api_client, permission_manage_plugins):
    staff_api_client.user.user_permissions.add(permission_manage_plugins)
    variables = {
        "id": conf.PLUGIN_ID,
        "active": True,
        "configuration": [
            {"name": conf.CLIENT_ID, "value": "amzn1.application-oa2-client.new"},
            {"name": conf.CLIENT_SECRET, "value": "new-secret"},
            {"name": conf.ENDPOINTS, "value": "EU=http://127.0.0.1:9999"},
            {"name": conf.POLL_INTERVAL, "value": "5"},
        ],
    }
    content = get_graphql_content(staff_api_client.post_graphql(PLUGIN_UPDATE, variables))
    assert content["data"]["pluginUpdate"]["errors"] == []
    stored = PluginConfiguration.objects.get(identifier=conf.PLUGIN_ID)
    assert stored.active is True
    values = {item["name"]: item["value"] for item in stored.configuration}
    assert values[conf.CLIENT_ID] == "amzn1.application-oa2-client.new"
    assert values[conf.POLL_INTERVAL] == "5"
    loaded = conf.load()
    assert loaded.client_secret == "new-secret"
    assert loaded.endpoints == {"EU": "http://127.0.0.1:9999"}
    assert loaded.poll_interval_minutes == 5


def test_plugin_update_rejects_invalid_interval_and_endpoint(
    staff_api_client, permission_manage_plugins
):
    staff_api_client.user.user_permissions.add(permission_manage_plugins)
    for name, value in [
        (conf.POLL_INTERVAL, "often"),
        (conf.ENDPOINTS, "ftp://x"),
        (conf.ORDER_OVERLAP, "-5"),
        (conf.DEEP_CHECK_HOURS, "9999"),
        (conf.DEEP_CHECK_EVERY, "0"),
    ]:
        variables = {"id": conf.PLUGIN_ID, "configuration": [{"name": name, "value": value}]}
        response = staff_api_client.post_graphql(PLUGIN_UPDATE, variables)
        errors = response.json()["data"]["pluginUpdate"]["errors"]
        assert errors, f"{name}={value!r} was accepted"
    assert not PluginConfiguration.objects.filter(
        identifier=conf.PLUGIN_ID, configuration__contains=[{"value": "often"}]
    ).exists()


def test_endpoint_answers_and_unknown_paths_are_404(client, amazon_plugin_configuration):
    response = client.get("/plugins/saleor_amazon/status")
    assert response.status_code == 200
    assert response.json()["plugin"] == "saleor_amazon"

    response = client.get("/plugins/saleor_amazon/no-such-thing")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"


def test_endpoint_is_closed_while_plugin_is_inactive(client, amazon_plugin_configuration):
    amazon_plugin_configuration.active = False
    amazon_plugin_configuration.save()
    response = client.get("/plugins/saleor_amazon/status")
    assert response.status_code == 404


def test_refresh_token_is_encrypted_at_rest(amazon_account):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT refresh_token FROM saleor_amazon_amazonaccount WHERE id = %s",
            [amazon_account.pk],
        )
        (stored,) = cursor.fetchone()
    assert "test-refresh-token" not in stored
    assert stored.startswith("fernet:")
    assert AmazonAccount.objects.get(pk=amazon_account.pk).refresh_token == (
        "Atzr|test-refresh-token-0123456789"
    )
    assert "test-refresh-token" not in repr(amazon_account)
