"""Staff's "try again" for what could not be reported to Amazon.

Each function checks that a retry makes sense (raises :class:`NotRetryable` with a stable
code otherwise), puts the record back in the queue with its attempts reset, and queues the
work after the current transaction commits.
"""

from django.db import transaction
from django.utils import timezone

from . import cancellation, shipments
from .models import AmazonCancellation, AmazonInvoiceUpload, AmazonShipment, FeedRecordState
from .models import ShipmentState as S

RETRY_NOTE = "Retry requested by staff."


class NotRetryable(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def retry_shipment(shipment: AmazonShipment) -> AmazonShipment:
    """A failed shipment is rebuilt from its fulfilment and sent; a pending one waiting for
    its next retry is sent now."""
    if shipment.state in (S.CONFIRMED, S.SUBMITTED):
        raise NotRetryable("already_sent", "Amazon already has this shipment.")
    if shipment.state == S.SKIPPED:
        raise NotRetryable("not_sent", f"This shipment is not for Amazon: {shipment.error}")
    if shipment.state in (S.WAITING_FOR_APPROVAL, S.WAITING_FOR_TRACKING):
        raise NotRetryable(
            "waiting",
            "The shipment waits for its fulfilment's approval or tracking number: "
            "approve the fulfilment or add the tracking number.",
        )
    if shipment.fulfillment_id is None:
        raise NotRetryable("no_fulfillment", "The Saleor fulfilment of this shipment is gone.")
    if shipment.state == S.PENDING:
        AmazonShipment.objects.filter(pk=shipment.pk).update(
            next_retry_at=None, updated_at=timezone.now()
        )
        shipments.queue_send(shipment)
    else:
        shipments.retry_shipment(shipment)
    shipment.refresh_from_db()
    return shipment


def _requeue(record):
    if record.state in (FeedRecordState.DONE, FeedRecordState.SUBMITTED):
        raise NotRetryable("already_sent", "Amazon already has it.")
    if record.state in (FeedRecordState.REFUSED, FeedRecordState.SKIPPED):
        raise NotRetryable("not_sent", f"This is not sent to Amazon: {record.message}")
    record.state = FeedRecordState.PENDING
    record.attempts = 0
    record.next_retry_at = None
    record.message = RETRY_NOTE
    record.save()


def retry_cancellation(record: AmazonCancellation) -> AmazonCancellation:
    _requeue(record)
    cancellation.queue_submit(record.amazon_order)
    return record


def retry_invoice_upload(record: AmazonInvoiceUpload) -> AmazonInvoiceUpload:
    from ..tasks.fulfillment import upload_invoice_task

    if record.invoice_id is None:
        raise NotRetryable("no_invoice", "The Saleor invoice of this upload was deleted.")
    _requeue(record)
    upload_id = record.pk
    transaction.on_commit(lambda: upload_invoice_task.delay(upload_id))
    return record
