"""Decide what a stored Amazon order needs, and do it: convert, hold, wait, skip, cancel.

- Merchant-fulfilled orders convert at UNSHIPPED (or later, with what Amazon already
  shipped recorded); orders fulfilled by Amazon convert only at SHIPPED.
- PENDING orders wait; CANCELLED orders that were never converted are skipped.
- Lines that match no variant hold the order (``needs_linking``) unless the marketplace
  uses a placeholder variant.
- Failures keep the payload, a reason and a code, and are retried with exponential
  back-off; one order's failure never affects another (each runs in its own savepoint).
- After conversion: Amazon's cancellation cancels the Saleor order through Saleor's
  ``cancel_order`` when nothing was fulfilled, otherwise the order is flagged for staff;
  a buyer's cancellation request is flagged.
"""

import logging
from dataclasses import dataclass, fields
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .. import bulk
from ..models import (
    AmazonOrder,
    FulfilledBy,
    FulfillmentStatus,
    ProcessingState,
)
from .create import ConversionError, create_saleor_order
from .mapping import MappingError, OrderInput, map_order
from .matching import PlaceholderMissing, resolve_lines
from .store import prices_include_tax

logger = logging.getLogger(__name__)

RETRY_BASE = timedelta(minutes=5)
RETRY_MAX = timedelta(hours=12)
WAITING = {FulfillmentStatus.PENDING, FulfillmentStatus.PENDING_AVAILABILITY}
CONVERTIBLE = {
    FulfillmentStatus.UNSHIPPED,
    FulfillmentStatus.PARTIALLY_SHIPPED,
    FulfillmentStatus.SHIPPED,
}
CREATED, UPDATED, HELD, PENDING, FAILED, SKIPPED, UNCHANGED = (
    "created", "updated", "held", "pending", "failed", "skipped", "unchanged",
)  # fmt: skip


@dataclass
class Summary:
    """Counts of one import or conversion run."""

    fetched: int = 0
    created: int = 0
    updated: int = 0
    held: int = 0
    failed: int = 0
    pending: int = 0
    skipped: int = 0

    def add(self, outcome: str):
        if outcome in (CREATED, UPDATED, HELD, FAILED, PENDING, SKIPPED):
            setattr(self, outcome, getattr(self, outcome) + 1)

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def __str__(self):
        return ", ".join(f"{key} {value}" for key, value in self.as_dict().items())


def next_retry_at(attempts: int):
    delay = min(RETRY_BASE * (2 ** max(attempts - 1, 0)), RETRY_MAX)
    return timezone.now() + delay


def _set_state(order: AmazonOrder, state: str, reason: str = "", code: str = ""):
    order.state = state
    order.state_reason = reason[:4000]
    order.error_code = code[:64]
    if state == ProcessingState.FAILED:
        order.attempts += 1
        order.next_retry_at = next_retry_at(order.attempts)
    else:
        order.next_retry_at = None
    order.save(
        update_fields=[
            "state", "state_reason", "error_code", "attempts", "next_retry_at", "updated_at",
        ]
    )  # fmt: skip


def _flag(order: AmazonOrder, reason: str):
    if reason in order.attention_reason:
        return
    order.needs_attention = True
    order.attention_reason = "\n".join(filter(None, [order.attention_reason, reason]))[:4000]
    order.save(update_fields=["needs_attention", "attention_reason", "updated_at"])


def _marketplace(order: AmazonOrder):
    if order.marketplace_id is None:
        return None
    from ..models import AmazonMarketplace

    return AmazonMarketplace.objects.select_related(
        "account", "channel", "default_warehouse", "placeholder_variant__product"
    ).get(pk=order.marketplace_id)


