"""The plugin's global configuration, readable from anywhere (web, Celery, commands).

Values come from Saleor's stored plugin configuration (edited in the Dashboard
under Configuration > Plugins > Amazon), then environment overrides for the
endpoints, then defaults.
"""

import os
from dataclasses import dataclass, field

PLUGIN_ID = "saleor_amazon"

CLIENT_ID = "LWA client ID"
CLIENT_SECRET = "LWA client secret"  # noqa: S105 - a field label
APPLICATION_ID = "SP-API application ID"
ENDPOINTS = "SP-API endpoints"
LWA_ENDPOINT = "LWA token URL"
POLL_INTERVAL = "Order polling interval (minutes)"
CARRIER_MAPPING = "Carrier mapping"
CONFIRM_WITHOUT_TRACKING = "Confirm shipments without tracking number"
TRACKING_WAIT = "Wait for a tracking number (minutes)"
CANCEL_REASON = "Default cancellation reason"
ACKNOWLEDGE_ORDERS = "Acknowledge orders to Amazon"
WEBHOOK_JWKS_URL = "Saleor webhook JWKS URL"
ORDER_OVERLAP = "Order re-check overlap (minutes)"
DEEP_CHECK_HOURS = "Deep order re-check look-back (hours)"
DEEP_CHECK_EVERY = "Deep order re-check every (hours)"
BUYER_DATA_DAYS = "Keep Amazon buyer data (days after delivery)"
KEEP_INVOICE_DATA = "Keep the billing data of invoiced Amazon orders"

# Amazon's CancelReason values of the order acknowledgement feed.
CANCEL_REASONS = (
    "NoInventory",
    "ShippingAddressUndeliverable",
    "CustomerExchange",
    "BuyerCanceled",
    "GeneralAdjustment",
    "CarrierCreditDecision",
    "RiskAssessmentInformationNotValid",
    "CarrierCoverageFailure",
    "CustomerReturn",
    "MerchandiseNotReceived",
)

DEFAULT_CONFIGURATION = [
    {"name": CLIENT_ID, "value": ""},
    {"name": CLIENT_SECRET, "value": ""},
    {"name": APPLICATION_ID, "value": ""},
    {"name": ENDPOINTS, "value": ""},
    {"name": LWA_ENDPOINT, "value": ""},
    {"name": POLL_INTERVAL, "value": "10"},
    {"name": CARRIER_MAPPING, "value": ""},
    {"name": CONFIRM_WITHOUT_TRACKING, "value": False},
    {"name": TRACKING_WAIT, "value": "120"},
    {"name": CANCEL_REASON, "value": "NoInventory"},
    {"name": ACKNOWLEDGE_ORDERS, "value": False},
    {"name": WEBHOOK_JWKS_URL, "value": ""},
    {"name": ORDER_OVERLAP, "value": "30"},
    {"name": DEEP_CHECK_HOURS, "value": "24"},
    {"name": DEEP_CHECK_EVERY, "value": "6"},
    {"name": BUYER_DATA_DAYS, "value": "30"},
    {"name": KEEP_INVOICE_DATA, "value": True},
]

ENV_SPAPI_ENDPOINT = "SALEOR_AMAZON_SPAPI_ENDPOINT"
ENV_LWA_ENDPOINT = "SALEOR_AMAZON_LWA_ENDPOINT"


class ConfigurationError(ValueError):
    pass


def parse_endpoints(text: str) -> dict[str, str]:
    """``https://proxy`` (every region) or lines/commas of ``EU=https://...``."""
    result: dict[str, str] = {}
    for raw in (text or "").replace(",", "\n").splitlines():
        item = raw.strip()
        if not item:
            continue
        if "=" in item.split("://", 1)[0]:
            region, url = item.split("=", 1)
            region = region.strip().upper()
            if region not in ("NA", "EU", "FE"):
                raise ConfigurationError(f"Unknown SP-API region {region!r} in endpoints.")
            result[region] = _check_url(url.strip())
        else:
            url = _check_url(item)
            for region in ("NA", "EU", "FE"):
                result.setdefault(region, url)
    return result


def _check_url(url: str) -> str:
    if not url.startswith(("http://", "https://")):
        raise ConfigurationError(f"Endpoint {url!r} must start with http:// or https://.")
    return url.rstrip("/")


def parse_int(value, default: int, low: int, high: int, what: str) -> int:
    """A whole number from a configuration value; empty means ``default``."""
    text = str(value if value is not None else "").strip()
    try:
        number = int(text) if text else default
    except ValueError as exc:
        raise ConfigurationError(f"{what} {value!r} is not a whole number.") from exc
    if not low <= number <= high:
        raise ConfigurationError(f"{what} must be between {low} and {high}.")
    return number


def parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("1", "true", "yes", "on")


def parse_cancel_reason(value) -> str:
    reason = str(value or "").strip() or "NoInventory"
    if reason not in CANCEL_REASONS:
        raise ConfigurationError(
            f"Cancellation reason {reason!r} is not one of Amazon's: {', '.join(CANCEL_REASONS)}."
        )
    return reason


