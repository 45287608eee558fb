"""Store an Amazon Order payload as an AmazonOrder (and its items), exactly once.

The row is inserted, complete, with ``INSERT ... ON CONFLICT DO NOTHING`` under the
unique constraint (seller_id, amazon_order_id) and then locked (``SELECT ... FOR
UPDATE``), so two workers storing the same order serialise on that row: one inserts, the
other updates, nobody duplicates. The locked row is the one just inserted when it carries
this call's fetch time; otherwise it existed and is updated. A page Amazon repeats, or an
older copy of an order arriving after a newer one, changes nothing.
"""

import json
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .. import bulk
from ..models import AmazonAccount, AmazonMarketplace, AmazonOrder, AmazonOrderItem
from .mapping import MappingError, OrderInput, map_order, parse_time

ITEM_AMOUNTS = {
    "item_price": lambda line: line.item.gross,
    "item_tax": lambda line: line.item.tax,
    "shipping_price": lambda line: line.shipping.gross,
    "shipping_tax": lambda line: line.shipping.tax,
    "gift_wrap_price": lambda line: line.gift_wrap.gross,
    "gift_wrap_tax": lambda line: line.gift_wrap.tax,
    "promotion_discount": lambda line: line.discount.gross + line.shipping_discount.gross,
    "promotion_discount_tax": lambda line: line.discount.tax + line.shipping_discount.tax,
    "facilitator_tax": lambda line: line.facilitator_tax,
}


@dataclass
class Stored:
    order: AmazonOrder
    created: bool
    changed: bool
    order_input: OrderInput | None
    error: MappingError | None
    items: list | None = None  # the order's items as stored (None: not read)


def prices_include_tax(marketplace: AmazonMarketplace | None) -> bool:
    return marketplace.prices_include_tax if marketplace else True


def _safe_time(value):
    try:
        return parse_time(value)
    except MappingError:
        return None


def _apply_payload(order: AmazonOrder, payload: dict, mapped: OrderInput | None):
    fulfillment = payload.get("fulfillment") or {}
    order.payload = payload
    order.status = str(fulfillment.get("fulfillmentStatus") or order.status or "")[:32]
    order.fulfilled_by = str(fulfillment.get("fulfilledBy") or "MERCHANT").upper()[:16]
    order.purchase_date = _safe_time(payload.get("createdTime")) or order.purchase_date
    order.last_updated = _safe_time(payload.get("lastUpdatedTime")) or order.last_updated
    order.amazon_marketplace_id = str(
        (payload.get("salesChannel") or {}).get("marketplaceId") or ""
    )[:32]
    buyer = payload.get("buyer") or {}
    # Amazon drops buyer data after a while: keep what was received before.
    order.buyer_name = buyer.get("buyerName") or order.buyer_name
    order.buyer_email = buyer.get("buyerEmail") or order.buyer_email
    address = (payload.get("recipient") or {}).get("deliveryAddress")
    if address:
        order.address = address
    order.service_level = str(fulfillment.get("fulfillmentServiceLevel") or "")[:64]
    order.buyer_cancellation_requested = any(
        (item.get("cancellation") or {}).get("cancellationRequest")
        for item in payload.get("orderItems") or []
    )
    if mapped:
        order.total = mapped.total.gross
        order.currency = mapped.currency
        order.prices_include_tax = mapped.prices_include_tax
        order.payment_method = mapped.payment_method[:64]
        order.delivery_method = mapped.delivery_method[:128]
    # The buyer data retention period (plugin configuration, Amazon's Data Protection
    # Policy) counts from the latest delivery date, or from the cancellation.
    if order.status == "SHIPPED" and not order.retention_from:
        window = (fulfillment.get("deliverByWindow") or {}).get("latestDateTime")
        order.retention_from = _safe_time(window) or timezone.now()
    elif order.status == "CANCELLED" and not order.retention_from:
        order.retention_from = timezone.now()
    # Buyer data Amazon sends again after the purge (a late update, a recovery) is
    # purged again on the next run.
    order.pii_purged_at = None
    order.fetched_at = timezone.now()