def process_order(
    order: AmazonOrder,
    order_input: OrderInput | None = None,
    error: MappingError | None = None,
    marketplace=None,
    items=None,
    known_variants=None,
) -> str:
    """Bring one stored order forward; returns the outcome (created, held, failed...).

    ``items`` (the order's stored items) and ``known_variants`` (seller SKU -> variant or
    None, looked up for a whole page) spare their queries when the caller has them."""
    marketplace = marketplace or _marketplace(order)
    if order_input is None and error is None:
        try:
            order_input = map_order(order.payload, prices_include_tax(marketplace))
        except MappingError as exc:
            error = exc
    if order.saleor_order_id:
        return _after_conversion(order, order_input)
    if error is not None:
        _set_state(order, ProcessingState.FAILED, error.message, error.code)
        return FAILED
    status = order_input.status
    if status == FulfillmentStatus.CANCELLED:
        _set_state(order, ProcessingState.SKIPPED, "Cancelled on Amazon before conversion.")
        return SKIPPED
    if status == FulfillmentStatus.UNFULFILLABLE:
        _set_state(order, ProcessingState.SKIPPED, "Amazon reports the order unfulfillable.")
        return SKIPPED
    if status in WAITING or status not in CONVERTIBLE:
        _set_state(order, ProcessingState.PENDING, f"Waiting for Amazon: the order is {status}.")
        return PENDING
    if order_input.fulfilled_by == FulfilledBy.AMAZON and status != FulfillmentStatus.SHIPPED:
        _set_state(
            order,
            ProcessingState.PENDING,
            "Fulfilled by Amazon: the order is created when Amazon ships it.",
        )
        return PENDING
    if marketplace is None:
        _set_state(
            order, ProcessingState.FAILED, "The order's marketplace is gone.", "NO_MARKETPLACE"
        )
        return FAILED
    return _convert(order, order_input, marketplace, items, known_variants)


def _convert(order: AmazonOrder, order_input: OrderInput, marketplace, items, known) -> str:
    try:
        variants, unmatched = resolve_lines(marketplace, order_input.lines, known)
    except PlaceholderMissing as exc:
        _set_state(order, ProcessingState.FAILED, str(exc), "PLACEHOLDER_MISSING")
        return FAILED
    if unmatched:
        _set_state(
            order,
            ProcessingState.NEEDS_LINKING,
            "No Saleor variant for seller SKU " + ", ".join(unmatched) + ": link an offer.",
            "UNMATCHED_LINES",
        )
        return HELD
    try:
        with transaction.atomic():
            locked = AmazonOrder.objects.select_for_update().get(pk=order.pk)
            if locked.saleor_order_id:  # another worker converted it meanwhile
                order.saleor_order_id = locked.saleor_order_id
                order.state = locked.state
                return UNCHANGED
            created = create_saleor_order(order, order_input, marketplace, variants)
            order.saleor_order = created.order
            order.state = ProcessingState.PROCESSED
            order.state_reason = ""
            order.error_code = ""
            order.next_retry_at = None
            order.save(
                update_fields=[
                    "saleor_order", "state", "state_reason", "error_code", "next_retry_at",
                    "updated_at",
                ]
            )  # fmt: skip
            _link_items(order, variants, created.lines, items)
    except ConversionError as exc:
        order.saleor_order = None
        _set_state(order, ProcessingState.FAILED, exc.message, exc.code)
        return FAILED
    except Exception as exc:  # any unexpected failure: stored, retried, never lost
        order.saleor_order = None
        logger.exception("Amazon order %s could not be converted", order.amazon_order_id)
        _set_state(order, ProcessingState.FAILED, f"{type(exc).__name__}: {exc}", "INTERNAL")
        return FAILED
    if created.warnings:
        _flag(order, " ".join(created.warnings))
    if order_input.buyer_cancellation_requested:
        _flag(order, _cancel_request_reason(order_input))
    return CREATED


def _link_items(order: AmazonOrder, variants: dict, lines: dict, items=None):
    items = list(order.items.all()) if items is None else items
    for item in items:
        variant = variants.get(item.order_item_id)
        line = lines.get(item.order_item_id)
        item.variant_id = variant.pk if variant else None
        item.order_line_id = line.pk if line else None
    bulk.update_fields(items, ["variant", "order_line"])


