"""Configure an account's marketplaces: activation, channel mapping and import policies."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import AmazonMarketplace, CustomerPolicy, UnmatchedLinePolicy
from .errors import AmazonErrorCode

# Amazon's ``fulfillment.fulfillmentServiceLevel`` values (Orders API 2026-01-01).
SERVICE_LEVELS = (
    "STANDARD",
    "EXPEDITED",
    "PRIORITY",
    "SAME_DAY",
    "NEXT_DAY",
    "SECOND_DAY",
    "SCHEDULED",
    "FREE_ECONOMY",
)
# Key of ``AmazonMarketplace.shipping_methods`` used when a level has no own entry.
DEFAULT_SERVICE_LEVEL = "*"

EDITABLE_FIELDS = (
    "is_active",
    "channel",
    "default_warehouse",
    "import_orders",
    "import_since",
    "unmatched_line_policy",
    "placeholder_variant",
    "customer_policy",
    "prices_include_tax",
    "shipping_methods",
)


def _error(field: str, message: str, code: AmazonErrorCode) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code.value)})


def shipping_method_for(marketplace: AmazonMarketplace, service_level: str) -> int | None:
    """The Saleor shipping method id mapped to an Amazon service level (or the default)."""
    methods = marketplace.shipping_methods or {}
    return methods.get(service_level) or methods.get(DEFAULT_SERVICE_LEVEL)


def update_marketplace(marketplace: AmazonMarketplace, changes: dict) -> AmazonMarketplace:
    """Apply ``changes`` (model field -> value; Saleor objects as instances) after checks.

    ``shipping_methods`` is a dict of Amazon service level (or ``"*"``) to a Saleor
    ``ShippingMethod`` or ``None`` (removes the entry); it is merged into the mapping.
    Raises ``ValidationError`` with codes from ``AmazonErrorCode``; nothing is saved then.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    shipping_methods = changes.pop("shipping_methods", None)
    for field, value in changes.items():
        setattr(marketplace, field, value)
    if shipping_methods is not None:
        mapping = dict(marketplace.shipping_methods or {})
        for level, method in shipping_methods.items():
            if method is None:
                mapping.pop(level, None)
            else:
                mapping[level] = method
        marketplace.shipping_methods = mapping
    _validate(marketplace)
    if marketplace.shipping_methods:
        marketplace.shipping_methods = {
            level: getattr(method, "pk", method)
            for level, method in marketplace.shipping_methods.items()
        }
    with transaction.atomic():
        marketplace.save()
    return marketplace


def _validate(marketplace: AmazonMarketplace):
    errors: dict[str, list[ValidationError]] = {}

    def add(field, message, code):
        errors.setdefault(field, []).append(ValidationError(message, code=code.value))

    channel = marketplace.channel
    if channel is not None and channel.currency_code != marketplace.currency:
        add(
            "channel",
            f"Channel {channel.slug} uses {channel.currency_code}, but Amazon "
            f"{marketplace.code} sells in {marketplace.currency}; choose a channel in "
            f"{marketplace.currency}.",
            AmazonErrorCode.CURRENCY_MISMATCH,
        )
    if marketplace.is_active and channel is None:
        add(
            "channel",
            f"Map Amazon {marketplace.code} to a Saleor channel before activating it.",
            AmazonErrorCode.REQUIRED,
        )
    warehouse = marketplace.default_warehouse
    if (
        warehouse is not None
        and channel is not None
        and not warehouse.channels.filter(pk=channel.pk).exists()
    ):
        add(
            "defaultWarehouse",
            f"Warehouse {warehouse.name} is not assigned to channel {channel.slug}.",
            AmazonErrorCode.INVALID,
        )
    if (
        marketplace.unmatched_line_policy == UnmatchedLinePolicy.PLACEHOLDER
        and marketplace.placeholder_variant is None
    ):
        add(
            "placeholderVariant",
            "The placeholder policy needs a placeholder variant for unmatched lines.",
            AmazonErrorCode.REQUIRED,
        )
    if marketplace.unmatched_line_policy not in UnmatchedLinePolicy.values:
        add("unmatchedLinePolicy", "Unknown unmatched-line policy.", AmazonErrorCode.INVALID)
    if marketplace.customer_policy not in CustomerPolicy.values:
        add("customerPolicy", "Unknown customer policy.", AmazonErrorCode.INVALID)
    since = marketplace.import_since
    if isinstance(since, datetime) and since > timezone.now():
        add(
            "importSince", "The import start date cannot be in the future.", AmazonErrorCode.INVALID
        )
    _validate_shipping_methods(marketplace, add)
    if errors:
        raise ValidationError(errors)


def _validate_shipping_methods(marketplace: AmazonMarketplace, add):
    from saleor.shipping.models import ShippingMethod

    for level, method in (marketplace.shipping_methods or {}).items():
        if level != DEFAULT_SERVICE_LEVEL and level not in SERVICE_LEVELS:
            add(
                "shippingMethods",
                f"Unknown Amazon service level {level!r}.",
                AmazonErrorCode.INVALID,
            )
            continue
        if not isinstance(method, ShippingMethod):
            method = ShippingMethod.objects.filter(pk=method).first()
            if method is None:
                add(
                    "shippingMethods",
                    f"The shipping method for {level} no longer exists.",
                    AmazonErrorCode.NOT_FOUND,
                )
                continue
        channel = marketplace.channel
        if channel is not None and not method.channel_listings.filter(channel=channel).exists():
            add(
                "shippingMethods",
                f"Shipping method {method.name} is not available in channel {channel.slug}.",
                AmazonErrorCode.INVALID,
            )
