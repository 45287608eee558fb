"""Saleor's entry into the integration: configuration and hooks. Thin by design."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from saleor.plugins.base_plugin import BasePlugin, ConfigurationTypeField

from . import conf
from .http import dispatch


class AmazonPlugin(BasePlugin):
    PLUGIN_ID = conf.PLUGIN_ID
    PLUGIN_NAME = "Amazon"
    PLUGIN_DESCRIPTION = (
        "Sell on Amazon: connect your Amazon seller accounts, import Amazon orders as "
        "Saleor orders, report shipments back to Amazon, and keep offers, prices and "
        "stock in sync. Enter your Selling Partner API application's Login with Amazon "
        "credentials here; accounts and marketplaces are managed in the Amazon section."
    )
    CONFIGURATION_PER_CHANNEL = False
    DEFAULT_ACTIVE = True
    DEFAULT_CONFIGURATION = conf.DEFAULT_CONFIGURATION
    CONFIG_STRUCTURE = {
        conf.CLIENT_ID: {
            "type": ConfigurationTypeField.STRING,
            "label": "LWA client ID",
            "help_text": (
                "Login with Amazon client identifier of your SP-API application "
                "(Seller Central > Develop Apps > View LWA credentials)."
            ),
        },
        conf.CLIENT_SECRET: {
            "type": ConfigurationTypeField.SECRET,
            "label": "LWA client secret",
            "help_text": "Login with Amazon client secret of your SP-API application.",
        },
        conf.APPLICATION_ID: {
            "type": ConfigurationTypeField.STRING,
            "label": "SP-API application ID",
            "help_text": (
                "Application ID (amzn1.sp.solution...) used for the Seller Central "
                "consent link when connecting an account."
            ),
        },
        conf.ENDPOINTS: {
            "type": ConfigurationTypeField.STRING,
            "label": "SP-API endpoints override",
            "help_text": (
                "Leave empty for Amazon's endpoints. For a proxy or the local sandbox: "
                "one URL for every region, or EU=https://...,NA=https://...,FE=https://... "
                "The SALEOR_AMAZON_SPAPI_ENDPOINT environment variable overrides this."
            ),
        },
        conf.LWA_ENDPOINT: {
            "type": ConfigurationTypeField.STRING,
            "label": "LWA token URL override",
            "help_text": (
                "Leave empty for https://api.amazon.com/auth/o2/token. "
                "The SALEOR_AMAZON_LWA_ENDPOINT environment variable overrides this."
            ),
        },
        conf.POLL_INTERVAL: {
            "type": ConfigurationTypeField.STRING,
            "label": "Order polling interval (minutes)",
            "help_text": "How often new and updated Amazon orders are fetched (1 to 1440).",
        },
    }

    @classmethod
    def validate_plugin_configuration(cls, plugin_configuration, **kwargs):
        items = plugin_configuration.configuration or []
        try:
            conf.from_items(items)
        except conf.ConfigurationError as exc:
            raise ValidationError({"configuration": str(exc)}) from exc

    def webhook(self, request, path: str, previous_value) -> HttpResponse:
        return dispatch(request, path or "/", self)