def parse_carrier_mapping(text) -> list[tuple[str, str, str]]:
    """Lines of ``pattern = Amazon carrier code`` or ``pattern = Other | carrier name``."""
    rules = []
    for number, raw in enumerate(str(text or "").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        pattern, sep, target = line.rpartition("=")
        code, _, name = target.partition("|")
        pattern, code, name = pattern.strip(), code.strip(), name.strip()
        if not sep or not pattern or not code:
            raise ConfigurationError(
                f"Carrier mapping line {number} ({line!r}) must read 'pattern = carrier code'."
            )
        if code == "Other" and not name:
            raise ConfigurationError(
                f"Carrier mapping line {number}: carrier code Other needs '| carrier name'."
            )
        rules.append((pattern, code, name))
    return rules


@dataclass
class AmazonConfig:
    client_id: str = ""
    client_secret: str = ""
    application_id: str = ""
    endpoints: dict[str, str] = field(default_factory=dict)
    lwa_endpoint: str = ""
    poll_interval_minutes: int = 10
    active: bool = False
    carrier_mapping: list[tuple[str, str, str]] = field(default_factory=list)
    confirm_without_tracking: bool = False
    tracking_wait_minutes: int = 120
    cancel_reason: str = "NoInventory"
    acknowledge_orders: bool = False
    webhook_jwks_url: str = ""
    # Each poll re-reads this much before the last window's end (late orders).
    order_overlap_minutes: int = 30
    # A deep re-check reaches this far back (0: never), every ``deep_check_every_hours``.
    deep_check_hours: int = 24
    deep_check_every_hours: int = 6
    # Amazon's Data Protection Policy: buyer data no longer than 30 days after delivery
    # (longer only where a law requires it). The plugin's own copy is purged and the
    # Saleor order anonymised this many days after the latest delivery date.
    buyer_data_days: int = 30
    # Tax-law exception: an invoiced order keeps its billing address (name and address as
    # on the invoice).
    keep_invoice_data: bool = True

    def endpoint_for(self, region: str) -> str | None:
        return self.endpoints.get(region)


def from_items(items: list[dict], active: bool = True) -> AmazonConfig:
    values = {item["name"]: item.get("value") for item in items or []}
    endpoints = parse_endpoints(values.get(ENDPOINTS) or "")
    env_endpoint = os.environ.get(ENV_SPAPI_ENDPOINT)
    if env_endpoint:
        endpoints = parse_endpoints(env_endpoint)
    return AmazonConfig(
        client_id=(values.get(CLIENT_ID) or "").strip(),
        client_secret=(values.get(CLIENT_SECRET) or "").strip(),
        application_id=(values.get(APPLICATION_ID) or "").strip(),
        endpoints=endpoints,
        lwa_endpoint=(os.environ.get(ENV_LWA_ENDPOINT) or values.get(LWA_ENDPOINT) or "").strip(),
        poll_interval_minutes=parse_int(
            values.get(POLL_INTERVAL), 10, 1, 1440, "Polling interval (minutes)"
        ),
        active=active,
        carrier_mapping=parse_carrier_mapping(values.get(CARRIER_MAPPING)),
        confirm_without_tracking=parse_bool(values.get(CONFIRM_WITHOUT_TRACKING)),
        tracking_wait_minutes=parse_int(
            values.get(TRACKING_WAIT), 120, 0, 10080, "Tracking number wait (minutes)"
        ),
        cancel_reason=parse_cancel_reason(values.get(CANCEL_REASON)),
        acknowledge_orders=parse_bool(values.get(ACKNOWLEDGE_ORDERS)),
        webhook_jwks_url=(values.get(WEBHOOK_JWKS_URL) or "").strip(),
        order_overlap_minutes=parse_int(
            values.get(ORDER_OVERLAP), 30, 0, 1440, "Order re-check overlap (minutes)"
        ),
        deep_check_hours=parse_int(
            values.get(DEEP_CHECK_HOURS), 24, 0, 720, "Deep order re-check look-back (hours)"
        ),
        deep_check_every_hours=parse_int(
            values.get(DEEP_CHECK_EVERY), 6, 1, 168, "Deep order re-check interval (hours)"
        ),
        buyer_data_days=parse_int(
            values.get(BUYER_DATA_DAYS), 30, 0, 3650, "Buyer data retention (days)"
        ),
        keep_invoice_data=parse_bool(values.get(KEEP_INVOICE_DATA, True)),
    )


def load() -> AmazonConfig:
    """Read the stored configuration (outside a request, e.g. in Celery)."""
    from saleor.plugins.models import PluginConfiguration

    defaults = {item["name"]: item["value"] for item in DEFAULT_CONFIGURATION}
    stored = (
        PluginConfiguration.objects.filter(identifier=PLUGIN_ID, channel__isnull=True)
        .values("configuration", "active")
        .first()
    )
    active = False
    if stored:
        active = stored["active"]
        for item in stored["configuration"] or []:
            defaults[item["name"]] = item.get("value")
    return from_items([{"name": k, "value": v} for k, v in defaults.items()], active)
