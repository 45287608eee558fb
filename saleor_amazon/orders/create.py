"""Build the native Saleor order of one Amazon order.

The same rows Saleor's ``orderBulkCreate`` writes (order, addresses, lines, line
discounts, fulfilments, a charged transaction, an event, the search vector), from an
already validated :class:`~saleor_amazon.orders.mapping.OrderInput`, in a fixed number
of queries: addresses are not re-validated field by field (Amazon validated them;
they are stored with ``validation_skipped``), variants arrive prefetched, lines and
their companions are bulk-inserted. Saleor's own helpers compute the charge and
authorize status and the search vector.

Stock: merchant-fulfilled lines allocate their unshipped quantity in the marketplace's
default warehouse; quantities Amazon already reports shipped are recorded as a
fulfilment and leave the stock (never both). Orders fulfilled by Amazon are created
fulfilled and do not touch Saleor's stock.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import phonenumbers
from django.db import connection
from django.utils import timezone
from saleor.account.models import Address
from saleor.core.postgres import FlatConcatSearchVector
from saleor.discount import DiscountType, DiscountValueType
from saleor.discount.models import OrderDiscount, OrderLineDiscount
from saleor.invoice.models import Invoice
from saleor.order import FulfillmentStatus, OrderEvents, OrderOrigin, OrderStatus
from saleor.order.models import Fulfillment, FulfillmentLine, Order, OrderEvent, OrderLine
from saleor.order.search import prepare_order_search_vector_value
from saleor.order.utils import update_order_authorize_status, update_order_charge_status
from saleor.payment import TransactionEventType
from saleor.payment.models import Payment, TransactionEvent, TransactionItem
from saleor.shipping.models import ShippingMethod
from saleor.warehouse.models import Allocation

from ..models import AmazonMarketplace, AmazonOrder
from .customers import customer_for
from .mapping import Amount, LineInput, OrderInput

TRANSACTION_NAME = "Amazon"
ZERO = Decimal(0)


class ConversionError(ValueError):
    """The order cannot become a Saleor order as configured; ``code`` is stable."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Created:
    order: Order
    lines: dict[str, OrderLine]  # Amazon order item id -> Saleor line
    warnings: list[str] = field(default_factory=list)


def _phone(raw: str, country: str) -> str:
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, country or None)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def build_address(data: dict | None) -> Address | None:
    if not data:
        return None
    values = {key: (value or "")[:256] for key, value in data.items()}
    values["postal_code"] = values["postal_code"][:20]
    values["city_area"] = values["city_area"][:128]
    values["country_area"] = values["country_area"][:128]
    values["phone"] = _phone(values["phone"], values["country"])
    return Address(**values, validation_skipped=True)


def _shipping_method_name(marketplace: AmazonMarketplace, order: OrderInput):
    mapping = marketplace.shipping_methods or {}
    method_id = mapping.get(order.service_level) or mapping.get("*")
    if method_id:
        name = ShippingMethod.objects.filter(pk=method_id).values_list("name", flat=True).first()
        if name:
            return int(method_id), name
    label = (order.service_level or "standard").replace("_", " ").title()
    return None, f"Amazon {label}"


def _shipped(line: LineInput, fba: bool) -> int:
    return line.quantity if fba else min(line.quantity_shipped, line.quantity)


def _order_status(order: OrderInput, fba: bool) -> str:
    lines = [line for line in order.lines if line.quantity]
    shipped = [_shipped(line, fba) for line in lines]
    if lines and all(s == line.quantity for s, line in zip(shipped, lines, strict=True)):
        return OrderStatus.FULFILLED
    if any(shipped):
        return OrderStatus.PARTIALLY_FULFILLED
    return OrderStatus.UNFULFILLED


def _base(amount: Amount, gross: bool) -> Decimal:
    return amount.gross if gross else amount.net


