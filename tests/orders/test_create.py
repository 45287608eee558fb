"""Stored Amazon orders become native Saleor orders (Saleor's real models, PostgreSQL)."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from saleor.order import OrderChargeStatus, OrderStatus
from saleor.order.models import Order
from saleor.payment.models import TransactionItem
from saleor.warehouse.models import Allocation, Stock

from saleor_amazon.models import (
    AmazonAccount,
    AmazonMarketplace,
    AmazonOffer,
    AmazonOrder,
    ProcessingState,
)
from saleor_amazon.orders.process import create_pending_orders, process_order, process_stored
from saleor_amazon.orders.store import store_order

from .payloads import amazon_order, line


def _import(account, marketplace, payload):
    stored = store_order(account, marketplace, payload)
    outcome = process_stored(stored, marketplace)
    stored.order.refresh_from_db()
    return stored.order, outcome


def _stock(variant):
    stock = Stock.objects.get(product_variant=variant)
    return stock.quantity, stock.quantity_allocated


CASES = {
    "DE": [
        line("MUG", 3, "19.99", tax="9.58", shipping="4.99", shipping_tax="0.80"),
        line(
            "TEA", 2, "12.50", tax="3.99", gift_wrap="3.00", gift_wrap_tax="0.48",
            discount="5.00", discount_tax="0.80", promotion="P-5",
        ),
    ],
    "UK": [
        line("MUG", 2, "24.99", tax="8.33", shipping="3.99", shipping_tax="0.67"),
        line("TEA", 3, "7.33", tax="3.67", discount="2.00", discount_tax="0.33"),
    ],
    "PL": [
        line("MUG", 4, "33.33", tax="24.93", shipping="15.99", shipping_tax="2.99",
             shipping_discount="15.99", discount_tax="2.99"),
        line("TEA", 1, "49.99", tax="9.35", gift_wrap="9.99", gift_wrap_tax="1.87"),
    ],
    "SE": [
        line("MUG", 5, "99.00", tax="99.00", gift_wrap="25", gift_wrap_tax="5",
             shipping="49", shipping_tax="9.80"),
        line("TEA", 2, "149.50", tax="59.80", discount="30", discount_tax="6"),
    ],
    "US": [
        line("MUG", 2, "39.99", tax="6.60", shipping="5.99", shipping_tax="0.49"),
        line("TEA", 3, "9.99", tax="2.47", discount="3.00", discount_tax="0.25"),
    ],
}  # fmt: skip


@pytest.mark.parametrize("market", list(CASES))
def test_saleor_totals_equal_amazons_to_the_cent(
    market, amazon_account, marketplace_for, variant_for
):
    marketplace = marketplace_for(market)
    mug, tea = variant_for("MUG"), variant_for("TEA")
    payload = amazon_order(f"{market}1-0000001-0000001", market, CASES[market])

    amazon, outcome = _import(amazon_account, marketplace, payload)

    assert outcome == "created", amazon.state_reason
    order = Order.objects.get(pk=amazon.saleor_order_id)
    assert order.total_gross_amount == amazon.total
    assert order.total_gross_amount == D(payload["proceeds"]["grandTotal"]["amount"])
    lines = {line.product_sku: line for line in order.lines.all()}
    assert (
        sum(line.total_price_gross_amount for line in lines.values())
        + (order.shipping_price_gross_amount)
        == order.total_gross_amount
    )
    assert (
        order.subtotal_gross_amount + order.shipping_price_gross_amount == order.total_gross_amount
    )
    assert (
        order.total_net_amount
        + sum(
            line.total_price_gross_amount - line.total_price_net_amount for line in lines.values()
        )
        + order.shipping_price_gross_amount
        - order.shipping_price_net_amount
        == order.total_gross_amount
    )
    assert lines["MUG"].quantity == CASES[market][0]["qty"]
    assert lines["MUG"].variant_id == mug.pk and lines["TEA"].variant_id == tea.pk
    assert order.currency == marketplace.currency == order.channel.currency_code
    assert order.channel_id == marketplace.channel_id
    assert order.external_reference == payload["orderId"]
    assert order.metadata["amazon_marketplace"] == market
    assert order.metadata["amazon_fulfillment_channel"] == "MERCHANT"
    assert order.status == OrderStatus.UNFULFILLED
    assert order.charge_status == OrderChargeStatus.FULL
    transaction = TransactionItem.objects.get(order_id=order.pk)
    assert transaction.name == "Amazon" and transaction.charged_value == order.total_gross_amount
    assert order.shipping_address.city == "Kraków" and order.billing_address.postal_code
    assert order.shipping_address.phone == "+48501234567"
    assert order.user is None and order.user_email == payload["buyer"]["buyerEmail"]
    with connection.cursor() as cursor:  # Saleor's order search finds it
        cursor.execute(
            "SELECT search_vector @@ plainto_tsquery('simple', %s), "
            "search_vector @@ plainto_tsquery('simple', %s) FROM order_order WHERE id = %s",
            [payload["orderId"], "MUG", order.pk],
        )
        assert cursor.fetchone() == (True, True)
    # Unshipped quantities are allocated in the marketplace's warehouse.
    assert _stock(mug) == (10, CASES[market][0]["qty"])
    assert amazon.state == ProcessingState.PROCESSED
    assert {i.order_line_id for i in amazon.items.all()} == {line.pk for line in lines.values()}


def test_us_tax_is_added_on_top(amazon_account, marketplace_for, variant_for):
    marketplace = marketplace_for("US")
    variant_for("MUG"), variant_for("TEA")
    payload = amazon_order("111-1-1", "US", CASES["US"])
    amazon, _ = _import(amazon_account, marketplace, payload)
    order = amazon.saleor_order
    mug = order.lines.get(product_sku="MUG")
    assert (mug.total_price_net_amount, mug.total_price_gross_amount) == (D("79.98"), D("86.58"))
    assert order.total_gross_amount == D(payload["proceeds"]["grandTotal"]["amount"])
    assert not order.display_gross_prices


def test_promotion_is_a_line_discount(amazon_account, marketplace_for, variant_for):
    marketplace = marketplace_for("DE")
    variant_for("MUG"), variant_for("TEA")
    amazon, _ = _import(amazon_account, marketplace, amazon_order("302-2-2", "DE", CASES["DE"]))
    tea = amazon.saleor_order.lines.get(product_sku="TEA")
    assert tea.undiscounted_total_price_gross_amount == D("28.00")
    assert tea.total_price_gross_amount == D("23.00")
    assert tea.unit_discount_amount == D("2.50")
    assert "P-5" in tea.unit_discount_reason
    assert tea.discounts.get().amount_value == D("5.00")
    assert tea.metadata["amazon_gift_wrap"] == "3.00"


def test_fba_order_is_created_fulfilled_without_stock_change(
    amazon_account, marketplace_for, variant_for
):
    marketplace = marketplace_for("DE")
    mug = variant_for("MUG")
    unshipped = amazon_order(
        "302-3-3", "DE", [line("MUG", 2, "10", tax="3.19")], fulfilled_by="AMAZON"
    )
    amazon, outcome = _import(amazon_account, marketplace, unshipped)
    assert outcome == "pending" and amazon.saleor_order_id is None

    shipped = amazon_order(
        "302-3-3", "DE", [line("MUG", 2, "10", tax="3.19", shipped=2)],
        fulfilled_by="AMAZON", status="SHIPPED", updated="2026-11-21T08:00:00Z",
    )  # fmt: skip
    amazon, outcome = _import(amazon_account, marketplace, shipped)

    assert outcome == "created"
    order = amazon.saleor_order
    assert order.status == OrderStatus.FULFILLED
    fulfillment = order.fulfillments.get()
    assert [(fl.quantity, fl.stock_id) for fl in fulfillment.lines.all()] == [(2, None)]
    assert _stock(mug) == (10, 0)
    assert not Allocation.objects.filter(order_line__order=order).exists()
    assert order.metadata["amazon_fulfillment_channel"] == "AMAZON"


def test_late_merchant_order_records_what_amazon_shipped(
    amazon_account, marketplace_for, variant_for
):
    marketplace = marketplace_for("DE")
    mug = variant_for("MUG")
    payload = amazon_order(
        "302-4-4", "DE", [line("MUG", 3, "10", tax="4.79", shipped=2)], status="PARTIALLY_SHIPPED"
    )
    amazon, _ = _import(amazon_account, marketplace, payload)
    order = amazon.saleor_order
    assert order.status == OrderStatus.PARTIALLY_FULFILLED
    assert order.fulfillments.get().lines.get().quantity == 2
    # Shipped units left the stock, the remaining one is allocated: nothing counted twice.
    assert _stock(mug) == (8, 1)


def test_pending_then_unshipped(amazon_account, marketplace_for, variant_for):
    marketplace = marketplace_for("DE")
    variant_for("MUG")
    items = [line("MUG", 1, "10", tax="1.60")]
    amazon, outcome = _import(
        amazon_account, marketplace, amazon_order("302-5-5", "DE", items, status="PENDING")
    )
    assert (outcome, amazon.state) == ("pending", ProcessingState.PENDING)
    assert "PENDING" in amazon.state_reason
    amazon, outcome = _import(
        amazon_account,
        marketplace,
        amazon_order("302-5-5", "DE", items, updated="2026-11-20T11:00:00Z"),
    )
    assert outcome == "created" and amazon.saleor_order_id
    assert AmazonOrder.objects.filter(amazon_order_id="302-5-5").count() == 1


def test_cancelled_before_conversion_is_never_converted(
    amazon_account, marketplace_for, variant_for
):
    marketplace = marketplace_for("DE")
    variant_for("MUG")
    payload = amazon_order("302-6-6", "DE", [line("MUG", 1, "10")], status="CANCELLED")
    amazon, outcome = _import(amazon_account, marketplace, payload)
    assert (outcome, amazon.state, amazon.saleor_order_id) == ("skipped", "skipped", None)
    assert create_pending_orders().created == 0


def test_held_order_is_converted_after_linking(amazon_account, marketplace_for, variant_for):
    marketplace = marketplace_for("DE")
    variant_for("MUG")
    other = variant_for("SALEOR-TEA")
    payload = amazon_order(
        "302-7-7", "DE", [line("MUG", 1, "10", tax="1.60"), line("AMZ-TEA", 2, "5", tax="1.60")]
    )
    amazon, outcome = _import(amazon_account, marketplace, payload)
    assert (outcome, amazon.state) == ("held", ProcessingState.NEEDS_LINKING)
    assert "AMZ-TEA" in amazon.state_reason and amazon.saleor_order_id is None
    assert create_pending_orders().held == 1

    AmazonOffer.objects.create(
        account=amazon_account, marketplace=marketplace, seller_sku="AMZ-TEA", variant=other
    )
    summary = create_pending_orders()

    assert summary.created == 1
    amazon.refresh_from_db()
    assert amazon.state == ProcessingState.PROCESSED
    assert amazon.saleor_order.lines.get(product_sku="SALEOR-TEA").quantity == 2
    assert amazon.items.get(seller_sku="AMZ-TEA").variant_id == other.pk


def test_placeholder_policy_uses_the_fallback_variant(amazon_account, marketplace_for, variant_for):
    placeholder = variant_for("AMAZON-PLACEHOLDER", stock=None)
    marketplace = marketplace_for(
        "DE", unmatched_line_policy="placeholder", placeholder_variant=placeholder
    )
    payload = amazon_order("302-8-8", "DE", [line("UNKNOWN", 1, "10", tax="1.60")])
    amazon, outcome = _import(amazon_account, marketplace, payload)
    assert outcome == "created"
    saleor_line = amazon.saleor_order.lines.get()
    assert saleor_line.variant_id == placeholder.pk
    assert saleor_line.metadata["amazon_seller_sku"] == "UNKNOWN"


def test_buyer_cancellation_request_after_conversion_is_flagged(
    amazon_account, marketplace_for, variant_for
):
    marketplace = marketplace_for("DE")
    variant_for("MUG")
    amazon, _ = _import(
        amazon_account, marketplace, amazon_order("302-9-9", "DE", [line("MUG", 1, "10")])
    )
    assert not amazon.needs_attention
    request = amazon_order(
        "302-9-9", "DE", [line("MUG", 1, "10", cancel_reason="Ordered by mistake")],
        updated="2026-11-20T12:00:00Z",
    )  # fmt: skip
    amazon, outcome = _import(amazon_account, marketplace, request)
    assert outcome == "updated"
    assert amazon.buyer_cancellation_requested and amazon.needs_attention
    assert "Ordered by mistake" in amazon.attention_reason
    assert amazon.saleor_order.status == OrderStatus.UNFULFILLED


def test_amazon_cancellation_after_conversion_cancels_the_saleor_order(
    amazon_account, marketplace_for, variant_for, site_settings
):
    marketplace = marketplace_for("DE")
    mug = variant_for("MUG")
    amazon, _ = _import(
        amazon_account, marketplace, amazon_order("302-10-10", "DE", [line("MUG", 2, "10")])
    )
    assert _stock(mug) == (10, 2)
    cancelled = amazon_order(
        "302-10-10", "DE", [line("MUG", 2, "10")], status="CANCELLED",
        updated="2026-11-20T12:00:00Z",
    )  # fmt: skip
    amazon, _ = _import(amazon_account, marketplace, cancelled)
    assert amazon.saleor_order.status == OrderStatus.CANCELED
    assert _stock(mug) == (10, 0)


def test_amazon_cancellation_after_fulfilment_is_flagged(
    amazon_account, marketplace_for, variant_for, site_settings
):
    marketplace = marketplace_for("DE")
    variant_for("MUG")
    payload = amazon_order(
        "302-11-11", "DE", [line("MUG", 2, "10", shipped=1)], status="PARTIALLY_SHIPPED"
    )
    _import(amazon_account, marketplace, payload)
    cancelled = amazon_order(
        "302-11-11", "DE", [line("MUG", 2, "10", shipped=1)], status="CANCELLED",
        updated="2026-11-20T12:00:00Z",
    )  # fmt: skip
    amazon, _ = _import(amazon_account, marketplace, cancelled)
    assert amazon.saleor_order.status == OrderStatus.PARTIALLY_FULFILLED
    assert amazon.needs_attention and "cancelled" in amazon.attention_reason


def test_currency_mismatch_fails_with_reason_then_converts_when_fixed(
    amazon_account, marketplace_for, variant_for, channel_PLN
):
    marketplace = marketplace_for("DE")
    good_channel = marketplace.channel
    marketplace.channel = channel_PLN
    marketplace.save()
    variant_for("MUG")
    amazon, outcome = _import(
        amazon_account, marketplace, amazon_order("302-12-12", "DE", [line("MUG", 1, "10")])
    )
    assert (outcome, amazon.state, amazon.error_code) == ("failed", "failed", "CURRENCY_MISMATCH")
    assert "PLN" in amazon.state_reason and amazon.next_retry_at and amazon.attempts == 1
    assert amazon.payload["orderId"] == "302-12-12"

    marketplace.channel = good_channel
    marketplace.save()
    assert create_pending_orders().created == 0  # not due yet
    assert create_pending_orders(ids=[amazon.pk]).created == 1


def test_malformed_order_is_stored_with_its_reason(amazon_account, marketplace_for):
    marketplace = marketplace_for("DE")
    payload = amazon_order("302-13-13", "DE", [line("MUG", 1, "10")])
    payload["orderItems"][0]["proceeds"]["breakdowns"][0]["subtotal"]["amount"] = "ten"
    amazon, outcome = _import(amazon_account, marketplace, payload)
    assert (outcome, amazon.error_code) == ("failed", "INVALID_AMOUNT")
    assert "ten" in amazon.state_reason
    assert amazon.raw and amazon.items.get().seller_sku == "MUG"


def test_storing_the_same_order_twice_keeps_one_of_each(
    amazon_account, marketplace_for, variant_for
):
    marketplace = marketplace_for("DE")
    variant_for("MUG")
    payload = amazon_order("302-14-14", "DE", [line("MUG", 1, "10")])
    _, first = _import(amazon_account, marketplace, payload)
    _, second = _import(amazon_account, marketplace, payload)
    assert (first, second) == ("created", "unchanged")
    assert AmazonOrder.objects.count() == 1
    assert Order.objects.filter(external_reference="302-14-14").count() == 1


def test_buyer_data_is_encrypted_and_masked(amazon_account, marketplace_for):
    marketplace = marketplace_for("DE")
    payload = amazon_order("302-15-15", "DE", [line("MUG", 1, "10")], status="PENDING")
    amazon, _ = _import(amazon_account, marketplace, payload)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT buyer_email, buyer_name, shipping_address, raw FROM "
            "saleor_amazon_amazonorder WHERE id = %s",
            [amazon.pk],
        )
        row = cursor.fetchone()
    assert all(value.startswith("fernet:") for value in row)
    assert "abc123" not in "".join(row) and "Kowalska" not in "".join(row)
    assert amazon.buyer_email == payload["buyer"]["buyerEmail"]
    assert "abc123@marketplace" not in repr(amazon)


@pytest.mark.parametrize("policy", ["attach", "create"])
def test_customer_policy(policy, amazon_account, marketplace_for, variant_for, customer_user):
    marketplace = marketplace_for("DE", customer_policy=policy)
    variant_for("MUG")
    known = amazon_order("302-16-1", "DE", [line("MUG", 1, "10")], buyer_email=customer_user.email)
    amazon, _ = _import(amazon_account, marketplace, known)
    assert amazon.saleor_order.user_id == customer_user.pk
    unknown = amazon_order("302-16-2", "DE", [line("MUG", 1, "10")], buyer_email="new@relay.test")
    amazon, _ = _import(amazon_account, marketplace, unknown)
    user = amazon.saleor_order.user
    assert (user.email if user else None) == ("new@relay.test" if policy == "create" else None)


def test_queries_per_order_do_not_grow_with_lines(amazon_account, marketplace_for, variant_for):
    marketplace = marketplace_for("DE")
    skus = [f"SKU-{n}" for n in range(5)]
    for sku in skus:
        variant_for(sku)
    counts = []
    for number, size in enumerate((1, 5)):
        payload = amazon_order(
            f"302-17-{number}", "DE", [line(sku, 2, "10", tax="3.19") for sku in skus[:size]]
        )
        stored = store_order(amazon_account, marketplace, payload)
        with CaptureQueriesContext(connection) as queries:
            process_order(stored.order, stored.order_input, stored.error, marketplace=marketplace)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_orders_survive_account_removal_and_reattach_on_reconnect(
    amazon_account, marketplace_for, variant_for
):
    marketplace = marketplace_for("DE")
    variant_for("MUG")
    payload = amazon_order("302-18-18", "DE", [line("MUG", 1, "10")])
    amazon, _ = _import(amazon_account, marketplace, payload)
    saleor_order_id = amazon.saleor_order_id
    seller_id, region = amazon_account.seller_id, amazon_account.region
    amazon_account.delete()
    amazon.refresh_from_db()
    assert amazon.account_id is None and amazon.saleor_order_id == saleor_order_id

    again = AmazonAccount.objects.create(seller_id=seller_id, region=region, name="Again")
    new_marketplace = AmazonMarketplace.objects.create(
        account=again, marketplace_id=marketplace.marketplace_id, country="DE", currency="EUR",
        channel=marketplace.channel, default_warehouse=marketplace.default_warehouse,
        is_active=True,
    )  # fmt: skip
    amazon2, outcome = _import(again, new_marketplace, payload)
    assert amazon2.pk == amazon.pk and amazon2.account_id == again.pk
    assert outcome == "unchanged"
    assert Order.objects.filter(external_reference="302-18-18").count() == 1


def test_buyer_data_is_purged_after_the_retention_period(
    amazon_account, marketplace_for, variant_for
):
    from datetime import timedelta

    from saleor_amazon.orders.privacy import purge_buyer_data

    marketplace = marketplace_for("DE")
    variant_for("MUG")
    shipped = amazon_order("302-19-19", "DE", [line("MUG", 1, "10", shipped=1)], status="SHIPPED")
    waiting = amazon_order("302-19-20", "DE", [line("NOT-LINKED", 1, "10")])
    converted, _ = _import(amazon_account, marketplace, shipped)
    held, _ = _import(amazon_account, marketplace, waiting)
    assert converted.retention_from and held.retention_from is None
    assert purge_buyer_data() == 0

    later = converted.retention_from + timedelta(days=30, seconds=1)
    assert purge_buyer_data(now=later) == 1
    converted.refresh_from_db()
    assert (converted.buyer_email, converted.buyer_name, converted.raw) == ("", "", "")
    assert converted.shipping_address == "" and converted.pii_purged_at == later
    assert converted.saleor_order.external_reference == "302-19-19"
    held.refresh_from_db()
    assert held.raw and held.buyer_email
