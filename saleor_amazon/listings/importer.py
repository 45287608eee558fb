"""amazonListingsImport: read the seller's listings on a marketplace and bind them to Saleor.

Each listing is linked to the variant with the same SKU (an offer, marked live with the
price and quantity Amazon shows, so the diff sync corrects only what differs). With
``create_missing``, a product is created for each unknown SKU: the marketplace settings'
``import_product_type`` and ``import_category``, the marketplace's channel, Amazon's title
(UTF-8 as Amazon gives it), Amazon's price, and Amazon's quantity as stock in the
marketplace's default warehouse; no barcode (Amazon does not give it). Inactive listings
(not BUYABLE) are skipped unless ``include_inactive``.
"""

import logging
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from saleor.core.utils import generate_unique_slug
from saleor.product.models import (
    Category,
    Product,
    ProductChannelListing,
    ProductType,
    ProductVariant,
    ProductVariantChannelListing,
)
from saleor.warehouse.models import Stock

from ..accounts.errors import AmazonErrorCode
from ..models import AmazonOffer, OfferSyncState
from ..spapi import client_for_account
from . import options as listing_options

logger = logging.getLogger(__name__)

INCLUDED = ["summaries", "offers", "fulfillmentAvailability"]
PAGE_SIZE = 20

CREATED, LINKED, SKIPPED = "created", "linked", "skipped"


@dataclass
class ImportLine:
    sku: str
    action: str
    reason: str = ""
    title: str = ""


@dataclass
class ImportReport:
    lines: list[ImportLine] = field(default_factory=list)

    def count(self, action):
        return sum(1 for line in self.lines if line.action == action)

    @property
    def created(self):
        return self.count(CREATED)

    @property
    def linked(self):
        return self.count(LINKED)

    @property
    def skipped(self):
        return self.count(SKIPPED)


@dataclass
class Listing:
    sku: str
    asin: str
    title: str
    condition: str
    active: bool
    price: Decimal | None
    quantity: int | None


def parse(item, marketplace_id) -> Listing:
    summary = next(
        (s for s in item.get("summaries") or [] if s.get("marketplaceId") == marketplace_id),
        (item.get("summaries") or [{}])[0],
    )
    price = None
    for offer in item.get("offers") or []:
        if (
            offer.get("marketplaceId", marketplace_id) == marketplace_id
            and offer.get("offerType", "B2C") == "B2C"
        ):
            try:
                price = Decimal(str(offer["price"]["amount"]))
            except (KeyError, TypeError, InvalidOperation):
                price = None
            break
    quantity = None
    for availability in item.get("fulfillmentAvailability") or []:
        if availability.get("fulfillmentChannelCode") == "DEFAULT":
            quantity = availability.get("quantity")
    return Listing(
        sku=item["sku"],
        asin=summary.get("asin") or "",
        title=summary.get("itemName") or "",
        condition=summary.get("conditionType") or "new_new",
        active="BUYABLE" in (summary.get("status") or []),
        price=price,
        quantity=quantity if isinstance(quantity, int) else None,
    )


def _creation_targets(marketplace, options):
    errors = {}
    if marketplace.channel_id is None:
        errors["marketplace"] = ValidationError(
            "Map the marketplace to a Saleor channel before creating products.",
            code=AmazonErrorCode.REQUIRED.value,
        )
    product_type = ProductType.objects.filter(pk=options.import_product_type).first()
    category = Category.objects.filter(pk=options.import_category).first()
    if product_type is None:
        errors["createMissing"] = ValidationError(
            "Set the marketplace's import_product_type (a Saleor product type) to create products.",
            code=AmazonErrorCode.REQUIRED.value,
        )
    elif category is None:
        errors["createMissing"] = ValidationError(
            "Set the marketplace's import_category (a Saleor category) to create products.",
            code=AmazonErrorCode.REQUIRED.value,
        )
    if errors:
        raise ValidationError(errors)
    return product_type, category


def _create_product(listing, marketplace, product_type, category) -> ProductVariant:
    name = (listing.title or listing.sku)[:250]
    product = Product(
        name=name, product_type=product_type, category=category, search_index_dirty=True
    )
    product.slug = generate_unique_slug(product, name)
    product.save()
    variant = ProductVariant.objects.create(product=product, sku=listing.sku, name="")
    channel = marketplace.channel
    ProductChannelListing.objects.create(
        product=product,
        channel=channel,
        currency=channel.currency_code,
        is_published=False,
        discounted_price_amount=listing.price,
    )
    if listing.price is not None:
        ProductVariantChannelListing.objects.create(
            variant=variant,
            channel=channel,
            currency=channel.currency_code,
            price_amount=listing.price,
            discounted_price_amount=listing.price,
        )
    if marketplace.default_warehouse_id and listing.quantity is not None:
        Stock.objects.create(
            warehouse_id=marketplace.default_warehouse_id,
            product_variant=variant,
            quantity=max(0, listing.quantity),
        )
    return variant


def _link(listing, marketplace, variant):
    AmazonOffer.objects.update_or_create(
        account_id=marketplace.account_id,
        marketplace=marketplace,
        seller_sku=listing.sku,
        defaults={
            "variant": variant,
            "asin": listing.asin,
            "condition": listing.condition,
            "sync_state": OfferSyncState.LIVE,
            "last_sent_price": listing.price,
            "last_sent_quantity": listing.quantity if listing.quantity is not None else 0,
            "last_sent_at": timezone.now(),
            "last_issues": [],
        },
    )


def import_listings(
    marketplace, *, create_missing=False, include_inactive=False, client=None
) -> ImportReport:
    options = listing_options.for_marketplace(marketplace)
    targets = _creation_targets(marketplace, options) if create_missing else None
    client = client or client_for_account(marketplace.account)
    report = ImportReport()
    linked_skus = set(
        AmazonOffer.objects.filter(marketplace=marketplace, variant__isnull=False).values_list(
            "seller_sku", flat=True
        )
    )
    pages = client.iter_listings(
        [marketplace.marketplace_id], includedData=INCLUDED, pageSize=PAGE_SIZE
    )
    for page in pages:
        listings = [parse(item, marketplace.marketplace_id) for item in page.items]
        variants = {
            v.sku: v
            for v in ProductVariant.objects.filter(sku__in=[listing.sku for listing in listings])
        }
        for listing in listings:
            report.lines.append(
                _import_one(listing, marketplace, variants, linked_skus, targets, include_inactive)
            )
    return report


def _import_one(listing, marketplace, variants, linked_skus, targets, include_inactive):
    line = ImportLine(sku=listing.sku, action=SKIPPED, title=listing.title)
    if not listing.active and not include_inactive:
        line.reason = "Inactive on Amazon (includeInactive not set)."
        return line
    if listing.sku in linked_skus:
        line.reason = "Already linked to a variant."
        return line
    variant = variants.get(listing.sku)
    with transaction.atomic():
        if variant is not None:
            line.action = LINKED
        elif targets is not None:
            variant = _create_product(listing, marketplace, *targets)
            line.action = CREATED
        else:
            line.reason = "No Saleor variant has this SKU (createMissing not set)."
            return line
        _link(listing, marketplace, variant)
    linked_skus.add(listing.sku)
    return line