def _order_line(order, line: LineInput, variant, precision, fba, gross_prices) -> OrderLine:
    unit = line.unit(line.total, precision)
    undiscounted_unit = line.unit(line.undiscounted_total, precision)
    unit_discount = _base(undiscounted_unit, gross_prices) - _base(unit, gross_prices)
    metadata = {"amazon_order_item_id": line.order_item_id, "amazon_seller_sku": line.seller_sku}
    if line.asin:
        metadata["amazon_asin"] = line.asin
    if line.gift_wrap.gross:
        metadata["amazon_gift_wrap"] = str(line.gift_wrap.gross)
    if line.facilitator_tax:
        metadata["amazon_marketplace_facilitator_tax"] = str(line.facilitator_tax)
    product = variant.product if variant else None
    return OrderLine(
        order=order,
        variant=variant,
        product_name=product.name if product else line.title[:386],
        variant_name=variant.name if variant else "",
        product_sku=variant.sku if variant and variant.sku else line.seller_sku,
        product_variant_id=variant.get_global_id() if variant else None,
        product_type_id=product.product_type_id if product else None,
        is_shipping_required=True,
        is_gift_card=False,
        quantity=line.quantity,
        quantity_fulfilled=_shipped(line, fba),
        currency=order.currency,
        unit_price_net_amount=unit.net,
        unit_price_gross_amount=unit.gross,
        total_price_net_amount=line.total.net,
        total_price_gross_amount=line.total.gross,
        undiscounted_unit_price_net_amount=undiscounted_unit.net,
        undiscounted_unit_price_gross_amount=undiscounted_unit.gross,
        undiscounted_total_price_net_amount=line.undiscounted_total.net,
        undiscounted_total_price_gross_amount=line.undiscounted_total.gross,
        base_unit_price_amount=_base(unit, gross_prices),
        undiscounted_base_unit_price_amount=_base(undiscounted_unit, gross_prices),
        unit_discount_amount=unit_discount,
        unit_discount_value=unit_discount,
        unit_discount_type=DiscountValueType.FIXED if unit_discount else None,
        unit_discount_reason=(
            "Amazon promotion " + ", ".join(line.promotion_ids) if unit_discount else None
        ),
        tax_rate=line.tax_rate,
        metadata=metadata,
    )


def _line_discount(line: OrderLine, amazon: LineInput, gross_prices: bool):
    amount = _base(amazon.discount, gross_prices)
    if not amount:
        return None
    return OrderLineDiscount(
        line=line,
        type=DiscountType.MANUAL,
        unique_type=DiscountType.MANUAL,
        value_type=DiscountValueType.FIXED,
        value=amount,
        amount_value=amount,
        currency=line.currency,
        reason=line.unit_discount_reason,
    )


# One statement per order: the stock rows are locked in id order (as Saleor's own stock
# code locks them, so concurrent imports cannot deadlock), then updated from the order's
# per-variant quantities; the ids come back for the allocations.
STOCK_UPDATE = """
WITH wanted AS (
    SELECT * FROM unnest(%s::int[], %s::int[], %s::int[]) AS v(variant_id, allocate, ship)
), locked AS (
    SELECT s.id FROM warehouse_stock s JOIN wanted w ON w.variant_id = s.product_variant_id
    WHERE s.warehouse_id = %s ORDER BY s.id FOR UPDATE OF s
)
UPDATE warehouse_stock s
SET quantity_allocated = s.quantity_allocated + w.allocate,
    quantity = GREATEST(s.quantity - w.ship, 0)
FROM wanted w
WHERE s.id IN (SELECT id FROM locked) AND s.product_variant_id = w.variant_id
RETURNING s.product_variant_id, s.id
"""


def _stock_effects(order_lines, order: OrderInput, marketplace, fba, warnings):
    """Allocations for unshipped quantities, stock decrease for shipped ones (FBM only).

    Returns (allocations, order item id -> stock id)."""
    if fba:
        return [], {}
    tracked = [
        (item_id, line)
        for item_id, line in order_lines.items()
        if line.variant_id and line.variant.track_inventory
    ]
    if not tracked:
        return [], {}
    allocate, ship = defaultdict(int), defaultdict(int)
    for _, line in tracked:
        allocate[line.variant_id] += line.quantity - line.quantity_fulfilled
        ship[line.variant_id] += line.quantity_fulfilled
    variants = sorted(allocate)
    with connection.cursor() as cursor:
        cursor.execute(
            STOCK_UPDATE,
            [
                variants,
                [allocate[v] for v in variants],
                [ship[v] for v in variants],
                marketplace.default_warehouse_id,
            ],
        )
        stock_of = dict(cursor.fetchall())
    allocations, used = [], {}
    for item_id, line in tracked:
        stock_id = stock_of.get(line.variant_id)
        if stock_id is None:
            warnings.append(f"No stock of {line.product_sku} in the marketplace's warehouse.")
            continue
        unshipped = line.quantity - line.quantity_fulfilled
        if unshipped:
            allocations.append(
                Allocation(order_line=line, stock_id=stock_id, quantity_allocated=unshipped)
            )
        used[item_id] = stock_id
    Allocation.objects.bulk_create(allocations)
    return allocations, used


