"""Buyer data kept no longer than Amazon's Data Protection Policy allows.

Amazon allows personal data to be kept up to 30 days after the order's delivery, longer
only where a law requires it (and then only for that purpose). ``retention_from`` is set
when an order ships (its latest delivery date) or is cancelled; the configured number of
days after it (``Keep Amazon buyer data (days after delivery)``, default 30):

- the plugin's own copies (buyer name and e-mail, address, raw payload) are erased;
  orders still waiting for conversion keep their payload: it is what a retry converts;
- the Saleor order made from the Amazon order (and a replacement order made from that)
  is anonymised: e-mail (also in its events), names, company, street, city, phone,
  customer note and Saleor's search index of them. Country, region and postal code stay
  (tax reporting by destination); lines, totals, taxes, transactions, fulfilments and
  invoices are not touched. Tax-law exception (setting ``Keep the billing data of invoiced
  Amazon orders``, default on): an order with a Saleor invoice keeps its billing address
  (name and address as on the invoice; not the phone), out of the search index;
- a customer the plugin created (customer policy "create") is anonymised and deactivated
  once every order of theirs is anonymised. Customers that existed before are never
  touched, nor their address book.

Orders are handled in batches, each in its own transaction, idempotently: an anonymised
order is recorded (``AmazonOrder.saleor_order_anonymized_at``, a key in the Saleor order's
private metadata and an order event) and never handled again.
"""

from collections import Counter
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.crypto import get_random_string
from saleor.account.models import Address, CustomerEvent, User
from saleor.account.search import update_user_search_vector
from saleor.core.postgres import FlatConcatSearchVector
from saleor.invoice.models import Invoice, InvoiceEvent
from saleor.order import OrderEvents
from saleor.order.models import Order, OrderEvent
from saleor.order.search import prepare_order_search_vector_value

from .. import conf
from ..models import TAB_PROCESSED, AmazonOrder
from .customers import CREATED_MARK

BATCH_SIZE = 200
# Private metadata key of anonymised Saleor orders and customers (the time, ISO 8601).
ANONYMIZED_KEY = "amazon_buyer_data_anonymized_at"
ANONYMIZED_NAME = "Anonymized"
ANONYMIZED_DOMAIN = "anonymized.invalid"  # RFC 2606: can never receive mail
# An anonymised address keeps its country, region (country_area) and postal code: enough
# for tax by destination (EU OSS by country, US/CA/IN state or province, the postal codes
# of territories outside the VAT area such as the Canary Islands, Heligoland, Büsingen,
# Livigno, Mount Athos, Åland, Northern Ireland's own rules, US ZIP jurisdictions), not
# enough to find the buyer.
ANONYMOUS_ADDRESS = {
    "first_name": ANONYMIZED_NAME,
    "last_name": "",
    "company_name": "",
    "street_address_1": "",
    "street_address_2": "",
    "city": "",
    "city_area": "",
    "phone": "",
    "metadata": {},
    "private_metadata": {},
}
ORDER_SEARCH_PREFETCH = ("lines", "payments", "discounts", "payment_transactions__events")


def _cutoff(now, days):
    return now - timedelta(days=days)


def _settings(days, keep_invoice_data):
    if days is None or keep_invoice_data is None:
        config = conf.load()
        days = config.buyer_data_days if days is None else days
        keep = config.keep_invoice_data if keep_invoice_data is None else keep_invoice_data
        return days, keep
    return days, keep_invoice_data


def purge_buyer_data(now=None, days: int | None = None) -> int:
    """Erase buyer data of converted or skipped orders past their retention; the count."""
    now = now or timezone.now()
    days, _ = _settings(days, False)
    due = AmazonOrder.objects.filter(
        retention_from__lte=_cutoff(now, days),
        pii_purged_at__isnull=True,
        state__in=TAB_PROCESSED,
    )
    return due.update(buyer_name="", buyer_email="", shipping_address="", raw="", pii_purged_at=now)


def anonymize_saleor_orders(
    now=None, days: int | None = None, keep_invoice_data: bool | None = None, batch_size=None
) -> int:
    """Anonymise the Saleor orders of Amazon orders past their retention; the count."""
    now = now or timezone.now()
    days, keep_invoice_data = _settings(days, keep_invoice_data)
    due = AmazonOrder.objects.filter(
        retention_from__lte=_cutoff(now, days),
        saleor_order_anonymized_at__isnull=True,
        saleor_order__isnull=False,
    ).order_by("retention_from", "pk")
    count = 0
    while True:
        with transaction.atomic():
            batch = list(
                due.select_for_update(skip_locked=True).values_list("pk", "saleor_order_id")[
                    : batch_size or BATCH_SIZE
                ]
            )
            if not batch:
                return count
            _anonymize_orders([order_id for _, order_id in batch], keep_invoice_data, days, now)
            AmazonOrder.objects.filter(pk__in=[pk for pk, _ in batch]).update(
                saleor_order_anonymized_at=now, updated_at=now
            )
            count += len(batch)


