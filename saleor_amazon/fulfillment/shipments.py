"""Shipment confirmation: each Saleor fulfilment of an Amazon order is one package.

:func:`record_fulfillment` (called by Saleor's hooks and by the webhook receiver) keeps one
:class:`AmazonShipment` per fulfilment: the Amazon order item ids and fulfilled quantities,
tracking number, carrier and ship date; its ``package_reference_id`` is the fulfilment's
id and never changes. It only records and queues (after the commit of Saleor's
transaction); :func:`send_shipment` talks to Amazon.

- With a tracking number: Orders v0 ``confirmShipment``.
- Without one: the shipment waits for ``tracking_number_updated`` for the configured
  time; then, only if the merchant allows it, it is confirmed through the order
  fulfilment feed (``confirmShipment`` requires a tracking number), else it keeps waiting
  with a visible reason.
- Transient failures (throttling, Amazon unavailable) retry with exponential backoff
  (:func:`process_due`, run by beat); Amazon's refusals are stored with its message.
  When Amazon refuses a package it already holds (a confirmation whose answer was lost),
  the shipment is recorded as confirmed.
- Orders fulfilled by Amazon (FBA) are never sent.
"""

import logging
from collections import OrderedDict
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import conf, spapi
from ..models import AmazonOrder, AmazonOrderItem, FulfilledBy
from ..models import FulfillmentStatus as AmazonStatus
from . import carriers, feeds
from .models import SHIPMENT_OPEN, AmazonShipment, ShipmentState

logger = logging.getLogger(__name__)

RETRY_BASE = timedelta(seconds=30)
RETRY_MAX = timedelta(hours=1)
MAX_ATTEMPTS = 12
# Options for the SP-API client of a send (its own retries inside one attempt).
CLIENT_OPTIONS = {"max_retry_seconds": 20}


def amazon_order_for(order_or_id) -> AmazonOrder | None:
    order_id = getattr(order_or_id, "pk", order_or_id)
    if order_id is None:
        return None
    return AmazonOrder.objects.select_related("account").filter(saleor_order_id=order_id).first()


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def package_items(fulfillment, amazon: AmazonOrder) -> list[dict]:
    """Amazon order item ids and quantities of a fulfilment's lines, in line order."""
    items = {
        item.order_line_id: item.order_item_id
        for item in AmazonOrderItem.objects.filter(order=amazon, order_line__isnull=False)
    }
    quantities: OrderedDict[str, int] = OrderedDict()
    for line in fulfillment.lines.order_by("pk"):
        item_id = items.get(line.order_line_id)
        if item_id and line.quantity > 0:
            quantities[item_id] = quantities.get(item_id, 0) + line.quantity
    return [{"orderItemId": k, "quantity": v} for k, v in quantities.items()]


def _skip_reason(amazon: AmazonOrder, fulfillment) -> str:
    from saleor.order import FulfillmentStatus

    if amazon.fulfilled_by == FulfilledBy.AMAZON:
        return "Amazon fulfils this order (FBA): shipments are not confirmed by the seller."
    if amazon.status == AmazonStatus.CANCELLED:
        return "Amazon cancelled this order: the shipment is not confirmed."
    if fulfillment.status not in (
        FulfillmentStatus.FULFILLED,
        FulfillmentStatus.WAITING_FOR_APPROVAL,
    ):
        return f"The Saleor fulfilment is {fulfillment.status}: nothing to confirm."
    return ""


def record_fulfillment(fulfillment, config=None, now=None) -> AmazonShipment | None:
    """Record (or bring up to date) the Amazon shipment of a Saleor fulfilment.

    Safe to call any number of times, from hooks and webhooks alike: one record per
    fulfilment, and a confirmed shipment is never sent again.
    """
    amazon = amazon_order_for(fulfillment.order_id)
    if amazon is None:
        return None
    config = config or conf.load()
    with transaction.atomic():
        shipment = _locked_shipment(fulfillment, amazon)
        changed = _refresh(shipment, fulfillment, amazon, config, now or timezone.now())
    if shipment.state == ShipmentState.PENDING and changed:
        queue_send(shipment)
    return shipment