def _fulfillment(order: Order, order_lines, stocks, fba) -> Fulfillment | None:
    shipped = [(i, line) for i, line in order_lines.items() if line.quantity_fulfilled]
    if not shipped:
        return None
    fulfillment = Fulfillment.objects.create(
        order=order, status=FulfillmentStatus.FULFILLED, fulfillment_order=1
    )
    FulfillmentLine.objects.bulk_create(
        FulfillmentLine(
            fulfillment=fulfillment,
            order_line=line,
            quantity=line.quantity_fulfilled,
            stock_id=None if fba else stocks.get(item_id),
        )
        for item_id, line in shipped
    )
    return fulfillment


def _transaction(order: Order, amazon_order_id: str, amount: Decimal):
    """The charged "Amazon" transaction and its event (unsaved)."""
    transaction = TransactionItem(
        name=TRANSACTION_NAME,
        message="Paid on Amazon; Amazon collects the payment.",
        psp_reference=amazon_order_id,
        available_actions=[],
        currency=order.currency,
        charged_value=amount,
        order=order,
    )
    event = TransactionEvent(
        transaction=transaction,
        type=TransactionEventType.CHARGE_SUCCESS,
        amount_value=amount,
        currency=order.currency,
        psp_reference=amazon_order_id,
        message="Charged by Amazon",
        include_in_calculations=True,
    )
    return transaction, event


