"""Amazon's Data Protection Policy on the Saleor side: after the retention period the
buyer's personal data leaves the Saleor order (and a customer the plugin created), while
the order itself (lines, totals, payment, fulfilment, invoice) stays as it was."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from saleor.account.models import Address, CustomerEvent, User
from saleor.core.search import prefix_search
from saleor.invoice.models import Invoice
from saleor.order import OrderEvents
from saleor.order.models import Order, OrderEvent
from saleor.payment.models import TransactionItem
from saleor.plugins.models import PluginConfiguration

from saleor_amazon import conf
from saleor_amazon.models import AmazonOrder
from saleor_amazon.orders import privacy
from saleor_amazon.orders.process import process_stored
from saleor_amazon.orders.store import store_order
from saleor_amazon.tasks.orders import purge_buyer_data_task

from .payloads import ADDRESS, amazon_order, line

DELIVER_BY = datetime(2026, 11, 25, tzinfo=UTC)
DUE = DELIVER_BY + timedelta(days=30, seconds=1)  # the default retention has passed
NOT_YET = DELIVER_BY + timedelta(days=29, hours=23)

EMAIL = "abc123@marketplace.amazon.pl"
# Everything of the buyer's that reached the Saleor order, as stored in the database.
PERSONAL = [
    "Anna", "Kowalska", "Kowalska Design", EMAIL, "abc123", "Długa", "m. 12", "Kraków",
    "+48501234567", "501234567",
]  # fmt: skip


def _shipped(order_id, email=EMAIL, deliver_by=DELIVER_BY, **options):
    payload = amazon_order(
        order_id,
        "DE",
        [
            line("MUG", 2, "19.99", tax="6.38", shipping="4.99", shipping_tax="0.80", shipped=2),
            line("TEA", 1, "12.50", tax="2.00", discount="2.50", discount_tax="0.40", shipped=1),
        ],
        status="SHIPPED",
        buyer_email=email,
        address={**ADDRESS, "companyName": "Kowalska Design"},
        **options,
    )
    payload["buyer"]["buyerCompanyName"] = "Kowalska Design"
    payload["fulfillment"]["deliverByWindow"] = {
        "earliestDateTime": (deliver_by - timedelta(days=3)).isoformat(),
        "latestDateTime": deliver_by.isoformat(),
    }
    return payload


def _import(account, marketplace, payload):
    stored = store_order(account, marketplace, payload)
    outcome = process_stored(stored, marketplace)
    assert outcome == "created", stored.order.state_reason
    stored.order.refresh_from_db()
    return stored.order


@pytest.fixture
def shop(amazon_account, marketplace_for, variant_for):
    """``shop(**marketplace_options)``: the DE marketplace with MUG and TEA variants."""

    def make(**options):
        marketplace = marketplace_for("DE", **options)
        variant_for("MUG")
        variant_for("TEA")
        return marketplace

    return make


def _configure(**values):
    PluginConfiguration.objects.update_or_create(
        identifier=conf.PLUGIN_ID,
        channel=None,
        defaults={
            "name": "Amazon",
            "active": True,
            "configuration": [{"name": k, "value": v} for k, v in values.items()],
        },
    )


def _row(table, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])  # noqa: S608 - test
        return str(cursor.fetchone())


def _search_vector(order):
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM order_order WHERE id = %s", [order.pk])
        return cursor.fetchone()[0] or ""


def _found(term):
    return set(prefix_search(Order.objects.all(), term).values_list("pk", flat=True))


def _personal_data(order):
    """What of the buyer's data the order's rows (order, addresses, events) still hold."""
    order.refresh_from_db()
    rows = _row("order_order", order.pk) + _search_vector(order)
    rows += _row("account_address", order.billing_address_id)
    rows += _row("account_address", order.shipping_address_id)
    rows += str(list(OrderEvent.objects.filter(order=order).values_list("parameters", flat=True)))
    return [term for term in PERSONAL if term in rows or term.lower() in rows.lower()]


def _business_data(order):
    """Everything of the order that must survive anonymisation."""
    order = Order.objects.get(pk=order.pk)
    fields = [
        "status", "charge_status", "authorize_status", "currency", "channel_id", "number",
        "external_reference", "total_gross_amount", "total_net_amount", "subtotal_gross_amount",
        "subtotal_net_amount", "shipping_price_gross_amount", "shipping_price_net_amount",
        "undiscounted_total_gross_amount", "undiscounted_total_net_amount",
        "total_charged_amount", "shipping_method_name", "metadata", "created_at", "user_id",
    ]  # fmt: skip
    return {
        "order": {name: getattr(order, name) for name in fields},
        "lines": list(
            order.lines.order_by("product_sku").values_list(
                "product_sku",
                "quantity",
                "quantity_fulfilled",
                "unit_price_gross_amount",
                "unit_price_net_amount",
                "total_price_gross_amount",
                "total_price_net_amount",
                "undiscounted_total_price_gross_amount",
                "tax_rate",
                "variant_id",
            )
        ),
        "transactions": list(
            TransactionItem.objects.filter(order_id=order.pk).values_list(
                "name", "psp_reference", "charged_value", "currency"
            )
        ),
        "fulfillments": list(order.fulfillments.values_list("status", "lines__quantity")),
        "invoices": list(order.invoices.values_list("number", flat=True)),
        "countries": (order.billing_address.country.code, order.shipping_address.country.code),
        "postal_codes": (order.billing_address.postal_code, order.shipping_address.postal_code),
    }


def test_saleor_order_is_anonymized_after_the_retention_period(amazon_account, shop):
    marketplace = shop()
    amazon = _import(amazon_account, marketplace, _shipped("302-60-1"))
    order = amazon.saleor_order
    assert set(_personal_data(order)) == set(PERSONAL)  # what is at stake
    assert order.customer_note == "Company: Kowalska Design"
    assert order.pk in _found("Kowalska") and order.pk in _found(EMAIL)
    before = _business_data(order)
    assert before["order"]["total_gross_amount"] == D(amazon.total)
    assert before["fulfillments"] and before["transactions"]

    counts = privacy.run(now=DUE)

    assert counts["orders_anonymized"] == 1 and counts["purged"] == 1
    assert _personal_data(order) == []
    assert order.user_email.startswith("anonymized-") and order.user_email.endswith(".invalid")
    assert order.customer_note == "" and order.search_document == ""
    for address in (order.billing_address, order.shipping_address):
        assert (address.country.code, address.postal_code) == ("PL", "31-147")
        assert address.first_name == "Anonymized"
        assert (address.last_name, address.company_name, address.street_address_1) == ("", "", "")
        assert (address.street_address_2, address.city, str(address.phone)) == ("", "", "")
    assert _business_data(order) == before
    # Saleor's order search no longer finds the buyer, and still finds the order.
    for term in ("Kowalska", "Anna Kowalska", EMAIL, "abc123", "Długa", "Kraków"):
        assert order.pk not in _found(term), term
    assert order.pk in _found(str(order.number)) and order.pk in _found("302-60-1")
    note = OrderEvent.objects.get(order=order, type=OrderEvents.EXTERNAL_SERVICE_NOTIFICATION,
                                  parameters__message__icontains="anonymised")  # fmt: skip
    assert "30 days" in note.parameters["message"]
    amazon.refresh_from_db()
    assert amazon.saleor_order_anonymized_at == DUE
    assert (amazon.buyer_email, amazon.raw, amazon.pii_purged_at) == ("", "", DUE)


def test_nothing_changes_before_the_retention_period_and_a_second_run_changes_nothing(
    amazon_account, shop
):
    marketplace = shop()
    amazon = _import(amazon_account, marketplace, _shipped("302-61-1"))
    order = amazon.saleor_order
    untouched = _row("order_order", order.pk), _personal_data(order)

    assert privacy.run(now=NOT_YET) == {
        "purged": 0,
        "orders_anonymized": 0,
        "customers_anonymized": 0,
    }
    assert (_row("order_order", order.pk), _personal_data(order)) == untouched
    amazon.refresh_from_db()
    assert amazon.saleor_order_anonymized_at is None and amazon.buyer_email == EMAIL

    assert privacy.run(now=DUE)["orders_anonymized"] == 1
    once = _row("order_order", order.pk), _row("account_address", order.shipping_address_id)
    events = OrderEvent.objects.filter(order=order).count()

    later = DUE + timedelta(days=1)
    assert privacy.run(now=later) == {
        "purged": 0,
        "orders_anonymized": 0,
        "customers_anonymized": 0,
    }
    assert (
        _row("order_order", order.pk),
        _row("account_address", order.shipping_address_id),
    ) == once
    assert OrderEvent.objects.filter(order=order).count() == events
    amazon.refresh_from_db()
    assert amazon.saleor_order_anonymized_at == DUE


def test_events_with_the_buyers_email_are_anonymized(amazon_account, shop):
    marketplace = shop()
    order = _import(amazon_account, marketplace, _shipped("302-62-1")).saleor_order
    OrderEvent.objects.create(
        order=order, type=OrderEvents.EMAIL_SENT,
        parameters={"email": EMAIL, "email_type": "order_confirmation"},
    )  # fmt: skip
    staff_note = OrderEvent.objects.create(
        order=order, type=OrderEvents.NOTE_ADDED, parameters={"message": "Packed twice"}
    )
    privacy.run(now=DUE)
    assert _personal_data(order) == []
    sent = OrderEvent.objects.get(order=order, type=OrderEvents.EMAIL_SENT)
    assert sent.parameters == {"email": order.user_email, "email_type": "order_confirmation"}
    staff_note.refresh_from_db()
    assert staff_note.parameters == {"message": "Packed twice"}


@pytest.mark.parametrize("keep", [True, False])
def test_invoiced_order_keeps_its_billing_data_only_if_configured(keep, amazon_account, shop):
    _configure(**{conf.KEEP_INVOICE_DATA: keep})
    marketplace = shop()
    invoiced = _import(amazon_account, marketplace, _shipped("302-63-1")).saleor_order
    plain = _import(amazon_account, marketplace, _shipped("302-63-2")).saleor_order
    Invoice.objects.create(order=invoiced, number="FV/2026/11/1")
    billing_before = Address.objects.get(pk=invoiced.billing_address_id).as_data()
    before = _business_data(invoiced)

    assert privacy.run(now=DUE)["orders_anonymized"] == 2

    assert _personal_data(plain) == []
    invoiced.refresh_from_db()
    billing = Address.objects.get(pk=invoiced.billing_address_id)
    shipping = Address.objects.get(pk=invoiced.shipping_address_id)
    assert shipping.first_name == "Anonymized" and shipping.street_address_1 == ""
    assert invoiced.user_email.startswith("anonymized-") and invoiced.customer_note == ""
    assert _business_data(invoiced) == before
    assert list(invoiced.invoices.values_list("number", flat=True)) == ["FV/2026/11/1"]
    if keep:  # name and address as on the invoice; not the phone, not searchable
        assert {**billing.as_data(), "phone": None} == {**billing_before, "phone": None}
        assert str(billing.phone) == ""
        assert (billing.first_name, billing.last_name) == ("Anna", "Kowalska")
        assert billing.street_address_1 == "ul. Długa 5" and billing.city == "Kraków"
        assert "kowalska" not in _search_vector(invoiced).lower()
        assert invoiced.pk not in _found("Kowalska")
        note = OrderEvent.objects.filter(order=invoiced).last().parameters["message"]
        assert "anonymised" in note and "invoice" in note
    else:
        assert _personal_data(invoiced) == []
        assert billing.first_name == "Anonymized" and billing.postal_code == "31-147"


def test_created_customer_is_anonymized_once_all_its_orders_are(amazon_account, shop, address_usa):
    marketplace = shop(customer_policy="create")
    first = _import(amazon_account, marketplace, _shipped("302-64-1"))
    later_delivery = DELIVER_BY + timedelta(days=10)
    second = _import(amazon_account, marketplace, _shipped("302-64-2", deliver_by=later_delivery))
    user = first.saleor_order.user
    assert user and second.saleor_order.user_id == user.pk
    assert user.metadata == {"amazon": "created from an Amazon order"}
    user.addresses.add(address_usa)
    user.default_shipping_address = address_usa
    user.note = "Prefers parcel lockers"
    user.save()

    counts = privacy.run(now=DUE)  # the first order only
    assert counts["orders_anonymized"] == 1 and counts["customers_anonymized"] == 0
    user.refresh_from_db()
    assert user.email == EMAIL and user.is_active and user.addresses.count() == 1
    assert _personal_data(first.saleor_order) == []
    assert "kowalska" not in _search_vector(first.saleor_order).lower()

    counts = privacy.run(now=DUE + timedelta(days=10))
    assert counts["orders_anonymized"] == 1 and counts["customers_anonymized"] == 1
    user.refresh_from_db()
    assert user.email.startswith("anonymized-") and user.email.endswith(".invalid")
    assert (user.first_name, user.last_name, user.note) == ("", "", None)
    assert not user.is_active and not user.has_usable_password()
    assert user.addresses.count() == 0 and user.default_shipping_address_id is None
    assert not Address.objects.filter(pk=address_usa.pk).exists()
    assert "kowalska" not in str(user.search_vector or "").lower()
    assert User.objects.filter(email__iexact=EMAIL).count() == 0
    # The orders keep their (anonymised) customer.
    assert second.saleor_order.user_id == user.pk and first.saleor_order.user_id == user.pk
    assert privacy.run(now=DUE + timedelta(days=11))["customers_anonymized"] == 0


def test_created_customer_with_an_order_outside_amazon_is_kept(amazon_account, shop, order):
    marketplace = shop(customer_policy="create")
    amazon = _import(amazon_account, marketplace, _shipped("302-65-1"))
    user = amazon.saleor_order.user
    order.user = user  # a web shop order of the same customer
    order.save(update_fields=["user"])
    privacy.run(now=DUE)
    user.refresh_from_db()
    assert user.email == EMAIL and user.is_active


def test_existing_customer_attached_to_an_amazon_order_is_never_touched(
    amazon_account, shop, customer_user
):
    marketplace = shop(customer_policy="attach")
    amazon = _import(amazon_account, marketplace, _shipped("302-66-1", email=customer_user.email))
    order = amazon.saleor_order
    assert order.user_id == customer_user.pk
    # Even if the order's address row were shared with the customer's address book.
    customer_user.addresses.add(order.shipping_address)
    CustomerEvent.objects.create(
        user=customer_user, type="note_added", parameters={"message": "VIP"}
    )
    user_before = _row("account_user", customer_user.pk)
    addresses_before = [a.as_data() for a in customer_user.addresses.order_by("pk")]

    counts = privacy.run(now=DUE)

    assert counts["orders_anonymized"] == 1 and counts["customers_anonymized"] == 0
    assert _row("account_user", customer_user.pk) == user_before
    assert [a.as_data() for a in customer_user.addresses.order_by("pk")] == addresses_before
    assert CustomerEvent.objects.get(user=customer_user).parameters == {"message": "VIP"}
    order.refresh_from_db()
    assert order.user_id == customer_user.pk
    assert order.shipping_address.first_name == "Anonymized"
    assert not customer_user.addresses.filter(pk=order.shipping_address_id).exists()
    assert _personal_data(order) == []


def test_replacement_order_of_an_amazon_order_is_anonymized_too(amazon_account, shop):
    marketplace = shop()
    original = _import(amazon_account, marketplace, _shipped("302-67-1")).saleor_order
    replacement = Order.objects.create(
        channel=original.channel, currency=original.currency, origin="reissue",
        original=original, user_email=original.user_email,
        billing_address=original.billing_address.get_copy(),
        shipping_address=original.shipping_address.get_copy(), lines_count=0,
    )  # fmt: skip
    privacy.run(now=DUE)
    assert _personal_data(replacement) == []


@pytest.mark.parametrize(
    ("days", "anonymized_after", "kept_after"), [("10", 11, 9), ("60", 61, 59)]
)
def test_retention_period_is_configurable(days, anonymized_after, kept_after, amazon_account, shop):
    _configure(**{conf.BUYER_DATA_DAYS: days})
    marketplace = shop()
    amazon = _import(amazon_account, marketplace, _shipped("302-68-1"))

    assert privacy.run(now=DELIVER_BY + timedelta(days=kept_after)) == {
        "purged": 0, "orders_anonymized": 0, "customers_anonymized": 0,
    }  # fmt: skip
    amazon.refresh_from_db()
    assert amazon.buyer_email == EMAIL and amazon.saleor_order_anonymized_at is None

    counts = privacy.run(now=DELIVER_BY + timedelta(days=anonymized_after))
    assert counts == {"purged": 1, "orders_anonymized": 1, "customers_anonymized": 0}
    assert _personal_data(amazon.saleor_order) == []
    note = OrderEvent.objects.filter(order=amazon.saleor_order).last()
    assert f"{days} days" in note.parameters["message"]


def test_the_purge_task_anonymizes_due_orders_in_batches(amazon_account, shop, monkeypatch):
    marketplace = shop()
    orders = [_import(amazon_account, marketplace, _shipped(f"302-69-{n}")) for n in range(5)]
    waiting = _import(
        amazon_account,
        marketplace,
        _shipped("302-69-9", deliver_by=datetime.now(UTC).replace(microsecond=0)),
    )
    AmazonOrder.objects.filter(pk__in=[o.pk for o in orders]).update(
        retention_from=datetime.now(UTC) - timedelta(days=31)
    )
    monkeypatch.setattr(privacy, "BATCH_SIZE", 2)

    result = purge_buyer_data_task()

    assert result == {"purged": 5, "orders_anonymized": 5, "customers_anonymized": 0}
    for amazon in orders:
        assert _personal_data(amazon.saleor_order) == []
    assert _personal_data(waiting.saleor_order) != []


def test_retention_settings_are_parsed_and_shown_in_the_dashboard():
    from saleor_amazon.plugin import AmazonPlugin

    defaults = conf.from_items([])
    assert (defaults.buyer_data_days, defaults.keep_invoice_data) == (30, True)
    config = conf.from_items(
        [
            {"name": conf.BUYER_DATA_DAYS, "value": "7"},
            {"name": conf.KEEP_INVOICE_DATA, "value": False},
        ]
    )
    assert (config.buyer_data_days, config.keep_invoice_data) == (7, False)
    with pytest.raises(conf.ConfigurationError):
        conf.from_items([{"name": conf.BUYER_DATA_DAYS, "value": "-1"}])
    with pytest.raises(conf.ConfigurationError):
        conf.from_items([{"name": conf.BUYER_DATA_DAYS, "value": "thirty"}])
    for name in (conf.BUYER_DATA_DAYS, conf.KEEP_INVOICE_DATA):
        assert AmazonPlugin.CONFIG_STRUCTURE[name]["help_text"]
        assert name in {item["name"] for item in conf.DEFAULT_CONFIGURATION}


def test_buyer_data_amazon_sends_again_after_the_purge_is_purged_again(amazon_account, shop):
    marketplace = shop()
    payload = _shipped("302-70-1")
    amazon = _import(amazon_account, marketplace, payload)
    assert privacy.run(now=DUE)["purged"] == 1

    payload["lastUpdatedTime"] = "2026-12-30T10:00:00Z"  # e.g. a late refund
    stored = store_order(amazon_account, marketplace, payload)
    assert process_stored(stored, marketplace) == "updated"
    amazon.refresh_from_db()
    assert amazon.buyer_email == EMAIL and amazon.pii_purged_at is None

    later = DUE + timedelta(days=6)
    assert privacy.run(now=later) == {
        "purged": 1,
        "orders_anonymized": 0,
        "customers_anonymized": 0,
    }
    amazon.refresh_from_db()
    assert (amazon.buyer_email, amazon.raw, amazon.pii_purged_at) == ("", "", later)
    assert _personal_data(amazon.saleor_order) == []


ORDERS_QUERY = """
query ($search: String) {
  orders(first: 5, search: $search) {
    edges { node {
      number status userEmail externalReference
      billingAddress { firstName lastName streetAddress1 city postalCode country { code } }
      shippingAddress { firstName lastName streetAddress1 city postalCode country { code } }
      total { gross { amount } net { amount } }
      lines { productSku quantity }
      transactions { chargedAmount { amount } }
      fulfillments { status }
      events { type message }
    } }
  }
}
"""


def test_anonymized_order_works_in_saleors_api(
    amazon_account, shop, staff_api_client, permission_group_manage_orders
):
    from saleor.graphql.tests.utils import get_graphql_content

    permission_group_manage_orders.user_set.add(staff_api_client.user)
    marketplace = shop()
    order = _import(amazon_account, marketplace, _shipped("302-71-1")).saleor_order

    def search(term):
        response = staff_api_client.post_graphql(ORDERS_QUERY, {"search": term})
        return [edge["node"] for edge in get_graphql_content(response)["data"]["orders"]["edges"]]

    (before,) = search("Kowalska")
    privacy.run(now=DUE)

    assert search("Kowalska") == [] and search(EMAIL) == []
    (after,) = search("302-71-1")
    assert after == search(str(order.number))[0]
    assert after["userEmail"].startswith("anonymized-")
    assert after["shippingAddress"] == {
        "firstName": "Anonymized", "lastName": "", "streetAddress1": "", "city": "",
        "postalCode": "31-147", "country": {"code": "PL"},
    }  # fmt: skip
    for key in ("number", "status", "externalReference", "total", "lines", "transactions"):
        assert after[key] == before[key], key
    assert after["fulfillments"] == before["fulfillments"]
    assert any("anonymised" in (event["message"] or "") for event in after["events"])