def _locked_shipment(fulfillment, amazon) -> AmazonShipment:
    queryset = AmazonShipment.objects.select_for_update()
    shipment = queryset.filter(fulfillment=fulfillment).first()
    if shipment:
        return shipment
    try:
        with transaction.atomic():
            return AmazonShipment.objects.create(
                amazon_order=amazon,
                fulfillment=fulfillment,
                package_reference_id=str(fulfillment.pk),
                ship_date=fulfillment.created_at,
                created_at=timezone.now(),
            )
    except IntegrityError:
        # Another worker recorded it first: use theirs.
        return queryset.get(fulfillment=fulfillment)


def _refresh(shipment: AmazonShipment, fulfillment, amazon, config, now) -> bool:
    """Update the record from the fulfilment; True when it became (again) due to send."""
    from saleor.order import FulfillmentStatus

    raw_tracking = (fulfillment.tracking_number or "").strip()
    tracking = carriers.tracking_number(raw_tracking)
    if shipment.state in (ShipmentState.CONFIRMED, ShipmentState.SUBMITTED):
        if tracking and tracking != shipment.tracking_number:
            shipment.notice = (
                f"The tracking number changed to {tracking} after Amazon received the "
                f"shipment with {shipment.tracking_number or 'none'}: Amazon keeps the first "
                "one; correct it in Seller Central if needed."
            )
            shipment.save(update_fields=["notice", "updated_at"])
        return False
    if shipment.state == ShipmentState.SKIPPED:
        return False
    reason = _skip_reason(amazon, fulfillment)
    if reason:
        _set(shipment, ShipmentState.SKIPPED, reason)
        return False
    shipping_method = fulfillment.order.shipping_method_name or ""
    carrier = carriers.carrier_for(shipping_method, raw_tracking, config.carrier_mapping)
    new = {
        "items": package_items(fulfillment, amazon),
        "tracking_number": tracking,
        "carrier_code": carrier.code,
        "carrier_name": carrier.name,
        "shipping_method": shipping_method,
    }
    data_changed = any(getattr(shipment, k) != v for k, v in new.items())
    for key, value in new.items():
        setattr(shipment, key, value)
    if not shipment.items:
        _set(shipment, ShipmentState.FAILED, "No line of this fulfilment is an Amazon order item.")
        return False
    if fulfillment.status == FulfillmentStatus.WAITING_FOR_APPROVAL:
        _set(shipment, ShipmentState.WAITING_FOR_APPROVAL, "")
        return False
    if shipment.state == ShipmentState.FAILED and not data_changed:
        return False
    if not tracking:
        if shipment.wait_for_tracking_until is None:
            shipment.wait_for_tracking_until = now + timedelta(minutes=config.tracking_wait_minutes)
        if shipment.wait_for_tracking_until > now:
            _set(shipment, ShipmentState.WAITING_FOR_TRACKING, "")
            return False
        if not config.confirm_without_tracking:
            _set(
                shipment,
                ShipmentState.WAITING_FOR_TRACKING,
                "No tracking number yet, and confirming without one is not allowed in the "
                "plugin configuration: add the tracking number to the fulfilment.",
            )
            return False
    if shipment.state == ShipmentState.PENDING and not data_changed:
        return False  # already queued or retrying on its schedule
    shipment.attempts = 0
    shipment.next_retry_at = None
    _set(shipment, ShipmentState.PENDING, "")
    return True


def _set(shipment, state, error, code=""):
    shipment.state = state
    shipment.error = error
    shipment.error_code = code
    shipment.save()


def queue_send(shipment: AmazonShipment):
    """Send after the current transaction commits (Saleor's fulfilment is saved first)."""
    from ..tasks.fulfillment import send_shipment_task

    shipment_id = shipment.pk
    transaction.on_commit(lambda: send_shipment_task.delay(shipment_id))