def _store_items(order: AmazonOrder, payload: dict, mapped: OrderInput | None, created: bool):
    """Insert or update the order's items; all of them. A new order has none to read."""
    lines = {line.order_item_id: line for line in (mapped.lines if mapped else [])}
    existing = {} if created else {item.order_item_id: item for item in order.items.all()}
    new, changed = [], []
    for raw in payload.get("orderItems") or []:
        item_id = str(raw.get("orderItemId") or "")[:64]
        if not item_id:
            continue
        product = raw.get("product") or {}
        fulfillment = raw.get("fulfillment") or {}
        request = (raw.get("cancellation") or {}).get("cancellationRequest") or {}
        item = existing.get(item_id) or AmazonOrderItem(order=order, order_item_id=item_id)
        item.asin = str(product.get("asin") or "")[:16]
        item.seller_sku = str(product.get("sellerSku") or "")[:255]
        item.title = str(product.get("title") or "")
        item.quantity_ordered = _count(raw.get("quantityOrdered"))
        item.quantity_shipped = _count(fulfillment.get("quantityFulfilled"))
        item.buyer_cancellation_requested = bool(request)
        item.buyer_cancel_reason = str(request.get("cancelReason") or "")[:255]
        line = lines.get(item_id)
        if line:
            item.unit_price = line.unit_price
            for name, value in ITEM_AMOUNTS.items():
                setattr(item, name, value(line))
        (changed if item.pk else new).append(item)
    fields = [
        "asin", "seller_sku", "title", "quantity_ordered", "quantity_shipped", "unit_price",
        "buyer_cancellation_requested", "buyer_cancel_reason", *ITEM_AMOUNTS,
    ]  # fmt: skip
    AmazonOrderItem.objects.bulk_create(new)
    if changed:
        bulk.update_fields(changed, fields)
    stored = {item.order_item_id: item for item in new + changed}
    return [stored.get(item_id, item) for item_id, item in existing.items()] + [
        item for item in new if item.order_item_id not in existing
    ]


def _count(value) -> int:
    try:
        return max(int(value or 0), 0)
    except (TypeError, ValueError):
        return 0


def store_order(
    account: AmazonAccount, marketplace: AmazonMarketplace | None, payload: dict
) -> Stored:
    """Insert or update the AmazonOrder of ``payload``; the caller's transaction is used."""
    order_id = str(payload.get("orderId") or "") if isinstance(payload, dict) else ""
    if not order_id:
        raise MappingError("INVALID_ORDER", "An order without orderId cannot be stored.")
    mapped, error = None, None
    try:
        mapped = map_order(payload, prices_include_tax(marketplace))
    except MappingError as exc:
        error = exc
    fresh = AmazonOrder(
        account=account,
        seller_id=account.seller_id,
        marketplace=marketplace,
        amazon_order_id=order_id,
    )
    _apply_payload(fresh, payload, mapped)
    with transaction.atomic():
        AmazonOrder.objects.bulk_create([fresh], ignore_conflicts=True)
        order = AmazonOrder.objects.select_for_update().get(
            seller_id=account.seller_id, amazon_order_id=order_id
        )
        if order.fetched_at == fresh.fetched_at:  # ours: inserted complete just now
            items = _store_items(order, payload, mapped, created=True)
            return Stored(order, True, True, mapped, error, items)
        created = order.fetched_at is None
        if order.account_id != account.pk:  # the seller's account was removed and re-added
            order.account = account
            order.marketplace = marketplace
            order.save(update_fields=["account", "marketplace", "updated_at"])
        incoming = _safe_time(payload.get("lastUpdatedTime"))
        if not created and order.last_updated and incoming and incoming < order.last_updated:
            return Stored(order, False, False, None, None)
        status = (payload.get("fulfillment") or {}).get("fulfillmentStatus")
        changed = (
            created
            or incoming != order.last_updated
            or status != order.status
            or json.dumps(payload, sort_keys=True) != json.dumps(order.payload, sort_keys=True)
        )
        if not changed:
            return Stored(order, False, False, mapped, error)
        if marketplace and order.marketplace_id is None:
            order.marketplace = marketplace
        _apply_payload(order, payload, mapped)
        order.save()
        items = _store_items(order, payload, mapped, created)
    return Stored(order, created, True, mapped, error, items)
