"""Amazon Order -> order input: totals to the cent, no database."""

import copy
from decimal import Decimal as D

import pytest

from amazon_sandbox import validation
from saleor_amazon.orders.mapping import MappingError, distribute, map_order

from .payloads import amazon_order, line


def _valid(order):
    assert validation.errors_for(validation.ORDERS_MODEL, "Order", order) == []
    return order


def test_eur_multi_quantity_vat_shipping_gift_wrap_and_promotion():
    order = _valid(
        amazon_order(
            "302-0000001-0000001",
            "DE",
            [
                line("MUG-RED", 3, "19.99", tax="9.58", shipping="4.99", shipping_tax="0.80"),
                line(
                    "TEA-BOX",
                    2,
                    "12.50",
                    tax="3.99",
                    gift_wrap="3.00",
                    gift_wrap_tax="0.48",
                    discount="5.00",
                    discount_tax="0.80",
                    promotion="PROMO-5",
                ),
            ],
        )
    )
    result = map_order(order, prices_include_tax=True)

    mug, tea = result.lines
    # Breakdowns are line totals: 3 x 19.99 = 59.97, never multiplied again.
    assert (mug.quantity, mug.total.gross, mug.total.net) == (3, D("59.97"), D("50.39"))
    assert mug.tax_rate == D("0.1901")
    assert mug.unit(mug.total, 2).gross == D("19.99")
    assert tea.undiscounted_total.gross == D("28.00")
    assert tea.total.gross == D("23.00")
    assert tea.total.tax == D("3.99") + D("0.48") - D("0.80")
    assert tea.promotion_ids == ["PROMO-5"]
    assert result.shipping.gross == D("4.99") and result.shipping.net == D("4.19")
    assert result.total.gross == D("87.96") == result.amazon_total
    assert result.total.gross == sum(line.total.gross for line in result.lines) + D("4.99")
    assert result.prices_include_tax and result.currency == "EUR"


def test_gbp_marketplace_facilitator_vat_is_shown_and_paid_by_the_buyer():
    order = _valid(
        amazon_order(
            "202-0000002-0000002", "UK", [line("CABLE", 2, "24.99", tax="8.33", facilitator=True)]
        )
    )
    # Amazon's proceeds leave out the VAT it remits itself.
    assert order["proceeds"]["grandTotal"]["amount"] == "41.65"
    result = map_order(order, prices_include_tax=True)
    assert result.total.gross == D("49.98") == result.amazon_total
    assert result.facilitator_tax == D("8.33")
    assert result.lines[0].facilitator_tax == D("8.33")
    assert result.lines[0].total.net == D("41.65")


def test_pln_free_shipping_promotion():
    order = _valid(
        amazon_order(
            "405-0000003-0000003",
            "PL",
            [
                line(
                    "KUBEK",
                    4,
                    "33.33",
                    tax="24.93",
                    shipping="15.99",
                    shipping_tax="2.99",
                    shipping_discount="15.99",
                    discount_tax="2.99",
                )
            ],
        )
    )
    result = map_order(order, prices_include_tax=True)
    assert result.undiscounted_shipping.gross == D("15.99")
    assert result.shipping.gross == D("0.00") and result.shipping.net == D("0.00")
    assert result.total.gross == D("133.32") == result.amazon_total
    assert result.lines[0].total.net == D("108.39")


def test_sek_gift_wrap_and_shipping():
    order = _valid(
        amazon_order(
            "403-0000004-0000004",
            "SE",
            [
                line(
                    "LAMPA",
                    5,
                    "99.00",
                    tax="99.00",
                    gift_wrap="25",
                    gift_wrap_tax="5",
                    shipping="49",
                    shipping_tax="9.80",
                )
            ],
        )
    )
    result = map_order(order, prices_include_tax=True)
    (lampa,) = result.lines
    assert lampa.total.gross == D("520.00") and lampa.total.net == D("416.00")
    assert lampa.tax_rate == D("0.2500")
    assert result.shipping.net == D("39.20")
    assert result.total.gross == D("569.00") == result.amazon_total


def test_us_sales_tax_added_on_top():
    order = _valid(
        amazon_order(
            "111-0000005-0000005",
            "US",
            [line("HAT", 2, "39.99", tax="6.60", shipping="5.99", shipping_tax="0.49")],
        )
    )
    result = map_order(order, prices_include_tax=False)
    (hat,) = result.lines
    assert hat.total.net == D("79.98") and hat.total.gross == D("86.58")
    assert result.shipping.gross == D("6.48")
    assert result.total.gross == D("93.06") == result.amazon_total
    assert not result.prices_include_tax