def package_detail(shipment: AmazonShipment) -> dict:
    detail = {
        "packageReferenceId": shipment.package_reference_id,
        "carrierCode": shipment.carrier_code,
        "trackingNumber": shipment.tracking_number,
        "shipDate": iso(shipment.ship_date or shipment.created_at),
        "orderItems": [
            {"orderItemId": i["orderItemId"], "quantity": i["quantity"]} for i in shipment.items
        ],
    }
    if shipment.carrier_code == carriers.OTHER:
        detail["carrierName"] = shipment.carrier_name
    if shipment.shipping_method:
        detail["shippingMethod"] = shipment.shipping_method
    return detail


def send_shipment(shipment_id: int, client=None, now=None) -> str:
    """Send one pending shipment to Amazon if it is due; the resulting state.

    The row stays locked while Amazon is called, so two workers never send it twice.
    """
    now = now or timezone.now()
    with transaction.atomic():
        shipment = (
            AmazonShipment.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("amazon_order__account")
            .filter(pk=shipment_id)
            .first()
        )
        if shipment is None:
            return "locked"
        if shipment.state != ShipmentState.PENDING:
            return shipment.state
        if shipment.next_retry_at and shipment.next_retry_at > now:
            return shipment.state
        amazon = shipment.amazon_order
        if amazon.account is None:
            _set(
                shipment,
                ShipmentState.FAILED,
                "The Amazon account of this order was removed: reconnect it, then retry.",
                "no_account",
            )
            return shipment.state
        try:
            client = client or spapi.client_for_account(amazon.account, **CLIENT_OPTIONS)
            if shipment.tracking_number:
                _confirm(client, shipment, amazon)
            else:
                _submit_without_tracking(client, shipment, amazon)
        except spapi.RetryableError as exc:
            _retry(shipment, exc, now)
        except (spapi.InvalidInputError, spapi.NotFoundError) as exc:
            if _amazon_has_package(client, shipment, amazon):
                _confirmed(shipment, now)
            else:
                _set(shipment, ShipmentState.FAILED, f"Amazon refused: {exc.message}", exc.code)
        except spapi.AuthError as exc:
            _set(
                shipment,
                ShipmentState.FAILED,
                f"Amazon refused the account's authorization ({exc.message}): "
                "reconnect the account, then retry.",
                "auth",
            )
        except conf.ConfigurationError as exc:
            _set(shipment, ShipmentState.FAILED, str(exc), "configuration")
        return shipment.state


def _confirm(client, shipment, amazon):
    client.confirm_shipment(
        amazon.amazon_order_id, amazon.amazon_marketplace_id, package_detail(shipment)
    )
    _confirmed(shipment, timezone.now())


def _confirmed(shipment, now):
    shipment.confirmed_at = now
    shipment.next_retry_at = None
    _set(shipment, ShipmentState.CONFIRMED, "")
    logger.info("Amazon confirmed package %s", shipment)


def _amazon_has_package(client, shipment, amazon) -> bool:
    """Whether Amazon already holds this package (an earlier answer was lost)."""
    try:
        order = client.get_order(amazon.amazon_order_id, included_data=["PACKAGES"])
    except spapi.SPAPIError:
        return False
    return any(
        str(p.get("packageReferenceId")) == shipment.package_reference_id
        for p in order.get("packages") or []
    )


def _retry(shipment, exc, now):
    shipment.attempts += 1
    if shipment.attempts >= MAX_ATTEMPTS:
        _set(
            shipment,
            ShipmentState.FAILED,
            f"Gave up after {shipment.attempts} attempts; last error: {exc}",
            exc.code or "retry_exhausted",
        )
        return
    delay = min(RETRY_BASE * (2 ** (shipment.attempts - 1)), RETRY_MAX)
    if exc.retry_after:
        delay = max(delay, timedelta(seconds=float(exc.retry_after)))
    shipment.next_retry_at = now + delay
    _set(shipment, ShipmentState.PENDING, f"Retrying: {exc}", exc.code or "retry")


