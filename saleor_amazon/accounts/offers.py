"""Link Saleor variants to Amazon seller SKUs (the offer binder used by line matching)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import AmazonMarketplace, AmazonOffer
from .errors import AmazonErrorCode

MAX_SKU_LENGTH = 40  # Amazon's limit for seller SKUs
ASIN_LENGTH = 10


def link_offer(*, variant, marketplace: AmazonMarketplace, seller_sku: str | None, asin=None):
    """Link ``variant`` to ``seller_sku`` on ``marketplace``; returns the offer.

    An existing offer for the SKU is re-linked (its overrides and sync state kept); the
    SKU defaults to the variant's SKU.
    """
    seller_sku = (seller_sku or variant.sku or "").strip()
    asin = (asin or "").strip().upper()
    errors = {}
    if not seller_sku:
        errors["sellerSku"] = ValidationError(
            "Give a seller SKU (the variant has no SKU to default to).",
            code=AmazonErrorCode.REQUIRED.value,
        )
    elif len(seller_sku) > MAX_SKU_LENGTH:
        errors["sellerSku"] = ValidationError(
            f"Amazon seller SKUs have at most {MAX_SKU_LENGTH} characters.",
            code=AmazonErrorCode.INVALID.value,
        )
    if asin and (len(asin) != ASIN_LENGTH or not asin.isalnum()):
        errors["asin"] = ValidationError(
            "An ASIN has 10 letters and digits.", code=AmazonErrorCode.INVALID.value
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # get_or_create copes with a concurrent link of the same SKU (unique constraint).
        offer, created = AmazonOffer.objects.select_for_update().get_or_create(
            account_id=marketplace.account_id,
            marketplace=marketplace,
            seller_sku=seller_sku,
            defaults={"variant": variant, "asin": asin},
        )
        if not created:
            offer.variant = variant
            if asin:
                offer.asin = asin
            offer.save(update_fields=["variant", "asin", "updated_at"])
    return offer


def unlink_offer(offer: AmazonOffer) -> AmazonOffer:
    """Detach the variant; the offer (SKU, ASIN, Amazon state) stays for re-linking."""
    offer.variant = None
    offer.save(update_fields=["variant", "updated_at"])
    return offer
