"""Fixtures shared by the plugin's tests."""

import pytest
from django.conf import settings as django_settings
from saleor.plugins.models import PluginConfiguration

from saleor_amazon import conf
from saleor_amazon.models import AmazonAccount


@pytest.fixture(autouse=True)
def amazon_plugin_installed(setup_dummy_gateways):
    """Saleor's autouse fixture resets PLUGINS to its dummy gateways for every test;
    put back what Saleor discovered through the ``saleor.plugins`` entry points."""
    setup_dummy_gateways.PLUGINS = [
        *setup_dummy_gateways.PLUGINS,
        *(p for p in django_settings.EXTERNAL_PLUGINS if p not in setup_dummy_gateways.PLUGINS),
    ]
    return setup_dummy_gateways


@pytest.fixture
def amazon_plugin_configuration(db):
    """The plugin's stored configuration, active, as staff would save it in the Dashboard."""
    config, _ = PluginConfiguration.objects.update_or_create(
        identifier=conf.PLUGIN_ID,
        channel=None,
        defaults={
            "name": "Amazon",
            "active": True,
            "configuration": [
                {"name": conf.CLIENT_ID, "value": "amzn1.application-oa2-client.test"},
                {"name": conf.CLIENT_SECRET, "value": "lwa-client-secret-value"},
                {"name": conf.APPLICATION_ID, "value": "amzn1.sp.solution.test"},
                {"name": conf.ENDPOINTS, "value": ""},
                {"name": conf.LWA_ENDPOINT, "value": ""},
                {"name": conf.POLL_INTERVAL, "value": "10"},
            ],
        },
    )
    return config


@pytest.fixture
def amazon_account(db):
    return AmazonAccount.objects.create(
        seller_id="A1SELLERTEST",
        name="Test seller",
        region="EU",
        refresh_token="Atzr|test-refresh-token-0123456789",
    )
