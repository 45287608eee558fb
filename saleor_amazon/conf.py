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

DEFAULT_CONFIGURATION = [
    {"name": CLIENT_ID, "value": ""},
    {"name": CLIENT_SECRET, "value": ""},
    {"name": APPLICATION_ID, "value": ""},
    {"name": ENDPOINTS, "value": ""},
    {"name": LWA_ENDPOINT, "value": ""},
    {"name": POLL_INTERVAL, "value": "10"},
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


def parse_interval(value) -> int:
    try:
        minutes = int(str(value).strip() or "10")
    except ValueError as exc:
        raise ConfigurationError(f"Polling interval {value!r} is not a number of minutes.") from exc
    if not 1 <= minutes <= 1440:
        raise ConfigurationError("Polling interval must be between 1 and 1440 minutes.")
    return minutes


@dataclass
class AmazonConfig:
    client_id: str = ""
    client_secret: str = ""
    application_id: str = ""
    endpoints: dict[str, str] = field(default_factory=dict)
    lwa_endpoint: str = ""
    poll_interval_minutes: int = 10
    active: bool = False

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
        poll_interval_minutes=parse_interval(values.get(POLL_INTERVAL) or "10"),
        active=active,
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
