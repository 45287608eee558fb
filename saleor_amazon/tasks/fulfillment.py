"""Tasks that report fulfilments, cancellations, acknowledgements and invoices to Amazon.

Hooks queue :func:`send_shipment_task`, :func:`submit_order_feeds_task` and
:func:`upload_invoice_task` after Saleor's commit; beat runs :func:`process_fulfillment_task`
every minute for retries with backoff, the end of tracking-number waits, order
acknowledgements (when enabled) and the outcome of submitted feeds.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from .. import conf
from ..fulfillment import acknowledgement, cancellation, invoices, shipments
from ..fulfillment.models import AmazonWebhookDelivery
from ..fulfillment.webhooks import REPLAY_WINDOW
from ..models import AmazonAccount
from .orders import writes

logger = logging.getLogger(__name__)

BEAT_SCHEDULE = {
    "saleor-amazon-process-fulfillment": {
        "task": "saleor_amazon.tasks.fulfillment.process_fulfillment_task",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 55},
    },
}


@shared_task(ignore_result=True)
@writes
def send_shipment_task(shipment_id):
    return shipments.send_shipment(shipment_id)


@shared_task(ignore_result=True)
@writes
def submit_order_feeds_task(account_id):
    account = AmazonAccount.objects.filter(pk=account_id).first()
    if account is None:
        return 0
    return cancellation.submit_pending(account)


@shared_task(ignore_result=True)
@writes
def upload_invoice_task(upload_id):
    return invoices.upload_invoice(upload_id)


@shared_task(ignore_result=True)
@writes
def process_fulfillment_task():
    config = conf.load()
    if not config.active:
        return None
    result = {"shipments": shipments.process_due(config=config)}
    accounts = set(acknowledgement.queue_new(config))
    accounts.update(
        AmazonAccount.objects.filter(orders__cancellations__state="pending").values_list(
            "pk", flat=True
        )
    )
    accounts.update(
        AmazonAccount.objects.filter(orders__acknowledgement__state="pending").values_list(
            "pk", flat=True
        )
    )
    for account in AmazonAccount.objects.filter(pk__in=accounts):
        cancellation.submit_pending(account)
    result["order_feeds_checked"] = cancellation.check_submitted()
    result["invoices"] = invoices.process_due()
    AmazonWebhookDelivery.objects.filter(received_at__lt=timezone.now() - REPLAY_WINDOW).delete()
    return result
