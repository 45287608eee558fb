"""Amazon concepts as Django models: one model per concept."""

import json
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from . import regions
from .crypto import EncryptedTextField, mask


class AccountStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    AUTH_FAILED = "auth_failed", "Authorization revoked or invalid"
    DISABLED = "disabled", "Disabled"


class AmazonAccount(models.Model):
    """A seller account authorized for this application (one per seller and region)."""

    seller_id = models.CharField(max_length=64)
    name = models.CharField(max_length=255)
    region = models.CharField(
        max_length=2, choices=[(code, r.name) for code, r in regions.REGIONS.items()]
    )
    refresh_token = EncryptedTextField(blank=True, default="")
    status = models.CharField(
        max_length=32, choices=AccountStatus.choices, default=AccountStatus.ACTIVE
    )
    status_message = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(
                fields=["seller_id", "region"], name="saleor_amazon_account_seller_region"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.seller_id}, {self.region})"

    def __repr__(self):
        return (
            f"<AmazonAccount {self.pk} seller={self.seller_id} region={self.region} "
            f"token={mask(self.refresh_token)}>"
        )

    @property
    def masked_refresh_token(self) -> str:
        return mask(self.refresh_token)

    def mark_auth_failed(self, message: str):
        self.status = AccountStatus.AUTH_FAILED
        self.status_message = message[:2000]
        self.save(update_fields=["status", "status_message", "updated_at"])

    def touch(self):
        self.last_used_at = timezone.now()
        type(self).objects.filter(pk=self.pk).update(last_used_at=self.last_used_at)


class UnmatchedLinePolicy(models.TextChoices):
    HOLD = "hold", "Hold the order until every line is linked"
    PLACEHOLDER = "placeholder", "Use the placeholder variant"


class CustomerPolicy(models.TextChoices):
    GUEST = "guest", "Guest orders"
    ATTACH = "attach", "Attach to an existing customer when one matches"
    CREATE = "create", "Attach to a matching customer or create one"