def create_saleor_order(
    amazon_order: AmazonOrder,
    order_input: OrderInput,
    marketplace: AmazonMarketplace,
    variants: dict,
) -> Created:
    """Write the Saleor order; the caller holds a transaction (or savepoint)."""
    channel = marketplace.channel
    if channel is None:
        raise ConversionError(
            "NO_CHANNEL", f"Marketplace {marketplace.code} is not mapped to a Saleor channel."
        )
    if channel.currency_code != order_input.currency:
        raise ConversionError(
            "CURRENCY_MISMATCH",
            f"The order is in {order_input.currency} but channel {channel.slug} uses "
            f"{channel.currency_code}.",
        )
    fba = order_input.fulfilled_by == "AMAZON"
    if not fba and marketplace.default_warehouse_id is None:
        raise ConversionError(
            "NO_WAREHOUSE", f"Marketplace {marketplace.code} has no default warehouse."
        )
    precision = order_input.precision
    gross_prices = order_input.prices_include_tax
    user = customer_for(marketplace, order_input)
    shipping_address = build_address(order_input.address)
    billing_address = build_address(order_input.address)
    Address.objects.bulk_create([a for a in (shipping_address, billing_address) if a])
    method_id, method_name = _shipping_method_name(marketplace, order_input)
    lines_in = [line for line in order_input.lines if line.quantity]
    total = order_input.total
    metadata = {
        "amazon_order_id": order_input.amazon_order_id,
        "amazon_account": amazon_order.seller_id,
        "amazon_marketplace": marketplace.code,
        "amazon_fulfillment_channel": order_input.fulfilled_by,
    }
    if order_input.facilitator_tax:
        metadata["amazon_marketplace_facilitator_tax"] = (
            f"{order_input.facilitator_tax} {order_input.currency}"
        )
    order = Order(
        channel=channel,
        currency=order_input.currency,
        status=_order_status(order_input, fba),
        origin=OrderOrigin.BULK_CREATE,
        external_reference=order_input.amazon_order_id,
        created_at=order_input.purchase_date or timezone.now(),
        user=user,
        user_email=(user.email if user else order_input.buyer_email)[:254],
        billing_address=billing_address,
        shipping_address=shipping_address,
        shipping_method_id=method_id,
        shipping_method_name=method_name,
        shipping_price_net_amount=order_input.shipping.net,
        shipping_price_gross_amount=order_input.shipping.gross,
        base_shipping_price_amount=_base(order_input.shipping, gross_prices),
        undiscounted_base_shipping_price_amount=_base(
            order_input.undiscounted_shipping, gross_prices
        ),
        shipping_tax_rate=order_input.shipping.rate(),
        subtotal_net_amount=order_input.subtotal.net,
        subtotal_gross_amount=order_input.subtotal.gross,
        total_net_amount=total.net,
        total_gross_amount=total.gross,
        undiscounted_total_net_amount=(
            order_input.undiscounted_subtotal + order_input.undiscounted_shipping
        ).net,
        undiscounted_total_gross_amount=(
            order_input.undiscounted_subtotal + order_input.undiscounted_shipping
        ).gross,
        total_charged_amount=total.gross,
        display_gross_prices=gross_prices,
        should_refresh_prices=False,
        lines_count=len(lines_in),
        metadata=metadata,
        private_metadata={"amazon_prices_include_tax": gross_prices},
        customer_note=", ".join(
            filter(None, [order_input.buyer_company and f"Company: {order_input.buyer_company}"])
        ),
    )
    update_order_charge_status(order, ZERO)
    update_order_authorize_status(order, ZERO)

    order_lines = {
        line.order_item_id: _order_line(
            order, line, variants.get(line.order_item_id), precision, fba, gross_prices
        )
        for line in lines_in
    }
    transaction, charge = _transaction(order, order_input.amazon_order_id, total.gross)
    event = OrderEvent(
        order=order,
        type=OrderEvents.EXTERNAL_SERVICE_NOTIFICATION,
        parameters={
            "message": (
                f"Imported from Amazon {marketplace.code} order {order_input.amazon_order_id} "
                f"({'fulfilled by Amazon' if fba else 'merchant-fulfilled'})."
            )
        },
    )
    # Saleor's search vector, computed from the rows about to be written, goes into the
    # INSERT itself (no second write of the order and its indexes). The transaction row
    # comes first: Django's foreign keys are checked at commit (DEFERRABLE INITIALLY
    # DEFERRED), and Saleor's vector wants the transaction's related manager.
    transaction.save()
    order.search_vector = _search_vector(
        order, list(order_lines.values()), transaction, charge, event
    )
    order.save()

    OrderLine.objects.bulk_create(order_lines.values())
    amazon_lines = {line.order_item_id: line for line in lines_in}
    discounts = [
        d
        for item_id, line in order_lines.items()
        if (d := _line_discount(line, amazon_lines[item_id], gross_prices))
    ]
    OrderLineDiscount.objects.bulk_create(discounts)
    warnings: list[str] = []
    _, stocks = _stock_effects(order_lines, order_input, marketplace, fba, warnings)
    _fulfillment(order, order_lines, stocks, fba)
    charge.save()
    event.save()
    return Created(order=order, lines=order_lines, warnings=warnings)


def _cached(model, objects):
    """A queryset that already holds ``objects``, as Django's own prefetching leaves it."""
    queryset = model.objects.none()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    return queryset


def _search_vector(order, lines, transaction, charge, event):
    """Saleor's own search vector for the order, from objects at hand (no queries)."""
    order._prefetched_objects_cache = {
        "lines": _cached(OrderLine, lines),
        "payments": _cached(Payment, []),
        "discounts": _cached(OrderDiscount, []),
        "payment_transactions": _cached(TransactionItem, [transaction]),
        "invoices": _cached(Invoice, []),
        "events": _cached(OrderEvent, [event]),
    }
    transaction._prefetched_objects_cache = {"events": _cached(TransactionEvent, [charge])}
    try:
        return FlatConcatSearchVector(
            *prepare_order_search_vector_value(order, already_prefetched=True)
        )
    finally:
        order._prefetched_objects_cache = {}
        transaction._prefetched_objects_cache = {}