def _cancel_request_reason(order_input: OrderInput) -> str:
    reasons = sorted({line.cancel_reason for line in order_input.lines if line.cancel_reason})
    detail = f" ({'; '.join(reasons)})" if reasons else ""
    return f"The buyer asked Amazon to cancel this order{detail}."


def _after_conversion(order: AmazonOrder, order_input: OrderInput | None) -> str:
    if order_input is None:
        return UNCHANGED
    saleor_order = order.saleor_order
    if order_input.buyer_cancellation_requested:
        _flag(order, _cancel_request_reason(order_input))
    if order_input.status == FulfillmentStatus.CANCELLED:
        from saleor.order import OrderStatus

        if saleor_order.status == OrderStatus.CANCELED:
            return UNCHANGED
        fulfilled = saleor_order.lines.filter(quantity_fulfilled__gt=0).exists()
        if fulfilled or order_input.fulfilled_by == FulfilledBy.AMAZON:
            _flag(
                order,
                "Amazon cancelled the order after part of it was fulfilled in Saleor: "
                "check the shipment and refund.",
            )
        else:
            _cancel_saleor_order(saleor_order)
    elif order_input.fulfilled_by == FulfilledBy.MERCHANT:
        saleor_shipped = sum(saleor_order.lines.values_list("quantity_fulfilled", flat=True))
        amazon_shipped = sum(line.quantity_shipped for line in order_input.lines)
        if amazon_shipped > saleor_shipped:
            _flag(
                order,
                f"Amazon reports {amazon_shipped} unit(s) shipped, Saleor has {saleor_shipped} "
                "fulfilled: the shipment happened outside Saleor.",
            )
    return UPDATED


def _cancel_saleor_order(saleor_order):
    from saleor.order.actions import cancel_order
    from saleor.plugins.manager import get_plugins_manager
    from saleor.site.models import Site

    manager = get_plugins_manager(allow_replica=False)
    site_settings = Site.objects.get_current().settings
    cancel_order(
        order=saleor_order, user=None, app=None, manager=manager, site_settings=site_settings
    )


def eligible_orders(ids=None):
    """Orders that "create orders" may convert now: held, pending, or failed and due."""
    now = timezone.now()
    queryset = AmazonOrder.objects.filter(saleor_order__isnull=True).exclude(
        state__in=[ProcessingState.SKIPPED, ProcessingState.PROCESSED]
    )
    if ids is not None:
        return queryset.filter(pk__in=list(ids))
    from django.db.models import Q

    return queryset.filter(
        ~Q(state=ProcessingState.FAILED) | Q(next_retry_at__isnull=True) | Q(next_retry_at__lte=now)
    )


def create_pending_orders(ids=None) -> Summary:
    """Convert every stored order that is now eligible (Comarch's "Stwórz zamówienia").

    With ``ids``: those orders, failed ones included whatever their retry time.
    """
    summary = Summary()
    marketplaces = {}
    for order in eligible_orders(ids).select_related("account").order_by("purchase_date", "pk"):
        if order.marketplace_id not in marketplaces:
            marketplaces[order.marketplace_id] = _marketplace(order)
        summary.add(process_order(order, marketplace=marketplaces[order.marketplace_id]))
    return summary


def process_stored(stored, marketplace=None, known_variants=None) -> str:
    """Process what :func:`~saleor_amazon.orders.store.store_order` just stored.

    An order Amazon did not change is left alone once it is converted or skipped; one
    still waiting is looked at again (an offer may have been linked meanwhile).
    """
    order = stored.order
    if not stored.changed and order.state in (ProcessingState.PROCESSED, ProcessingState.SKIPPED):
        return UNCHANGED
    if not stored.changed and order.state == ProcessingState.FAILED:
        if order.next_retry_at and order.next_retry_at > timezone.now():
            return UNCHANGED
    outcome = process_order(
        order,
        stored.order_input,
        stored.error,
        marketplace=marketplace,
        items=stored.items,
        known_variants=known_variants,
    )
    if outcome == UPDATED and not stored.changed:
        return UNCHANGED
    return outcome