def test_amazons_own_example_uses_the_convention_its_totals_show():
    payload = validation.load(validation.ORDERS_MODEL)["paths"][
        "/orders/2026-01-01/orders/{orderId}"
    ]["get"]["responses"]["200"]["examples"]["application/json"]["order"]
    # UK marketplace, yet ITEM 89.97 + SHIPPING 10.00 + TAX 4.00 = grandTotal 103.97.
    result = map_order(copy.deepcopy(payload), prices_include_tax=True)
    assert not result.breakdowns_include_tax and result.prices_include_tax
    assert result.convention_note
    (item,) = result.lines
    assert item.quantity == 3
    assert item.total.net == D("89.97") and item.total.gross == D("92.97")
    assert result.shipping.gross == D("11.00")
    assert result.total.gross == D("103.97")


def test_order_level_breakdowns_are_split_over_items_exactly():
    order = amazon_order(
        "302-0000006-0000006",
        "DE",
        [
            line("A", 1, "10.00", tax="1.60", shipping="1.00", shipping_tax="0.16"),
            line("B", 1, "10.00", tax="1.60", shipping="1.00", shipping_tax="0.16"),
            line("C", 1, "10.00", tax="1.59", shipping="1.00", shipping_tax="0.15"),
        ],
        order_level_only=True,
    )
    _valid(order)
    result = map_order(order, prices_include_tax=True)
    assert [line.total.gross for line in result.lines] == [D("10.00")] * 3
    assert sum(line.total.tax for line in result.lines) + result.shipping.tax == D("5.26")
    assert result.total.gross == D("33.00") == result.amazon_total


def test_distribute_adds_up_exactly():
    parts = distribute(D("10.00"), [D(1), D(1), D(1)], 2)
    assert sum(parts) == D("10.00")
    assert sorted(parts) == [D("3.33"), D("3.33"), D("3.34")]
    assert sum(distribute(D("-0.05"), [D(3), D(7)], 2)) == D("-0.05")
    # No weights: equal shares, in whole units for a currency without decimals.
    assert sorted(distribute(D("7"), [D(0), D(0)], 0)) == [D(3), D(4)]


def test_buyer_cancellation_request_is_reported():
    order = amazon_order(
        "302-0000007-0000007", "DE", [line("A", 1, "10", tax="1.60", cancel_reason="Changed mind")]
    )
    result = map_order(order, prices_include_tax=True)
    assert result.buyer_cancellation_requested
    assert result.lines[0].cancel_reason == "Changed mind"


@pytest.mark.parametrize(
    ("mutate", "code"),
    [
        (lambda o: o.pop("recipient"), "MISSING_ADDRESS"),
        (lambda o: o["recipient"]["deliveryAddress"].pop("city"), "INVALID_ADDRESS"),
        (lambda o: o["proceeds"]["grandTotal"].update(amount="99.99"), "TOTAL_MISMATCH"),
        (
            lambda o: o["orderItems"][0]["proceeds"]["breakdowns"][0]["subtotal"].update(
                amount="twelve"
            ),
            "INVALID_AMOUNT",
        ),
        (lambda o: o.update(orderItems=[]), "NO_ITEMS"),
        (
            lambda o: o["orderItems"][0]["product"]["price"]["unitPrice"].update(
                currencyCode="USD"
            ),
            "MIXED_CURRENCIES",
        ),
        (lambda o: o["fulfillment"].pop("fulfillmentStatus"), "INVALID_ORDER"),
    ],
)
def test_malformed_orders_raise_a_coded_error(mutate, code):
    order = amazon_order("302-0000008-0000008", "DE", [line("A", 2, "10", tax="3.19")])
    mutate(order)
    with pytest.raises(MappingError) as error:
        map_order(order, prices_include_tax=True)
    assert error.value.code == code
    assert error.value.message


def test_fba_order_without_address_maps():
    order = amazon_order(
        "302-0000009-0000009",
        "DE",
        [line("A", 1, "10", tax="1.60", shipped=1)],
        fulfilled_by="AMAZON",
        status="SHIPPED",
        address=None,
    )
    result = map_order(order, prices_include_tax=True)
    assert result.address is None and result.fulfilled_by == "AMAZON"
    assert result.lines[0].quantity_shipped == 1


def test_every_generated_sandbox_order_maps_to_amazons_total():
    from amazon_sandbox.generate import generate_orders
    from saleor_amazon import regions

    orders = generate_orders(400, seed="mapping")
    for order in orders:
        info = regions.marketplace(order["salesChannel"]["marketplaceId"])
        result = map_order(order, prices_include_tax=info.prices_include_tax)
        assert result.total.gross == D(order["proceeds"]["grandTotal"]["amount"])
        for item, mapped in zip(order["orderItems"], result.lines, strict=True):
            unit = D(item["product"]["price"]["unitPrice"]["amount"])
            shown = mapped.item.gross if info.prices_include_tax else mapped.item.net
            # What the buyer saw per unit, times the quantity, once.
            assert shown == unit * item["quantityOrdered"]
    assert {o["salesChannel"]["marketplaceId"] for o in orders} >= {
        regions.MARKETPLACES_BY_CODE[c].id for c in ("DE", "UK", "PL", "SE", "US")
    }
