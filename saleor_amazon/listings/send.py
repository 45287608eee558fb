"""amazonProductsSend: offer Saleor variants on Amazon marketplaces.

:func:`queue` marks the offers as queued and hands the work to Celery; :func:`send_variants`
(run by the task) finds each offer's ASIN, computes its price and quantity, reports what
cannot be sent (no SKU, no barcode, no ASIN for the barcode, several ASINs, zero stock,
no price) on the offer, and submits the rest in JSON_LISTINGS_FEED documents. Amazon's own
verdict arrives later through :mod:`.results`.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from saleor.product.models import ProductVariant

from .. import bulk
from ..models import AmazonMarketplace, AmazonOffer, OfferSyncState
from ..spapi import client_for_account
from ..spapi.errors import SPAPIError
from . import asin as asins
from . import feed as feeds
from . import options as listing_options
from . import outcomes, pricing
from .submit import Entry, submit

logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    variant_id: int
    marketplace_id: int
    offer_id: int | None
    code: str  # outcomes.* or "SUBMITTED"
    message: str = ""


@dataclass
class SendReport:
    outcomes: list[Outcome] = field(default_factory=list)
    feeds: list = field(default_factory=list)

    def count(self, code):
        return sum(1 for o in self.outcomes if o.code == code)


def variant_ids_for(product_ids=(), variant_ids=()) -> list[int]:
    ids = set(variant_ids or ())
    if product_ids:
        ids.update(
            ProductVariant.objects.filter(product_id__in=list(product_ids)).values_list(
                "pk", flat=True
            )
        )
    return sorted(ids)


def ensure_offers(variant_ids, marketplace) -> tuple[list[AmazonOffer], list[int]]:
    """The offers of the variants on ``marketplace`` (created with the variant's SKU when
    missing) and the variants that cannot have one (no SKU, or their SKU is taken)."""
    existing = defaultdict(list)
    for offer in AmazonOffer.objects.filter(marketplace=marketplace, variant_id__in=variant_ids):
        existing[offer.variant_id].append(offer)
    missing = [v for v in variant_ids if v not in existing]
    skus = dict(ProductVariant.objects.filter(pk__in=missing).values_list("pk", "sku"))
    to_create = [
        AmazonOffer(
            variant_id=variant_id,
            account_id=marketplace.account_id,
            marketplace=marketplace,
            seller_sku=skus[variant_id].strip(),
        )
        for variant_id in missing
        if (skus.get(variant_id) or "").strip()
    ]
    AmazonOffer.objects.bulk_create(to_create, ignore_conflicts=True)
    created_skus = [o.seller_sku for o in to_create]
    for offer in AmazonOffer.objects.filter(marketplace=marketplace, seller_sku__in=created_skus):
        if offer.variant_id in missing:
            existing[offer.variant_id].append(offer)
    offers = [offer for variant_id in variant_ids for offer in existing.get(variant_id, [])]
    without = [v for v in variant_ids if v not in existing]
    return offers, without


def queue(variant_ids, marketplace_ids) -> list[int]:
    """Mark the offers queued and start the background send; returns the offer ids."""
    from ..tasks.listings import send_products_task

    offer_ids = []
    for marketplace in AmazonMarketplace.objects.filter(pk__in=marketplace_ids):
        offers, _ = ensure_offers(variant_ids, marketplace)
        offer_ids += [o.pk for o in offers]
    AmazonOffer.objects.filter(pk__in=offer_ids).update(
        sync_state=OfferSyncState.QUEUED, updated_at=timezone.now()
    )
    transaction.on_commit(
        lambda: send_products_task.delay(list(variant_ids), list(marketplace_ids))
    )
    return offer_ids


def _fail(offer, code, message, report, severity="ERROR"):
    offer.sync_state = OfferSyncState.ERROR
    offer.last_issues = [outcomes.issue(code, message, severity)]
    report.outcomes.append(Outcome(offer.variant_id, offer.marketplace_id, offer.pk, code, message))


def prepare(marketplace, offers, found, options, report) -> list[Entry]:
    """Offer messages for the offers that can be sent; the others get their outcome."""
    values = pricing.compute(marketplace, offers, options)
    entries = []
    for offer in offers:
        result = found[offer.pk]
        computed = values[offer.pk]
        if result.problem:
            _fail(offer, result.problem, result.message, report)
            continue
        offer.asin = result.asin
        if marketplace.channel_id is None and offer.price is None:
            _fail(offer, outcomes.NO_CHANNEL, "The marketplace has no Saleor channel.", report)
            continue
        if computed.price is None or computed.price <= 0:
            _fail(
                offer,
                outcomes.NO_PRICE,
                f"The variant has no price in channel {marketplace.channel_id} "
                "and the offer has no price override.",
                report,
            )
            continue
        if computed.quantity == 0 and not options.allow_zero_stock:
            _fail(
                offer,
                outcomes.ZERO_STOCK,
                "No stock available in the marketplace's warehouses; not sent "
                "(allow_zero_stock sends it with quantity 0).",
                report,
            )
            continue
        handling = offer.handling_time if offer.handling_time is not None else options.handling_time
        message = feeds.offer_message(
            0,
            sku=offer.seller_sku,
            asin=result.asin,
            condition=offer.condition or "new_new",
            price=computed.price,
            quantity=computed.quantity,
            handling_time=handling,
            marketplace_id=marketplace.marketplace_id,
            currency=marketplace.currency,
            product_type=options.product_type,
        )
        entries.append(
            Entry(offer.pk, offer.seller_sku, message, "send", computed.price, computed.quantity)
        )
        offer.last_issues = []
        report.outcomes.append(
            Outcome(offer.variant_id, marketplace.pk, offer.pk, "SUBMITTED", result.source)
        )
    return entries


def slices(offers, limit=None):
    """``offers`` in slices of at most one feed's messages: a slice's ASINs, values,
    messages and document are built, sent and dropped before the next one is built, so
    memory stays bounded by one feed whatever the number of variants."""
    size = min(limit or feeds.message_limit(), feeds.message_limit())
    for start in range(0, len(offers), size):
        yield offers[start : start + size]


def build_slice(client, marketplace, offers, options, report) -> list[Entry] | None:
    """ASINs, values and messages of one slice; the offers' outcomes are saved. ``None``
    when the catalog could not be searched (every offer of the slice carries that)."""
    try:
        found = asins.resolve(client, marketplace, offers, options)
    except SPAPIError as exc:
        for offer in offers:
            _fail(offer, outcomes.AMAZON_UNAVAILABLE, f"Catalog search failed: {exc}", report)
        _save(offers)
        return None
    entries = prepare(marketplace, offers, found, options, report)
    _save(offers)
    return entries


def send_marketplace(marketplace, variant_ids, client=None, limit=None) -> SendReport:
    report = SendReport()
    options = listing_options.for_marketplace(marketplace)
    offers, without = ensure_offers(variant_ids, marketplace)
    for variant_id in without:
        report.outcomes.append(
            Outcome(
                variant_id,
                marketplace.pk,
                None,
                outcomes.NO_SKU,
                "The variant has no SKU (or its SKU is another variant's offer): link an "
                "offer with a seller SKU first.",
            )
        )
    if not offers:
        return report
    client = client or client_for_account(marketplace.account)
    for part in slices(offers, limit):
        entries = build_slice(client, marketplace, part, options, report)
        if entries:
            submitted = submit(client, marketplace, entries, limit=limit)
            report.feeds += submitted.feeds + submitted.failed
    return report


def _save(offers):
    now = timezone.now()
    for offer in offers:
        offer.updated_at = now
    bulk.update_fields(offers, ["asin", "sync_state", "last_issues", "updated_at"])


def send_variants(variant_ids, marketplace_ids, limit=None) -> SendReport:
    """Send the variants to each marketplace (one feed or more per marketplace)."""
    report = SendReport()
    for marketplace in AmazonMarketplace.objects.filter(pk__in=marketplace_ids).select_related(
        "account"
    ):
        part = send_marketplace(marketplace, list(variant_ids), limit=limit)
        report.outcomes += part.outcomes
        report.feeds += part.feeds
    return report
