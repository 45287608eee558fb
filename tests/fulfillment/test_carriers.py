"""Amazon carrier codes from Saleor shipping methods and tracking URLs."""

import pytest

from saleor_amazon import conf
from saleor_amazon.fulfillment.carriers import Carrier, carrier_for, tracking_number


@pytest.mark.parametrize(
    ("method", "tracking", "expected"),
    [
        ("DHL Paket", "", "DHL"),
        ("Deutsche Post Warensendung", "", "Deutsche Post"),
        ("DPD Classic", "", "DPD"),
        ("UPS Standard", "", "UPS"),
        ("GLS Business Parcel", "", "GLS"),
        ("Hermes Päckchen", "", "Hermes"),
        ("Royal Mail Tracked 48", "", "Royal Mail"),
        ("InPost Paczkomat 24/7", "", "InPost"),
        ("PostNL Standaard", "", "PostNL"),
        ("Colissimo Domicile", "", "Colissimo"),
        ("Standard", "https://www.dhl.de/de/privatkunden.html?piececode=1234", "DHL"),
        ("Standard", "https://tracking.dpd.de/status/de_DE/parcel/01234567890123", "DPD"),
        ("Standard", "https://www.ups.com/track?tracknum=1Z999AA10123456784", "UPS"),
        ("Standard", "https://inpost.pl/sledzenie-przesylek?number=6200", "InPost"),
    ],
)
def test_builtin_table(method, tracking, expected):
    assert carrier_for(method, tracking) == Carrier(expected)


def test_short_names_match_whole_words_only():
    assert carrier_for("Groups delivery") == Carrier("Other", "Groups delivery")


def test_unknown_carriers_fall_back_to_other_with_the_name():
    assert carrier_for("Spedition Nord") == Carrier("Other", "Spedition Nord")
    assert carrier_for("") == Carrier("Other", "Unknown carrier")


def test_configured_rules_come_first():
    rules = conf.parse_carrier_mapping("Express = UPS\nkurier.example = Other | Kurier X")
    assert carrier_for("DHL Express", "", rules) == Carrier("UPS")
    assert carrier_for("Std", "https://kurier.example/t/55", rules) == Carrier("Other", "Kurier X")


def test_bad_rules_are_configuration_errors():
    with pytest.raises(conf.ConfigurationError, match="line 1"):
        conf.parse_carrier_mapping("no equals sign")
    with pytest.raises(conf.ConfigurationError, match="carrier name"):
        conf.parse_carrier_mapping("Spedition = Other")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("00340434161094042557", "00340434161094042557"),
        ("https://www.dhl.de/de/privatkunden.html?piececode=0034043", "0034043"),
        ("https://www.ups.com/track?loc=en_US&tracknum=1Z999", "1Z999"),
        ("https://tracking.dpd.de/status/de_DE/parcel/01234567890123", "01234567890123"),
    ],
)
def test_tracking_numbers_from_urls(value, expected):
    assert tracking_number(value) == expected