def _with_replacements(order_ids) -> set:
    """The orders and the orders Saleor made from them (replacements: ``original``)."""
    found = set(order_ids)
    frontier = set(order_ids)
    while frontier:
        frontier = set(
            Order.objects.filter(original_id__in=frontier)
            .exclude(pk__in=found)
            .values_list("pk", flat=True)
        )
        found |= frontier
    return found


def _unshare(slots: dict) -> dict:
    """Give the orders their own address rows where a row is also someone else's.

    ``slots`` maps (order id, "billing" | "shipping") to an address id. Saleor copies
    addresses into orders, but a row may still be shared: by both slots of one order, by
    another order, or by a customer's address book. Anonymising such a row in place
    would change what is not ours (or keep an invoice's billing row from being split from
    its shipping twin), so those slots get a copy; a row used only by these slots stays
    with the first of them."""
    ids = set(slots.values())
    refs = Counter()
    for billing, shipping in Order.objects.filter(
        Q(billing_address_id__in=ids) | Q(shipping_address_id__in=ids)
    ).values_list("billing_address_id", "shipping_address_id"):
        refs.update(a for a in (billing, shipping) if a in ids)
    users = set(
        User.addresses.through.objects.filter(address_id__in=ids).values_list(
            "address_id", flat=True
        )
    )
    for billing, shipping in User.objects.filter(
        Q(default_billing_address_id__in=ids) | Q(default_shipping_address_id__in=ids)
    ).values_list("default_billing_address_id", "default_shipping_address_id"):
        users.update(a for a in (billing, shipping) if a in ids)
    ours = Counter(slots.values())
    shared = {a for a in ids if a in users or refs[a] > ours[a] or ours[a] > 1}
    if not shared:
        return slots
    originals = Address.objects.in_bulk(shared)
    kept_original = set()
    for (order_id, kind), address_id in sorted(slots.items(), key=str):
        if address_id not in shared:
            continue
        if address_id not in users and refs[address_id] == ours[address_id]:
            if address_id not in kept_original:  # only ours: the first slot keeps it
                kept_original.add(address_id)
                continue
        copy = originals[address_id].get_copy()
        Order.objects.filter(pk=order_id).update(**{f"{kind}_address_id": copy.pk})
        slots[(order_id, kind)] = copy.pk
    return slots


ORDER_UPDATE = """
UPDATE order_order
SET user_email = 'anonymized-order-' || number || %s,
    customer_note = '',
    search_document = '',
    private_metadata = COALESCE(private_metadata, '{}'::jsonb) || jsonb_build_object(%s, %s),
    updated_at = %s
WHERE id = ANY(%s)
"""
# Events that name the buyer's e-mail (e-mail sent, invoice sent) get the order's new one.
EVENT_EMAILS = """
UPDATE {table} e
SET parameters = e.parameters || jsonb_build_object('email', o.user_email)
FROM order_order o
WHERE o.id = e.order_id AND e.order_id = ANY(%s) AND e.parameters ? 'email'
"""


def _anonymize_orders(order_ids, keep_invoice_data: bool, days: int, now):
    ids = _with_replacements(order_ids)
    invoiced = set()
    if keep_invoice_data:
        invoiced = set(Invoice.objects.filter(order_id__in=ids).values_list("order_id", flat=True))
    slots = {}
    for pk, billing, shipping in Order.objects.filter(pk__in=ids).values_list(
        "pk", "billing_address_id", "shipping_address_id"
    ):
        if billing:
            slots[(pk, "billing")] = billing
        if shipping:
            slots[(pk, "shipping")] = shipping
    slots = _unshare(slots)
    kept = {a for (pk, kind), a in slots.items() if kind == "billing" and pk in invoiced}
    Address.objects.filter(pk__in=set(slots.values()) - kept).update(**ANONYMOUS_ADDRESS)
    Address.objects.filter(pk__in=kept).update(phone="")
    order_ids = list(ids)
    with connection.cursor() as cursor:
        cursor.execute(
            ORDER_UPDATE, [f"@{ANONYMIZED_DOMAIN}", ANONYMIZED_KEY, now.isoformat(), now, order_ids]
        )
        for model in (OrderEvent, InvoiceEvent):
            cursor.execute(EVENT_EMAILS.format(table=model._meta.db_table), [order_ids])
    _update_search_vectors(order_ids, invoiced)
    OrderEvent.objects.bulk_create(
        OrderEvent(
            order_id=pk,
            date=now,
            type=OrderEvents.EXTERNAL_SERVICE_NOTIFICATION,
            parameters={"message": _note(days, pk in invoiced)},
        )
        for pk in order_ids
    )