def _submit_without_tracking(client, shipment, amazon):
    """Confirm through POST_ORDER_FULFILLMENT_DATA (confirmShipment needs tracking)."""
    data = feeds.element(
        "FulfillmentData",
        ("CarrierCode", shipment.carrier_code if shipment.carrier_code != "Other" else None),
        ("CarrierName", shipment.carrier_name),
        ("ShippingMethod", shipment.shipping_method),
    )
    items = [
        feeds.element(
            "Item", ("AmazonOrderItemCode", i["orderItemId"]), ("Quantity", i["quantity"])
        )
        for i in shipment.items
    ]
    message = feeds.element(
        "OrderFulfillment",
        ("AmazonOrderID", amazon.amazon_order_id),
        ("MerchantFulfillmentID", shipment.package_reference_id),
        ("FulfillmentDate", iso(shipment.ship_date or shipment.created_at)),
        data,
        *items,
    )
    content = feeds.envelope(amazon.account.seller_id, "OrderFulfillment", [message])
    feed = feeds.submit(
        client,
        amazon.account,
        feeds.ORDER_FULFILLMENT,
        [amazon.amazon_marketplace_id],
        content,
        feeds.XML,
        marketplace=amazon.marketplace,
    )
    shipment.feed = feed
    _set(shipment, ShipmentState.SUBMITTED, "")


def check_submitted(shipment: AmazonShipment, client=None) -> str:
    """Read the outcome of a shipment confirmed through the fulfilment feed."""
    account = shipment.amazon_order.account
    client = client or spapi.client_for_account(account, **CLIENT_OPTIONS)
    outcome = feeds.check(client, shipment.feed)
    if not outcome.done:
        return shipment.state
    error = outcome.error_for(1)
    if error or outcome.status != "DONE":
        _set(shipment, ShipmentState.FAILED, f"Amazon refused: {error}", "feed")
    else:
        _confirmed(shipment, timezone.now())
    return shipment.state


def process_due(now=None, config=None) -> dict:
    """Beat's pass: send due retries, end tracking waits, read fulfilment feed outcomes."""
    now = now or timezone.now()
    config = config or conf.load()
    counts = {"sent": 0, "released": 0, "checked": 0}
    waiting = AmazonShipment.objects.filter(
        state=ShipmentState.WAITING_FOR_TRACKING, wait_for_tracking_until__lte=now
    ).select_related("fulfillment__order")
    for shipment in waiting:
        if shipment.fulfillment is None:
            continue
        if shipment.error and not config.confirm_without_tracking:
            continue  # already told staff; nothing changes until tracking arrives
        record_fulfillment(shipment.fulfillment, config, now=now)
        counts["released"] += 1
    due = AmazonShipment.objects.filter(state=ShipmentState.PENDING).exclude(next_retry_at__gt=now)
    for shipment_id in due.values_list("pk", flat=True):
        send_shipment(shipment_id, now=now)
        counts["sent"] += 1
    for shipment in AmazonShipment.objects.filter(
        state=ShipmentState.SUBMITTED, feed__isnull=False
    ).select_related("feed", "amazon_order__account"):
        try:
            check_submitted(shipment)
        except spapi.SPAPIError as exc:
            logger.warning("Could not read the outcome of %s: %s", shipment, exc)
        counts["checked"] += 1
    return counts


def retry_shipment(shipment: AmazonShipment) -> AmazonShipment:
    """Staff's retry of a failed shipment (after fixing its cause): record and send again."""
    if shipment.state != ShipmentState.FAILED or shipment.fulfillment is None:
        return shipment
    AmazonShipment.objects.filter(pk=shipment.pk).update(
        state=ShipmentState.PENDING, items=[], attempts=0, next_retry_at=None, error=""
    )
    return record_fulfillment(shipment.fulfillment) or shipment


def open_shipments(amazon: AmazonOrder):
    return amazon.shipments.filter(state__in=SHIPMENT_OPEN)
