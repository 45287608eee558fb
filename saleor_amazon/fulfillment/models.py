"""What the shop reported back to Amazon about an order, and Amazon's verdict.

- :class:`AmazonShipment`: one per Saleor fulfilment of an Amazon order (one package).
- :class:`AmazonCancellation`: a cancellation of an order or of some of its items, or a
  refusal to cancel (something was shipped already).
- :class:`AmazonAcknowledgement`: the optional acknowledgement of a converted order.
- :class:`AmazonInvoiceUpload`: an invoice sent to Amazon (invoice upload feed).
- :class:`AmazonWebhookDelivery`: signed Saleor webhook deliveries already handled
  (replay protection).
"""

from django.db import models
from django.utils import timezone

from ..models import AmazonFeed, AmazonOrder


class ShipmentState(models.TextChoices):
    WAITING_FOR_APPROVAL = "waiting_for_approval", "Waiting for the fulfilment's approval"
    WAITING_FOR_TRACKING = "waiting_for_tracking", "Waiting for a tracking number"
    PENDING = "pending", "Pending (queued or retrying)"
    SUBMITTED = "submitted", "Submitted in a feed (no tracking number)"
    CONFIRMED = "confirmed", "Confirmed by Amazon"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Not sent"


SHIPMENT_OPEN = (
    ShipmentState.WAITING_FOR_APPROVAL,
    ShipmentState.WAITING_FOR_TRACKING,
    ShipmentState.PENDING,
    ShipmentState.SUBMITTED,
)


class AmazonShipment(models.Model):
    """A Saleor fulfilment reported to Amazon as one package (Orders v0 confirmShipment).

    ``package_reference_id`` never changes for a fulfilment, and there is at most one
    record per fulfilment: retried or duplicated events confirm once.
    """

    amazon_order = models.ForeignKey(
        AmazonOrder, related_name="shipments", on_delete=models.CASCADE
    )
    fulfillment = models.OneToOneField(
        "order.Fulfillment",
        related_name="amazon_shipment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    package_reference_id = models.CharField(max_length=64)
    # [{"orderItemId": "...", "quantity": 2}]
    items = models.JSONField(default=list, blank=True)
    tracking_number = models.CharField(max_length=255, blank=True, default="")
    carrier_code = models.CharField(max_length=64, blank=True, default="")
    carrier_name = models.CharField(max_length=255, blank=True, default="")
    shipping_method = models.CharField(max_length=255, blank=True, default="")
    ship_date = models.DateTimeField(null=True, blank=True)
    state = models.CharField(
        max_length=24, choices=ShipmentState.choices, default=ShipmentState.PENDING
    )
    # Amazon's (or our) reason when the shipment failed, was skipped or is retrying.
    error = models.TextField(blank=True, default="")
    error_code = models.CharField(max_length=64, blank=True, default="")
    # Something staff should know that does not change the state (e.g. tracking
    # changed after confirmation).
    notice = models.TextField(blank=True, default="")
    attempts = models.PositiveIntegerField(default=0)
    next_retry_at = models.DateTimeField(null=True, blank=True)
    wait_for_tracking_until = models.DateTimeField(null=True, blank=True)
    feed = models.ForeignKey(
        AmazonFeed, related_name="+", null=True, blank=True, on_delete=models.SET_NULL
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(
                fields=["amazon_order", "package_reference_id"],
                name="saleor_amazon_shipment_order_package",
            )
        ]
        indexes = [models.Index(fields=["state", "next_retry_at"], name="amz_shipment_due")]

    def __str__(self):
        return f"package {self.package_reference_id} of {self.amazon_order_id} ({self.state})"


class FeedRecordState(models.TextChoices):
    PENDING = "pending", "Pending"
    SUBMITTED = "submitted", "Submitted, waiting for Amazon's report"
    DONE = "done", "Accepted by Amazon"
    FAILED = "failed", "Failed"
    REFUSED = "refused", "Refused (not sent to Amazon)"
    SKIPPED = "skipped", "Not sent"


class _FeedRecord(models.Model):
    """Something reported to Amazon through a feed; the feed's outcome lands here."""

    state = models.CharField(
        max_length=16, choices=FeedRecordState.choices, default=FeedRecordState.PENDING
    )
    message = models.TextField(blank=True, default="")
    attempts = models.PositiveIntegerField(default=0)
    next_retry_at = models.DateTimeField(null=True, blank=True)
    feed = models.ForeignKey(
        AmazonFeed, related_name="+", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ("pk",)


class AmazonCancellation(_FeedRecord):
    """Cancellation of items of an Amazon order (POST_ORDER_ACKNOWLEDGEMENT_DATA, Failure).

    ``key`` makes repeated events record one cancellation: ``order`` for the whole
    order, ``items:<ids>`` for lines removed from it.
    """

    amazon_order = models.ForeignKey(
        AmazonOrder, related_name="cancellations", on_delete=models.CASCADE
    )
    key = models.CharField(max_length=255)
    # [{"orderItemId": "...", "reason": "NoInventory"}]
    items = models.JSONField(default=list, blank=True)
    reason = models.CharField(max_length=64, blank=True, default="")

    class Meta(_FeedRecord.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["amazon_order", "key"], name="saleor_amazon_cancellation_order_key"
            )
        ]

    def __str__(self):
        return f"cancellation {self.key} of {self.amazon_order_id} ({self.state})"


class AmazonAcknowledgement(_FeedRecord):
    """The order acknowledged to Amazon with the Saleor order number (off by default)."""

    amazon_order = models.OneToOneField(
        AmazonOrder, related_name="acknowledgement", on_delete=models.CASCADE
    )
    merchant_order_id = models.CharField(max_length=64, blank=True, default="")

    def __str__(self):
        return f"acknowledgement of {self.amazon_order_id} ({self.state})"


class AmazonInvoiceUpload(_FeedRecord):
    """A Saleor invoice uploaded to Amazon (UPLOAD_VAT_INVOICE)."""

    amazon_order = models.ForeignKey(
        AmazonOrder, related_name="invoice_uploads", on_delete=models.CASCADE
    )
    invoice = models.OneToOneField(
        "invoice.Invoice",
        related_name="amazon_upload",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    invoice_number = models.CharField(max_length=255, blank=True, default="")

    def __str__(self):
        return f"invoice {self.invoice_number} of {self.amazon_order_id} ({self.state})"


class AmazonWebhookDelivery(models.Model):
    """A verified Saleor webhook delivery, kept for the replay window."""

    key = models.CharField(max_length=64, unique=True)
    event_type = models.CharField(max_length=64)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ("-received_at",)

    def __str__(self):
        return f"{self.event_type} {self.key[:12]}"


__all__ = [
    "SHIPMENT_OPEN",
    "AmazonAcknowledgement",
    "AmazonCancellation",
    "AmazonInvoiceUpload",
    "AmazonShipment",
    "AmazonWebhookDelivery",
    "FeedRecordState",
    "ShipmentState",
]