class AmazonMarketplace(models.Model):
    """One Amazon marketplace of an account, mapped to a Saleor channel."""

    account = models.ForeignKey(
        AmazonAccount, related_name="marketplaces", on_delete=models.CASCADE
    )
    marketplace_id = models.CharField(max_length=32)
    country = models.CharField(max_length=2)
    currency = models.CharField(max_length=3)
    channel = models.ForeignKey(
        "channel.Channel",
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    is_active = models.BooleanField(default=False)
    import_orders = models.BooleanField(default=True)
    default_warehouse = models.ForeignKey(
        "warehouse.Warehouse",
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    prices_include_tax = models.BooleanField(default=True)
    # Orders purchased before this moment are not imported (None: from connection on).
    import_since = models.DateTimeField(null=True, blank=True)
    unmatched_line_policy = models.CharField(
        max_length=16, choices=UnmatchedLinePolicy.choices, default=UnmatchedLinePolicy.HOLD
    )
    placeholder_variant = models.ForeignKey(
        "product.ProductVariant",
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    customer_policy = models.CharField(
        max_length=16, choices=CustomerPolicy.choices, default=CustomerPolicy.GUEST
    )
    # Amazon shipping service level (e.g. "Std DE Dom", "Expedited") -> Saleor
    # shipping method id; key "*" is the default.
    shipping_methods = models.JSONField(default=dict, blank=True)
    # Per-marketplace settings that do not deserve a column (policies, mappings).
    settings = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(
                fields=["account", "marketplace_id"],
                name="saleor_amazon_marketplace_account_marketplace",
            )
        ]

    def __str__(self):
        info = self.info
        return f"{info.domain if info else self.marketplace_id} ({self.account.name})"

    @property
    def info(self) -> regions.MarketplaceInfo | None:
        return regions.marketplace(self.marketplace_id)

    @property
    def code(self) -> str:
        info = self.info
        return info.code if info else self.country

    def clean(self):
        if self.channel_id and self.channel.currency_code != self.currency:
            raise ValidationError(
                {
                    "channel": (
                        f"Channel {self.channel.slug} uses {self.channel.currency_code}, "
                        f"but Amazon {self.code} sells in {self.currency}."
                    )
                }
            )


MONEY = {"max_digits": 20, "decimal_places": 3}


def _money_field(**kwargs):
    return models.DecimalField(default=Decimal(0), **MONEY, **kwargs)


class FulfillmentStatus(models.TextChoices):
    """Amazon's ``fulfillment.fulfillmentStatus`` (Orders API 2026-01-01)."""

    PENDING_AVAILABILITY = "PENDING_AVAILABILITY", "Pending availability"
    PENDING = "PENDING", "Pending"
    UNSHIPPED = "UNSHIPPED", "Unshipped"
    PARTIALLY_SHIPPED = "PARTIALLY_SHIPPED", "Partially shipped"
    SHIPPED = "SHIPPED", "Shipped"
    CANCELLED = "CANCELLED", "Cancelled"
    UNFULFILLABLE = "UNFULFILLABLE", "Unfulfillable"


class FulfilledBy(models.TextChoices):
    MERCHANT = "MERCHANT", "Merchant (FBM)"
    AMAZON = "AMAZON", "Amazon (FBA)"


class ProcessingState(models.TextChoices):
    """Where an Amazon order stands on its way to becoming a Saleor order."""

    PENDING = "pending", "Waiting for Amazon (not yet convertible)"
    NEEDS_LINKING = "needs_linking", "Waiting for unmatched lines to be linked"
    FAILED = "failed", "Failed"
    PROCESSED = "processed", "Saleor order created"
    SKIPPED = "skipped", "Not converted (cancelled before conversion)"


# The two tabs of the Amazon order list.
TAB_TO_PROCESS = (ProcessingState.PENDING, ProcessingState.NEEDS_LINKING, ProcessingState.FAILED)
TAB_PROCESSED = (ProcessingState.PROCESSED, ProcessingState.SKIPPED)


class AmazonOrder(models.Model):
    """An order as Amazon reports it, stored on every fetch, and its way to a Saleor order.

    Buyer data (name, e-mail, address) and the raw payload are encrypted at rest and
    purged the configured number of days after ``retention_from``; the Saleor order is then
    anonymised (``saleor_order_anonymized_at``, see :mod:`saleor_amazon.orders.privacy`).
    The account and marketplace links survive the
    removal of an account (orders are kept); ``amazon_marketplace_id`` keeps the
    marketplace's Amazon id in any case.
    """

    account = models.ForeignKey(
        AmazonAccount, related_name="orders", null=True, on_delete=models.SET_NULL
    )
    marketplace = models.ForeignKey(
        AmazonMarketplace, related_name="orders", null=True, on_delete=models.SET_NULL
    )
    # The seller's Amazon id: kept when the account is removed, so that a reconnected
    # account finds (and re-attaches) its orders instead of importing them again.
    seller_id = models.CharField(max_length=64)
    amazon_marketplace_id = models.CharField(max_length=32, blank=True, default="")
    amazon_order_id = models.CharField(max_length=64)
    status = models.CharField(max_length=32, choices=FulfillmentStatus.choices)
    fulfilled_by = models.CharField(
        max_length=16, choices=FulfilledBy.choices, default=FulfilledBy.MERCHANT
    )
    purchase_date = models.DateTimeField(null=True, blank=True)
    last_updated = models.DateTimeField(null=True, blank=True)
    total = _money_field()
    currency = models.CharField(max_length=3, blank=True, default="")
    # Which price convention the order was mapped under (VAT included vs tax on top).
    prices_include_tax = models.BooleanField(default=True)

    buyer_name = EncryptedTextField(blank=True, default="")
    buyer_email = EncryptedTextField(blank=True, default="")
    # JSON text of Amazon's recipient delivery address.
    shipping_address = EncryptedTextField(blank=True, default="")
    payment_method = models.CharField(max_length=64, blank=True, default="")
    delivery_method = models.CharField(max_length=128, blank=True, default="")
    service_level = models.CharField(max_length=64, blank=True, default="")
    # The Order object exactly as Amazon sent it (JSON text; holds PII).
    raw = EncryptedTextField(blank=True, default="")

    state = models.CharField(
        max_length=16, choices=ProcessingState.choices, default=ProcessingState.PENDING
    )
    state_reason = models.TextField(blank=True, default="")
    error_code = models.CharField(max_length=64, blank=True, default="")
    attempts = models.PositiveIntegerField(default=0)
    next_retry_at = models.DateTimeField(null=True, blank=True)

    saleor_order = models.OneToOneField(
        "order.Order",
        related_name="amazon_order",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    buyer_cancellation_requested = models.BooleanField(default=False)
    needs_attention = models.BooleanField(default=False)
    attention_reason = models.TextField(blank=True, default="")

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    # Where the buyer data retention period starts: the latest delivery date Amazon gave
    # when the order shipped, or the time it was cancelled (None: not yet).
    retention_from = models.DateTimeField(null=True, blank=True)
    pii_purged_at = models.DateTimeField(null=True, blank=True)
    # When the buyer's personal data was removed from the Saleor order.
    saleor_order_anonymized_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-purchase_date", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=["seller_id", "amazon_order_id"],
                name="saleor_amazon_order_seller_order_id",
            )
        ]
        indexes = [
            models.Index(fields=["state", "-purchase_date"], name="amz_order_state_date"),
            models.Index(fields=["marketplace", "-purchase_date"], name="amz_order_mkt_date"),
            models.Index(fields=["-purchase_date"], name="amz_order_date"),
            models.Index(fields=["amazon_order_id"], name="amz_order_amazon_id"),
            models.Index(fields=["state", "next_retry_at"], name="amz_order_retry"),
            # The buyer data still to purge, and the Saleor orders still to anonymise.
            models.Index(
                fields=["retention_from"],
                name="amz_order_pii_due",
                condition=models.Q(pii_purged_at__isnull=True, retention_from__isnull=False),
            ),
            models.Index(
                fields=["retention_from"],
                name="amz_order_anonymize_due",
                condition=models.Q(
                    saleor_order_anonymized_at__isnull=True,
                    saleor_order__isnull=False,
                    retention_from__isnull=False,
                ),
            ),
        ]

    def __str__(self):
        return f"Amazon order {self.amazon_order_id}"

    def __repr__(self):
        return (
            f"<AmazonOrder {self.pk} {self.amazon_order_id} {self.status} {self.state} "
            f"buyer={mask(self.buyer_email)}>"
        )

    @property
    def masked_buyer_email(self) -> str:
        return mask(self.buyer_email)

    @property
    def masked_buyer_name(self) -> str:
        return mask(self.buyer_name, visible=2)

    @property
    def payload(self) -> dict:
        return json.loads(self.raw) if self.raw else {}

    @payload.setter
    def payload(self, value: dict):
        self.raw = json.dumps(value, separators=(",", ":"), ensure_ascii=False)

    @property
    def address(self) -> dict:
        return json.loads(self.shipping_address) if self.shipping_address else {}

    @address.setter
    def address(self, value: dict | None):
        self.shipping_address = json.dumps(value, ensure_ascii=False) if value else ""

    @property
    def tab(self) -> str:
        return "processed" if self.state in TAB_PROCESSED else "to_process"


class AmazonOrderItem(models.Model):
    """One line of an Amazon order; money amounts are line totals as Amazon reports them."""

    order = models.ForeignKey(AmazonOrder, related_name="items", on_delete=models.CASCADE)
    order_item_id = models.CharField(max_length=64)
    asin = models.CharField(max_length=16, blank=True, default="")
    seller_sku = models.CharField(max_length=255, blank=True, default="")
    title = models.TextField(blank=True, default="")
    quantity_ordered = models.PositiveIntegerField(default=0)
    quantity_shipped = models.PositiveIntegerField(default=0)
    unit_price = _money_field()
    item_price = _money_field()
    item_tax = _money_field()
    shipping_price = _money_field()
    shipping_tax = _money_field()
    gift_wrap_price = _money_field()
    gift_wrap_tax = _money_field()
    # Positive amount the buyer saved (Amazon reports DISCOUNT breakdowns negative).
    promotion_discount = _money_field()
    promotion_discount_tax = _money_field()
    # Tax Amazon collects and remits itself (marketplace facilitator / IOSS).
    facilitator_tax = _money_field()
    buyer_cancellation_requested = models.BooleanField(default=False)
    buyer_cancel_reason = models.CharField(max_length=255, blank=True, default="")
    variant = models.ForeignKey(
        "product.ProductVariant",
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    order_line = models.ForeignKey(
        "order.OrderLine",
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(
                fields=["order", "order_item_id"], name="saleor_amazon_order_item_unique"
            )
        ]

    def __str__(self):
        return f"{self.seller_sku or self.asin} x{self.quantity_ordered}"


class FeedStatus(models.TextChoices):
    NEW = "new", "Being prepared"
    SUBMITTED = "submitted", "Submitted"
    IN_QUEUE = "IN_QUEUE", "In queue"
    IN_PROGRESS = "IN_PROGRESS", "In progress"
    DONE = "DONE", "Done"
    FATAL = "FATAL", "Fatal"
    CANCELLED = "CANCELLED", "Cancelled"
    ERROR = "error", "Not submitted (error)"


class AmazonFeed(models.Model):
    """A feed sent to Amazon (e.g. JSON_LISTINGS_FEED) and what Amazon made of it."""

    account = models.ForeignKey(AmazonAccount, related_name="feeds", on_delete=models.CASCADE)
    marketplace = models.ForeignKey(
        AmazonMarketplace,
        related_name="feeds",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    feed_type = models.CharField(max_length=64)
    amazon_feed_id = models.CharField(max_length=64, blank=True, default="")
    document_id = models.CharField(max_length=255, blank=True, default="")
    status = models.CharField(max_length=16, choices=FeedStatus.choices, default=FeedStatus.NEW)
    messages_total = models.PositiveIntegerField(default=0)
    messages_accepted = models.PositiveIntegerField(default=0)
    messages_invalid = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    processing_report = models.JSONField(null=True, blank=True)
    # What each message carried, to store Amazon's outcome on its offer:
    # [{messageId, sku, offer (pk), operation, price (str or null), quantity}].
    sent_messages = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        indexes = [models.Index(fields=["status", "-created_at"], name="amz_feed_status_date")]

    def __str__(self):
        return f"{self.feed_type} {self.amazon_feed_id or self.pk} ({self.status})"


class OfferSyncState(models.TextChoices):
    NOT_SENT = "not_sent", "Not sent"
    QUEUED = "queued", "Queued"
    SUBMITTED = "submitted", "Submitted in a feed"
    LIVE = "live", "Live"
    ERROR = "error", "Error"


class AmazonOffer(models.Model):
    """A Saleor variant listed as an offer on an Amazon marketplace (the SKU binder).

    Empty overrides (price, quantity, handling time) mean "use Saleor's values".
    Order lines are matched by (account, marketplace, seller SKU).
    """

    variant = models.ForeignKey(
        "product.ProductVariant",
        related_name="amazon_offers",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    account = models.ForeignKey(AmazonAccount, related_name="offers", on_delete=models.CASCADE)
    marketplace = models.ForeignKey(
        AmazonMarketplace, related_name="offers", on_delete=models.CASCADE
    )
    seller_sku = models.CharField(max_length=255)
    asin = models.CharField(max_length=16, blank=True, default="")
    condition = models.CharField(max_length=32, default="new_new")
    price = models.DecimalField(null=True, blank=True, **MONEY)
    quantity = models.IntegerField(null=True, blank=True)
    handling_time = models.PositiveIntegerField(null=True, blank=True)
    sync_state = models.CharField(
        max_length=16, choices=OfferSyncState.choices, default=OfferSyncState.NOT_SENT
    )
    feed = models.ForeignKey(
        AmazonFeed, related_name="offers", null=True, blank=True, on_delete=models.SET_NULL
    )
    # Amazon's issues from the last processing report: [{code, severity, message}].
    last_issues = models.JSONField(default=list, blank=True)
    last_sent_price = models.DecimalField(null=True, blank=True, **MONEY)
    last_sent_quantity = models.IntegerField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(
                fields=["account", "marketplace", "seller_sku"],
                name="saleor_amazon_offer_account_marketplace_sku",
            )
        ]
        indexes = [
            models.Index(fields=["marketplace", "sync_state"], name="amz_offer_mkt_state"),
        ]

    def __str__(self):
        return f"{self.seller_sku} on {self.marketplace_id}"


class AmazonImportCursor(models.Model):
    """How far orders of one account and marketplace have been imported.

    ``last_updated_before`` is Amazon's echoed ``lastUpdatedBefore`` of the last fully
    committed search: the next poll asks for orders updated after it, minus an overlap.
    ``checked_from`` is where that search started (how far back it read again);
    ``last_deep_check_at`` / ``deep_checked_from`` are the same for the last deep re-check.
    """

    account = models.ForeignKey(
        AmazonAccount, related_name="import_cursors", on_delete=models.CASCADE
    )
    marketplace = models.ForeignKey(
        AmazonMarketplace, related_name="import_cursors", on_delete=models.CASCADE
    )
    last_updated_before = models.DateTimeField(null=True, blank=True)
    checked_from = models.DateTimeField(null=True, blank=True)
    last_deep_check_at = models.DateTimeField(null=True, blank=True)
    deep_checked_from = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(
                fields=["account", "marketplace"], name="saleor_amazon_cursor_account_marketplace"
            )
        ]

    def __str__(self):
        return f"cursor {self.marketplace_id}: {self.last_updated_before}"


from .fulfillment.models import *  # noqa: E402,F403