def _note(days: int, billing_kept: bool) -> str:
    period = f"{days} day{'' if days == 1 else 's'} after delivery"
    if billing_kept:
        return (
            f"Amazon buyer's personal data anonymised {period} (Amazon's Data Protection "
            "Policy): e-mail, phone, shipping address and notes removed. The billing address "
            "is kept as on the invoice (tax law); country, region and postal code of the "
            "shipping address are kept for tax reporting."
        )
    return (
        f"Amazon buyer's personal data anonymised {period} (Amazon's Data Protection "
        "Policy): names, e-mail, phone, street, city and notes removed; country, region "
        "and postal code are kept for tax reporting."
    )


def _update_search_vectors(order_ids, invoiced):
    """Saleor's own search vector of each order, without the buyer.

    The customer is left out (a customer's data stays theirs, and a customer the plugin
    created is anonymised later, with its last order), and so is a billing address kept
    only for tax law: it must be kept, not searched."""
    orders = list(
        Order.objects.filter(pk__in=order_ids)
        .select_related("billing_address", "shipping_address")
        .prefetch_related(*ORDER_SEARCH_PREFETCH)
    )
    for order in orders:
        order.user = None  # in memory only: only the search vector is saved
        if order.pk in invoiced and order.billing_address:
            billing = order.billing_address
            order.billing_address = Address(
                **{**ANONYMOUS_ADDRESS, "country": billing.country},
                postal_code=billing.postal_code,
                country_area=billing.country_area,
            )
        order.search_vector = FlatConcatSearchVector(
            *prepare_order_search_vector_value(order, already_prefetched=True)
        )
    Order.objects.bulk_update(orders, ["search_vector"])


def anonymize_created_customers(now=None, batch_size=None) -> int:
    """Anonymise customers the plugin created whose orders are all anonymised; the count.

    Only customers carrying the plugin's mark, who never signed in (a customer who did
    is the shop's own now) and whose every order is anonymised; any other order (made in
    the shop, or not yet due) keeps the customer as is."""
    now = now or timezone.now()
    not_anonymized = Order.objects.filter(user_id=OuterRef("pk")).exclude(
        private_metadata__has_key=ANONYMIZED_KEY
    )
    due = (
        User.objects.filter(metadata__contains=CREATED_MARK, is_staff=False, last_login=None)
        .exclude(private_metadata__has_key=ANONYMIZED_KEY)
        .exclude(Exists(not_anonymized))
        .order_by("pk")
    )
    count = 0
    while True:
        with transaction.atomic():
            users = list(due.select_for_update(skip_locked=True)[: batch_size or BATCH_SIZE])
            if not users:
                return count
            for user in users:
                _anonymize_customer(user, now)
            count += len(users)


def _anonymize_customer(user: User, now):
    address_ids = set(user.addresses.values_list("pk", flat=True))
    address_ids |= {user.default_billing_address_id, user.default_shipping_address_id} - {None}
    user.addresses.clear()
    user.email = f"anonymized-customer-{user.pk}@{ANONYMIZED_DOMAIN}"
    user.first_name = user.last_name = ""
    user.note = None
    user.is_active = False
    user.set_unusable_password()
    user.jwt_token_key = get_random_string(length=12)  # its tokens stop working
    user.default_billing_address = user.default_shipping_address = None
    if user.avatar:
        user.avatar.delete(save=False)
    user.search_document = ""
    user.private_metadata = {**(user.private_metadata or {}), ANONYMIZED_KEY: now.isoformat()}
    update_user_search_vector(user, attach_addresses_data=False, save=False)
    user.save(
        update_fields=[
            "email", "first_name", "last_name", "note", "is_active", "password",
            "jwt_token_key", "default_billing_address", "default_shipping_address", "avatar",
            "search_document", "search_vector", "private_metadata", "updated_at",
        ]
    )  # fmt: skip
    # Its addresses go, unless an order or another customer uses the same row.
    unused = Address.objects.filter(pk__in=address_ids).exclude(
        Exists(User.addresses.through.objects.filter(address_id=OuterRef("pk")))
    )
    for model, field in (
        (Order, "billing_address"),
        (Order, "shipping_address"),
        (User, "default_billing_address"),
        (User, "default_shipping_address"),
    ):
        unused = unused.exclude(Exists(model.objects.filter(**{field: OuterRef("pk")})))
    unused.delete()
    CustomerEvent.objects.filter(user=user).update(parameters={})


def run(now=None, config: conf.AmazonConfig | None = None) -> dict:
    """Everything the retention period asks for, as the periodic task runs it."""
    now = now or timezone.now()
    config = config or conf.load()
    days = config.buyer_data_days
    return {
        "purged": purge_buyer_data(now, days),
        "orders_anonymized": anonymize_saleor_orders(now, days, config.keep_invoice_data),
        "customers_anonymized": anonymize_created_customers(now),
    }
