"""Cancelling Amazon orders (or some of their items) when staff cancel them in Saleor.

Amazon learns it through the order acknowledgement feed (``POST_ORDER_ACKNOWLEDGEMENT_DATA``,
``StatusCode`` Failure, ``CancelReason`` per item). Amazon cancellations cannot be undone,
so nothing is sent when any unit of the order was shipped (in Saleor, confirmed to Amazon,
or reported shipped by Amazon): a refusal is recorded telling staff to use a return.

Nothing is sent either when Amazon itself cancelled the order (the Saleor cancellation is
the import following Amazon), or for orders Amazon fulfils (FBA).

Pending cancellations and acknowledgements of an account travel together in one feed
(:func:`submit_pending`); :func:`check_submitted` stores Amazon's verdict per message.
"""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import conf, spapi
from ..models import AmazonOrder, FulfilledBy
from ..models import FulfillmentStatus as AmazonStatus
from . import feeds
from .models import (
    AmazonAcknowledgement,
    AmazonCancellation,
    AmazonShipment,
    FeedRecordState,
    ShipmentState,
)
from .shipments import CLIENT_OPTIONS, amazon_order_for

logger = logging.getLogger(__name__)

RETRY_BASE = timedelta(minutes=2)
RETRY_MAX = timedelta(hours=2)
MAX_ATTEMPTS = 10
SHIPPED_REFUSAL = (
    "Not cancelled on Amazon: {what} already shipped. Amazon cancellations cannot be undone "
    "and a shipped order cannot be cancelled; use a return (refund) instead."
)


def _shipped_units(amazon: AmazonOrder) -> int:
    saleor_units = 0
    if amazon.saleor_order_id:
        saleor_units = sum(amazon.saleor_order.lines.values_list("quantity_fulfilled", flat=True))
    amazon_units = sum(amazon.items.values_list("quantity_shipped", flat=True))
    confirmed = AmazonShipment.objects.filter(
        amazon_order=amazon, state__in=[ShipmentState.CONFIRMED, ShipmentState.SUBMITTED]
    ).exists()
    return max(saleor_units, amazon_units, 1 if confirmed else 0)


def _skip_reason(amazon: AmazonOrder) -> str:
    if amazon.fulfilled_by == FulfilledBy.AMAZON:
        return "Amazon fulfils this order (FBA): it cannot be cancelled by the seller here."
    return ""


def _record(amazon, key, items, reason, state, message="") -> AmazonCancellation:
    try:
        with transaction.atomic():
            return AmazonCancellation.objects.create(
                amazon_order=amazon,
                key=key,
                items=items,
                reason=reason,
                state=state,
                message=message,
            )
    except IntegrityError:
        return AmazonCancellation.objects.get(amazon_order=amazon, key=key)


def cancel_order(order, config=None) -> AmazonCancellation | None:
    """Saleor cancelled ``order``: cancel its Amazon order, or record why not."""
    amazon = amazon_order_for(order)
    if amazon is None or amazon.status == AmazonStatus.CANCELLED:
        return None
    config = config or conf.load()
    reason = config.cancel_reason
    items = [
        {"orderItemId": item_id, "reason": reason}
        for item_id in amazon.items.order_by("pk").values_list("order_item_id", flat=True)
    ]
    skip = _skip_reason(amazon)
    if skip:
        return _record(amazon, "order", items, reason, FeedRecordState.SKIPPED, skip)
    shipped = _shipped_units(amazon)
    if shipped:
        message = SHIPPED_REFUSAL.format(what=f"{shipped} unit(s) of this order were")
        return _record(amazon, "order", items, reason, FeedRecordState.REFUSED, message)
    cancellation = _record(amazon, "order", items, reason, FeedRecordState.PENDING)
    if cancellation.state == FeedRecordState.PENDING:
        queue_submit(amazon)
    return cancellation


def cancel_removed_lines(order, config=None) -> AmazonCancellation | None:
    """Amazon items whose Saleor line was removed from ``order``: cancel those items."""
    amazon = amazon_order_for(order)
    if amazon is None or amazon.status == AmazonStatus.CANCELLED or not amazon.saleor_order_id:
        return None
    if amazon.fulfilled_by == FulfilledBy.AMAZON:
        return None
    removed = list(
        amazon.items.filter(order_line__isnull=True, variant__isnull=False).order_by("pk")
    )
    already = {
        item["orderItemId"]
        for c in amazon.cancellations.all()
        for item in c.items
        if c.state != FeedRecordState.FAILED
    }
    removed = [item for item in removed if item.order_item_id not in already]
    if not removed:
        return None
    config = config or conf.load()
    reason = config.cancel_reason
    items = [{"orderItemId": i.order_item_id, "reason": reason} for i in removed]
    key = "items:" + ",".join(i.order_item_id for i in removed)
    shipped = [i for i in removed if i.quantity_shipped]
    if shipped:
        what = ", ".join(f"item {i.order_item_id}" for i in shipped) + " was"
        message = SHIPPED_REFUSAL.format(what=what)
        return _record(amazon, key, items, reason, FeedRecordState.REFUSED, message)
    cancellation = _record(amazon, key, items, reason, FeedRecordState.PENDING)
    if cancellation.state == FeedRecordState.PENDING:
        queue_submit(amazon)
    return cancellation


