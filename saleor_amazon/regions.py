"""Amazon's selling regions and marketplaces (ids, countries, currencies, endpoints)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    endpoint: str
    seller_central: str


REGIONS = {
    "NA": Region(
        "NA",
        "North America",
        "https://sellingpartnerapi-na.amazon.com",
        "https://sellercentral.amazon.com",
    ),
    "EU": Region(
        "EU",
        "Europe",
        "https://sellingpartnerapi-eu.amazon.com",
        "https://sellercentral-europe.amazon.com",
    ),
    "FE": Region(
        "FE",
        "Far East",
        "https://sellingpartnerapi-fe.amazon.com",
        "https://sellercentral.amazon.co.jp",
    ),
}
LWA_TOKEN_URL = "https://api.amazon.com/auth/o2/token"  # noqa: S105 - a URL


@dataclass(frozen=True)
class MarketplaceInfo:
    id: str
    code: str
    country: str
    currency: str
    region: str
    domain: str
    # Whether Amazon's item prices in this marketplace include VAT (EU, UK, JP...)
    # or have sales tax added on top (US, CA, MX, BR).
    prices_include_tax: bool


MARKETPLACES = {
    m.id: m
    for m in [
        MarketplaceInfo("ATVPDKIKX0DER", "US", "US", "USD", "NA", "amazon.com", False),
        MarketplaceInfo("A2EUQ1WTGCTBG2", "CA", "CA", "CAD", "NA", "amazon.ca", False),
        MarketplaceInfo("A1AM78C64UM0Y8", "MX", "MX", "MXN", "NA", "amazon.com.mx", False),
        MarketplaceInfo("A2Q3Y263D00KWC", "BR", "BR", "BRL", "NA", "amazon.com.br", False),
        MarketplaceInfo("A1PA6795UKMFR9", "DE", "DE", "EUR", "EU", "amazon.de", True),
        MarketplaceInfo("A13V1IB3VIYZZH", "FR", "FR", "EUR", "EU", "amazon.fr", True),
        MarketplaceInfo("APJ6JRA9NG5V4", "IT", "IT", "EUR", "EU", "amazon.it", True),
        MarketplaceInfo("A1RKKUPIHCS9HS", "ES", "ES", "EUR", "EU", "amazon.es", True),
        MarketplaceInfo("A1F83G8C2ARO7P", "UK", "GB", "GBP", "EU", "amazon.co.uk", True),
        MarketplaceInfo("A1805IZSGTT6HS", "NL", "NL", "EUR", "EU", "amazon.nl", True),
        MarketplaceInfo("A1C3SOZRARQ6R3", "PL", "PL", "PLN", "EU", "amazon.pl", True),
        MarketplaceInfo("A2NODRKZP88ZB9", "SE", "SE", "SEK", "EU", "amazon.se", True),
        MarketplaceInfo("AMEN7PMS3EDWL", "BE", "BE", "EUR", "EU", "amazon.com.be", True),
        MarketplaceInfo("A28R8C7NBKEWEA", "IE", "IE", "EUR", "EU", "amazon.ie", True),
        MarketplaceInfo("A33AVAJ2PDY3EV", "TR", "TR", "TRY", "EU", "amazon.com.tr", True),
        MarketplaceInfo("A2VIGQ35RCS4UG", "AE", "AE", "AED", "EU", "amazon.ae", True),
        MarketplaceInfo("A1VC38T7YXB528", "JP", "JP", "JPY", "FE", "amazon.co.jp", True),
        MarketplaceInfo("A39IBJ37TRP1C6", "AU", "AU", "AUD", "FE", "amazon.com.au", True),
        MarketplaceInfo("A19VAU5U5O7RUS", "SG", "SG", "SGD", "FE", "amazon.sg", True),
    ]
}
MARKETPLACES_BY_CODE = {m.code: m for m in MARKETPLACES.values()}


def marketplace(marketplace_id: str) -> MarketplaceInfo | None:
    return MARKETPLACES.get(marketplace_id)
