"""Which Amazon carrier code a Saleor fulfilment ships with, and its tracking number.

The carrier is found from the merchant's rules (plugin configuration, ``pattern = code``
or ``pattern = Other | name``), then the built-in table below, looking for each pattern
(case insensitive) in the Saleor shipping method name and in the host of a tracking URL.
Anything else is Amazon's ``Other`` with the shipping method name as the carrier name.

Saleor lets staff enter a URL as the tracking number; the number itself is then read from
the URL's usual query parameters (or its last path segment).
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

OTHER = "Other"

# (pattern, Amazon carrier code), most specific first.
BUILTIN = [
    ("dhl express", "DHL"),
    ("dhl ecommerce", "DHL eCommerce"),
    ("deutsche post", "Deutsche Post"),
    ("deutschepost", "Deutsche Post"),
    ("dhl", "DHL"),
    ("dpd", "DPD"),
    ("ups", "UPS"),
    ("gls", "GLS"),
    ("evri", "Evri"),
    ("myhermes", "Hermes"),
    ("hermes", "Hermes"),
    ("royal mail", "Royal Mail"),
    ("royalmail", "Royal Mail"),
    ("parcelforce", "Parcelforce"),
    ("yodel", "Yodel"),
    ("inpost", "InPost"),
    ("paczkomat", "InPost"),
    ("poczta polska", "Poczta Polska"),
    ("pocztapolska", "Poczta Polska"),
    ("postnl", "PostNL"),
    ("colissimo", "Colissimo"),
    ("chronopost", "Chronopost"),
    ("la poste", "La Poste"),
    ("laposte", "La Poste"),
    ("poste italiane", "Poste Italiane"),
    ("poste.it", "Poste Italiane"),
    ("brt", "BRT"),
    ("sda", "SDA"),
    ("correos", "Correos"),
    ("seur", "SEUR"),
    ("postnord", "PostNord"),
    ("bpost", "bpost"),
    ("fedex", "FedEx"),
    ("tnt", "TNT"),
    ("usps", "USPS"),
    ("canada post", "Canada Post"),
    ("canadapost", "Canada Post"),
]

TRACKING_PARAMS = (
    "piececode",
    "idc",
    "tracknum",
    "tracknumbers",
    "trackingnumber",
    "tracking_number",
    "tracking",
    "trackid",
    "parcelnumber",
    "parcelno",
    "shipmentnumber",
    "barcode",
    "code",
    "match",
    "number",
    "id",
    "q",
)
URL = re.compile(r"^[-\w+.]+://")


@dataclass(frozen=True)
class Carrier:
    code: str
    name: str = ""  # only with code Other (Amazon's carrierName)


def is_url(value: str) -> bool:
    return bool(URL.match(value or ""))


def tracking_number(value: str) -> str:
    """The tracking number in ``value`` (itself, or read from a tracking URL)."""
    value = (value or "").strip()
    if not is_url(value):
        return value
    url = urlparse(value)
    query = {k.lower(): v for k, v in parse_qs(url.query).items()}
    for name in TRACKING_PARAMS:
        if query.get(name) and query[name][0].strip():
            return query[name][0].strip()
    segments = [s for s in url.path.split("/") if s]
    return segments[-1] if segments else ""


def _matches(pattern: str, text: str) -> bool:
    pattern = pattern.lower()
    if not text:
        return False
    if len(pattern) <= 4 and pattern.isalnum():
        # Short names (UPS, GLS, DPD, BRT...) only as whole words: "groups" is not UPS.
        return re.search(rf"(?<![a-z0-9]){re.escape(pattern)}(?![a-z0-9])", text) is not None
    return pattern in text


def carrier_for(shipping_method: str, tracking: str = "", rules=()) -> Carrier:
    """Amazon's carrier for a shipping method name and tracking number (or URL).

    ``rules`` are the configured ``(pattern, code, name)`` triples; they win over the
    built-in table.
    """
    method = (shipping_method or "").lower()
    host = (urlparse(tracking).hostname or "").lower() if is_url(tracking or "") else ""
    table = [(p, c, n) for p, c, n in rules] + [(p, c, "") for p, c in BUILTIN]
    for text in (method, host):
        for pattern, code, name in table:
            if _matches(pattern, text):
                return Carrier(code, name if code == OTHER else "")
    return Carrier(OTHER, (shipping_method or "").strip() or "Unknown carrier")
