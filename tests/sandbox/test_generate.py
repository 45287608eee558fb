"""The order generator: deterministic, valid against Amazon's model, money adds up."""

import json
import subprocess
import sys
from decimal import Decimal

import pytest

from amazon_sandbox import marketplaces, validation
from amazon_sandbox.generate import SKUS, generate_orders

ORDERS = generate_orders(400, seed=7)


def _amount(money):
    return Decimal(money["amount"])


@pytest.fixture(scope="module")
def models():
    if not validation.models_available():
        pytest.fail(validation.MISSING_MESSAGE)


def test_orders_validate_against_the_order_schema(models):
    problems = {
        o["orderId"]: validation.errors_for(validation.ORDERS_MODEL, "Order", o) for o in ORDERS
    }

    assert {k: v for k, v in problems.items() if v} == {}


def test_same_seed_same_orders_and_prefix_stability():
    assert generate_orders(50, seed=7) == ORDERS[:50]
    assert generate_orders(50, seed=8) != ORDERS[:50]
    assert len({o["orderId"] for o in ORDERS}) == len(ORDERS)


def test_breakdowns_add_up_exactly_to_totals():
    for order in ORDERS:
        items_total = Decimal(0)
        for item in order["orderItems"]:
            proceeds = item["proceeds"]
            assert sum(_amount(b["subtotal"]) for b in proceeds["breakdowns"]) == _amount(
                proceeds["proceedsTotal"]
            )
            items_total += _amount(proceeds["proceedsTotal"])
        grand = _amount(order["proceeds"]["grandTotal"])
        assert sum(_amount(b["subtotal"]) for b in order["proceeds"]["breakdowns"]) == grand
        assert items_total == grand
        assert all(
            len(b["subtotal"]["amount"].split(".")[1]) == 2 for b in order["proceeds"]["breakdowns"]
        )


def test_vat_is_inside_eu_prices_and_sales_tax_on_top_in_the_us():
    for order in ORDERS:
        market = marketplaces.get(order["salesChannel"]["marketplaceId"])
        for item in order["orderItems"]:
            rows = {b["type"]: b for b in item["proceeds"]["breakdowns"]}
            line = _amount(item["product"]["price"]["unitPrice"]) * item["quantityOrdered"]
            item_tax = sum(
                (
                    _amount(d["value"])
                    for d in rows.get("TAX", {}).get("detailedBreakdowns", [])
                    if d["subtype"] == "ITEM"
                ),
                Decimal(0),
            )
            if market.prices_include_tax:
                assert _amount(rows["ITEM"]["subtotal"]) + item_tax == line
            else:
                assert _amount(rows["ITEM"]["subtotal"]) == line
                assert item_tax > 0


def test_the_mix_is_realistic():
    currencies = {o["proceeds"]["grandTotal"]["currencyCode"] for o in ORDERS}
    channels = {o["fulfillment"]["fulfilledBy"] for o in ORDERS}
    breakdown_types = {b["type"] for o in ORDERS for b in o["proceeds"]["breakdowns"]}
    text = json.dumps(ORDERS, ensure_ascii=False)

    assert {"EUR", "GBP", "PLN", "SEK", "USD"} <= currencies
    assert channels == {"MERCHANT", "AMAZON"}
    assert {"ITEM", "SHIPPING", "GIFT_WRAP", "DISCOUNT", "TAX"} <= breakdown_types
    assert all(
        o["fulfillment"]["fulfillmentStatus"] == "SHIPPED"
        for o in ORDERS
        if o["fulfillment"]["fulfilledBy"] == "AMAZON"
    )
    assert all(
        "packages" not in o and "buyerEmail" not in o.get("buyer", {})
        for o in ORDERS
        if o["fulfillment"]["fulfilledBy"] == "AMAZON"
    )
    assert any(len(o["orderItems"]) >= 3 for o in ORDERS)
    assert any(i["quantityOrdered"] > 1 for o in ORDERS for i in o["orderItems"])
    assert "Łódź" in text and "Größe" in text and "Åsa" in text
    assert all(i["product"]["sellerSku"] in SKUS for o in ORDERS for i in o["orderItems"])


def test_cli_writes_a_seed_file(tmp_path):
    out = tmp_path / "seed.json"

    subprocess.run(  # noqa: S603 - our own module
        [
            sys.executable,
            "-m",
            "amazon_sandbox.generate",
            "--orders",
            "5",
            "--seed",
            "7",
            "--out",
            str(out),
        ],
        check=True,
    )

    seed = json.loads(out.read_text(encoding="utf-8"))
    assert seed["orders"] == ORDERS[:5]
    assert seed["sellerId"]
