"""The marketplaces the sandbox knows, as Amazon's Sellers API describes them.

The sandbox keeps its own table on purpose: it plays Amazon and must not share the
plugin's assumptions (saleor_amazon.regions).
"""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Marketplace:
    id: str
    country: str
    name: str
    currency: str
    language: str
    domain: str
    region: str
    # Standard VAT rate for EU/UK marketplaces (prices include it); for NA marketplaces
    # a typical sales tax rate added on top of prices.
    tax_rate: Decimal
    prices_include_tax: bool


MARKETPLACES = {
    m.id: m
    for m in [
        Marketplace(
            "A1PA6795UKMFR9",
            "DE",
            "Amazon.de",
            "EUR",
            "de_DE",
            "www.amazon.de",
            "EU",
            Decimal("0.19"),
            True,
        ),
        Marketplace(
            "A13V1IB3VIYZZH",
            "FR",
            "Amazon.fr",
            "EUR",
            "fr_FR",
            "www.amazon.fr",
            "EU",
            Decimal("0.20"),
            True,
        ),
        Marketplace(
            "APJ6JRA9NG5V4",
            "IT",
            "Amazon.it",
            "EUR",
            "it_IT",
            "www.amazon.it",
            "EU",
            Decimal("0.22"),
            True,
        ),
        Marketplace(
            "A1RKKUPIHCS9HS",
            "ES",
            "Amazon.es",
            "EUR",
            "es_ES",
            "www.amazon.es",
            "EU",
            Decimal("0.21"),
            True,
        ),
        Marketplace(
            "A1F83G8C2ARO7P",
            "GB",
            "Amazon.co.uk",
            "GBP",
            "en_GB",
            "www.amazon.co.uk",
            "EU",
            Decimal("0.20"),
            True,
        ),
        Marketplace(
            "A1805IZSGTT6HS",
            "NL",
            "Amazon.nl",
            "EUR",
            "nl_NL",
            "www.amazon.nl",
            "EU",
            Decimal("0.21"),
            True,
        ),
        Marketplace(
            "A1C3SOZRARQ6R3",
            "PL",
            "Amazon.pl",
            "PLN",
            "pl_PL",
            "www.amazon.pl",
            "EU",
            Decimal("0.23"),
            True,
        ),
        Marketplace(
            "A2NODRKZP88ZB9",
            "SE",
            "Amazon.se",
            "SEK",
            "sv_SE",
            "www.amazon.se",
            "EU",
            Decimal("0.25"),
            True,
        ),
        Marketplace(
            "AMEN7PMS3EDWL",
            "BE",
            "Amazon.com.be",
            "EUR",
            "fr_BE",
            "www.amazon.com.be",
            "EU",
            Decimal("0.21"),
            True,
        ),
        Marketplace(
            "A28R8C7NBKEWEA",
            "IE",
            "Amazon.ie",
            "EUR",
            "en_IE",
            "www.amazon.ie",
            "EU",
            Decimal("0.23"),
            True,
        ),
        Marketplace(
            "ATVPDKIKX0DER",
            "US",
            "Amazon.com",
            "USD",
            "en_US",
            "www.amazon.com",
            "NA",
            Decimal("0.0825"),
            False,
        ),
        Marketplace(
            "A2EUQ1WTGCTBG2",
            "CA",
            "Amazon.ca",
            "CAD",
            "en_CA",
            "www.amazon.ca",
            "NA",
            Decimal("0.13"),
            False,
        ),
        Marketplace(
            "A1VC38T7YXB528",
            "JP",
            "Amazon.co.jp",
            "JPY",
            "ja_JP",
            "www.amazon.co.jp",
            "FE",
            Decimal("0.10"),
            True,
        ),
    ]
}

BY_COUNTRY = {m.country: m for m in MARKETPLACES.values()}
# The demo seller sells in these (UK is "GB" as a country code).
DEMO_COUNTRIES = ["DE", "FR", "IT", "ES", "GB", "NL", "PL", "SE", "BE", "IE", "US", "CA"]
DEMO_MARKETPLACE_IDS = [BY_COUNTRY[c].id for c in DEMO_COUNTRIES]


def get(marketplace_id):
    """The marketplace with this id, or None when the sandbox does not know it."""
    return MARKETPLACES.get(marketplace_id)
