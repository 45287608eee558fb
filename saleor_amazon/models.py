"""Amazon concepts as Django models: one model per concept."""

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
