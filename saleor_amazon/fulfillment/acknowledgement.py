"""Acknowledging converted orders to Amazon (plugin option, off by default).

Once an Amazon order is a Saleor order, it is acknowledged with ``StatusCode`` Success and
the Saleor order number as ``MerchantOrderID`` (each item with its Saleor line id). Beat
finds the orders to acknowledge (:func:`queue_new`); the messages travel in the account's
acknowledgement feed with any pending cancellations (see :mod:`.cancellation`).
"""

from django.db import IntegrityError, transaction

from .. import conf
from ..models import AmazonOrder, FulfilledBy, ProcessingState
from ..models import FulfillmentStatus as AmazonStatus
from .models import AmazonAcknowledgement


def acknowledge(amazon: AmazonOrder) -> AmazonAcknowledgement | None:
    """Record the acknowledgement of one converted merchant-fulfilled order (once)."""
    if not amazon.saleor_order_id or amazon.fulfilled_by == FulfilledBy.AMAZON:
        return None
    try:
        with transaction.atomic():
            return AmazonAcknowledgement.objects.create(
                amazon_order=amazon, merchant_order_id=str(amazon.saleor_order.number)
            )
    except IntegrityError:
        return AmazonAcknowledgement.objects.get(amazon_order=amazon)


def queue_new(config=None, limit=1000) -> list[int]:
    """Acknowledgements for converted orders not yet acknowledged; the accounts to
    submit for. Nothing when the option is off."""
    config = config or conf.load()
    if not config.acknowledge_orders:
        return []
    orders = (
        AmazonOrder.objects.filter(
            state=ProcessingState.PROCESSED,
            saleor_order__isnull=False,
            acknowledgement__isnull=True,
            fulfilled_by=FulfilledBy.MERCHANT,
            # Shipped or cancelled orders need no acknowledgement any more.
            status=AmazonStatus.UNSHIPPED,
            account__isnull=False,
        )
        .select_related("saleor_order")
        .order_by("pk")[:limit]
    )
    accounts = set()
    for amazon in orders:
        if acknowledge(amazon):
            accounts.add(amazon.account_id)
    return sorted(accounts)
