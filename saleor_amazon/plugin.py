"""Saleor's entry into the integration: configuration and hooks. Thin by design."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from saleor.plugins.base_plugin import BasePlugin, ConfigurationTypeField

from . import conf, hooks
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
        conf.CARRIER_MAPPING: {
            "type": ConfigurationTypeField.MULTILINE,
            "label": "Carrier mapping",
            "help_text": (
                "One rule a line: 'pattern = Amazon carrier code', or "
                "'pattern = Other | carrier name'. The pattern is looked for (case "
                "insensitive) in the Saleor shipping method name and in a tracking URL. "
                "Rules come before the built-in table (DHL, DPD, UPS, GLS, Hermes, Royal "
                "Mail, Deutsche Post, InPost, PostNL, Colissimo...); unknown carriers are "
                "sent as Other with the shipping method name."
            ),
        },
        conf.CONFIRM_WITHOUT_TRACKING: {
            "type": ConfigurationTypeField.BOOLEAN,
            "label": "Confirm shipments without tracking number",
            "help_text": (
                "When a fulfilment still has no tracking number after the wait below, "
                "confirm it to Amazon without one. Off: it stays waiting, visible to staff."
            ),
        },
        conf.TRACKING_WAIT: {
            "type": ConfigurationTypeField.STRING,
            "label": "Wait for a tracking number (minutes)",
            "help_text": (
                "How long a fulfilment without a tracking number waits for one before "
                "the rule above applies (0 to 10080)."
            ),
        },
        conf.CANCEL_REASON: {
            "type": ConfigurationTypeField.STRING,
            "label": "Default cancellation reason",
            "help_text": (
                "Amazon's reason sent when an Amazon order is cancelled in Saleor: "
                + ", ".join(conf.CANCEL_REASONS)
                + "."
            ),
        },
        conf.ACKNOWLEDGE_ORDERS: {
            "type": ConfigurationTypeField.BOOLEAN,
            "label": "Acknowledge orders to Amazon",
            "help_text": (
                "After an Amazon order becomes a Saleor order, acknowledge it to Amazon "
                "with the Saleor order number as the merchant order ID."
            ),
        },
        conf.WEBHOOK_JWKS_URL: {
            "type": ConfigurationTypeField.STRING,
            "label": "Saleor webhook JWKS URL",
            "help_text": (
                "For webhook deliveries from another Saleor instance to "
                "/plugins/saleor_amazon/webhooks/saleor/: its /.well-known/jwks.json. "
                "Leave empty to accept only this instance's signatures."
            ),
        },
        conf.ORDER_OVERLAP: {
            "type": ConfigurationTypeField.STRING,
            "label": "Order re-check overlap (minutes)",
            "help_text": (
                "Each order poll reads again this far before where the last one ended, "
                "because Amazon shows some orders minutes after their update time (0 to "
                "1440, default 30). Orders read twice are stored once."
            ),
        },
        conf.DEEP_CHECK_HOURS: {
            "type": ConfigurationTypeField.STRING,
            "label": "Deep order re-check look-back (hours)",
            "help_text": (
                "How far back the periodic deep re-check reads orders again, for the rare "
                "orders Amazon shows hours late (0 to 720, default 24; 0 turns it off)."
            ),
        },
        conf.DEEP_CHECK_EVERY: {
            "type": ConfigurationTypeField.STRING,
            "label": "Deep order re-check every (hours)",
            "help_text": "How often the deep re-check runs (1 to 168, default 6).",
        },
        conf.BUYER_DATA_DAYS: {
            "type": ConfigurationTypeField.STRING,
            "label": "Keep Amazon buyer data (days after delivery)",
            "help_text": (
                "Amazon's Data Protection Policy allows keeping the buyer's personal data "
                "30 days after delivery, longer only where a law requires it. After this "
                "many days from the latest delivery date (or the cancellation), the "
                "plugin's copy is erased and the Saleor order and a customer created from "
                "Amazon are anonymised; country, region and postal code stay for tax "
                "reporting (0 to 3650, default 30)."
            ),
        },
        conf.KEEP_INVOICE_DATA: {
            "type": ConfigurationTypeField.BOOLEAN,
            "label": "Keep the billing data of invoiced Amazon orders",
            "help_text": (
                "Tax law requires keeping invoices: an Amazon order with a Saleor invoice "
                "keeps its billing address (name and address as on the invoice) when it "
                "is anonymised; its e-mail, phone, shipping address and notes go. Off: "
                "invoiced orders are anonymised like all others."
            ),
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

    # Saleor hooks: each hands over to the service that handles it (see hooks.py).
    # Signatures accept Saleor's optional arguments (webhooks=..., notify_customer=...).

    def fulfillment_created(self, fulfillment, *args, previous_value=None, **kwargs):
        if self.active:
            hooks.run("fulfillment_created", fulfillment)
        return previous_value

    def fulfillment_approved(self, fulfillment, *args, previous_value=None, **kwargs):
        if self.active:
            hooks.run("fulfillment_approved", fulfillment)
        return previous_value

    def tracking_number_updated(self, fulfillment, previous_value=None, **kwargs):
        if self.active:
            hooks.run("tracking_number_updated", fulfillment)
        return previous_value

    def order_cancelled(self, order, previous_value=None, **kwargs):
        if self.active:
            hooks.run("order_cancelled", order)
        return previous_value

    def order_updated(self, order, previous_value=None, **kwargs):
        if self.active:
            hooks.run("order_updated", order)
        return previous_value

    def invoice_sent(self, invoice, email, previous_value=None, **kwargs):
        if self.active:
            hooks.run("invoice_sent", invoice, email)
        return previous_value

    def product_updated(self, product, previous_value=None, **kwargs):
        if self.active:
            hooks.run("product_updated", product)
        return previous_value

    def product_deleted(self, product, variants, previous_value=None, **kwargs):
        if self.active:
            hooks.run("product_deleted", product, variants)
        return previous_value

    def product_variant_updated(self, product_variant, previous_value=None, **kwargs):
        if self.active:
            hooks.run("product_variant_updated", product_variant)
        return previous_value

    def product_variant_deleted(self, product_variant, previous_value=None, **kwargs):
        if self.active:
            hooks.run("product_variant_deleted", product_variant)
        return previous_value