def queue_submit(amazon: AmazonOrder):
    from ..tasks.fulfillment import submit_order_feeds_task

    account_id = amazon.account_id
    if account_id:
        transaction.on_commit(lambda: submit_order_feeds_task.delay(account_id))


def _cancel_message(cancellation: AmazonCancellation):
    amazon = cancellation.amazon_order
    items = [
        feeds.element(
            "Item",
            ("AmazonOrderItemCode", item["orderItemId"]),
            ("CancelReason", item.get("reason") or cancellation.reason),
        )
        for item in cancellation.items
    ]
    return feeds.element(
        "OrderAcknowledgement",
        ("AmazonOrderID", amazon.amazon_order_id),
        ("StatusCode", "Failure"),
        *items,
    )


def _ack_message(ack: AmazonAcknowledgement):
    amazon = ack.amazon_order
    items = [
        feeds.element(
            "Item",
            ("AmazonOrderItemCode", item.order_item_id),
            ("MerchantOrderItemID", str(item.order_line_id) if item.order_line_id else None),
        )
        for item in amazon.items.order_by("pk")
    ]
    return feeds.element(
        "OrderAcknowledgement",
        ("AmazonOrderID", amazon.amazon_order_id),
        ("MerchantOrderID", ack.merchant_order_id),
        ("StatusCode", "Success"),
        *items,
    )


def _due(model, account_id, now):
    return list(
        model.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(amazon_order__account_id=account_id, state=FeedRecordState.PENDING)
        .exclude(next_retry_at__gt=now)
        .select_related("amazon_order__account")
        .order_by("pk")
    )


def submit_pending(account, client=None, now=None) -> int:
    """One acknowledgement feed with every due cancellation and acknowledgement of
    ``account``; the number of messages sent."""
    now = now or timezone.now()
    with transaction.atomic():
        records = _due(AmazonCancellation, account.pk, now) + _due(
            AmazonAcknowledgement, account.pk, now
        )
        if not records:
            return 0
        messages = [
            _cancel_message(r) if isinstance(r, AmazonCancellation) else _ack_message(r)
            for r in records
        ]
        marketplace_ids = sorted({r.amazon_order.amazon_marketplace_id for r in records})
        content = feeds.envelope(account.seller_id, "OrderAcknowledgement", messages)
        try:
            client = client or spapi.client_for_account(account, **CLIENT_OPTIONS)
            feed = feeds.submit(
                client,
                account,
                feeds.ACKNOWLEDGEMENT,
                marketplace_ids,
                content,
                feeds.XML,
                messages_total=len(messages),
            )
        except spapi.RetryableError as exc:
            for record in records:
                _retry(record, str(exc), now)
            return 0
        except (spapi.SPAPIError, conf.ConfigurationError) as exc:
            for record in records:
                _fail(record, f"Amazon refused the feed: {exc}")
            return 0
        for number, record in enumerate(records, start=1):
            record.feed = feed
            record.state = FeedRecordState.SUBMITTED
            record.attempts += 1
            # Remember which message is whose, to store Amazon's verdict on it.
            record.message = f"Sent as message {number} of feed {feed.amazon_feed_id}."
            record.save()
        return len(records)


def _retry(record, error, now):
    record.attempts += 1
    if record.attempts >= MAX_ATTEMPTS:
        _fail(record, f"Gave up after {record.attempts} attempts; last error: {error}")
        return
    record.next_retry_at = now + min(RETRY_BASE * (2 ** (record.attempts - 1)), RETRY_MAX)
    record.message = f"Retrying: {error}"
    record.save()


def _fail(record, message):
    record.state = FeedRecordState.FAILED
    record.message = message
    record.save()


def _message_number(record) -> int:
    text = record.message.removeprefix("Sent as message ")
    number = text.split(" ", 1)[0]
    return int(number) if number.isdigit() else 0


def check_submitted(client_for=None) -> int:
    """Store Amazon's verdict on submitted cancellations and acknowledgements."""
    client_for = client_for or (lambda a: spapi.client_for_account(a, **CLIENT_OPTIONS))
    clients = {}
    finished = 0
    for model in (AmazonCancellation, AmazonAcknowledgement):
        submitted = model.objects.filter(
            state=FeedRecordState.SUBMITTED, feed__isnull=False
        ).select_related("feed__account", "amazon_order")
        for record in submitted:
            account = record.feed.account
            try:
                if account.pk not in clients:
                    clients[account.pk] = client_for(account)
                outcome = feeds.check(clients[account.pk], record.feed)
            except (spapi.SPAPIError, conf.ConfigurationError) as exc:
                logger.warning("Could not read the outcome of %s: %s", record, exc)
                continue
            if not outcome.done:
                continue
            error = outcome.error_for(_message_number(record))
            if error or outcome.status != "DONE":
                _fail(record, f"Amazon refused: {error or outcome.status}")
            else:
                record.state = FeedRecordState.DONE
                record.message = f"Accepted by Amazon (feed {record.feed.amazon_feed_id})."
                record.save()
            finished += 1
    return finished
