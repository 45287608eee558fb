"""Keep Amazon's prices and quantities equal to Saleor's: the diff sync is the authority.

:func:`sync_marketplace` computes every offer Amazon has (``last_sent_quantity`` set) and
sends PATCH messages only for those whose price or quantity differs from what Amazon last
accepted. Offers whose variant was deleted or unlinked get quantity 0 (or their listing
deleted, per the marketplace's ``unlink_action``), so no ghost listing can still sell.
A live offer without a price in the channel any more is set to quantity 0 as well.

Offers with a feed still in flight wait for its verdict. Saleor's product hooks and the
stock webhook only call :func:`schedule_sync`, which batches changes into one run per
marketplace after ``sync_debounce_seconds``; the beat task runs it periodically anyway.
"""

import logging
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction

from ..models import AccountStatus, AmazonMarketplace, AmazonOffer, OfferSyncState
from ..spapi import client_for_account
from . import feed as feeds
from . import options as listing_options
from . import pricing
from .submit import Entry, submit

logger = logging.getLogger(__name__)

IN_FLIGHT = (OfferSyncState.QUEUED, OfferSyncState.SUBMITTED)


@dataclass
class SyncResult:
    checked: int = 0
    price_updates: int = 0
    quantity_updates: int = 0
    zeroed: int = 0
    deleted: int = 0
    feeds: list = field(default_factory=list)

    @property
    def messages(self):
        return sum(len(f.sent_messages) for f in self.feeds)


def plan(marketplace, offers=None) -> tuple[list[Entry], SyncResult]:
    """The messages that bring Amazon in line with Saleor (nothing for unchanged offers)."""
    options = listing_options.for_marketplace(marketplace)
    if offers is None:
        offers = list(
            AmazonOffer.objects.filter(marketplace=marketplace, last_sent_quantity__isnull=False)
            .exclude(sync_state__in=IN_FLIGHT)
            .order_by("pk")
        )
    result = SyncResult(checked=len(offers))
    values = pricing.compute(marketplace, offers, options)
    entries = []
    common = {
        "product_type": options.product_type,
        "marketplace_id": marketplace.marketplace_id,
        "currency": marketplace.currency,
    }
    for offer in offers:
        handling = offer.handling_time if offer.handling_time is not None else options.handling_time
        if offer.variant_id is None:
            if options.unlink_action == "delete":
                message = feeds.delete_message(0, sku=offer.seller_sku)
                entries.append(Entry(offer.pk, offer.seller_sku, message, "delete"))
                result.deleted += 1
            elif offer.last_sent_quantity != 0:
                message = feeds.patch_message(
                    0, sku=offer.seller_sku, quantity=0, handling_time=handling, **common
                )
                entries.append(Entry(offer.pk, offer.seller_sku, message, "zero", quantity=0))
                result.zeroed += 1
            continue
        computed = values[offer.pk]
        price = computed.price if computed.price and computed.price > 0 else None
        quantity = computed.quantity if price is not None else 0
        new_price = price if price is not None and price != offer.last_sent_price else None
        new_quantity = quantity if quantity != offer.last_sent_quantity else None
        if new_price is None and new_quantity is None:
            continue
        message = feeds.patch_message(
            0,
            sku=offer.seller_sku,
            price=new_price,
            quantity=new_quantity,
            handling_time=handling,
            **common,
        )
        entries.append(Entry(offer.pk, offer.seller_sku, message, "patch", new_price, new_quantity))
        result.price_updates += new_price is not None
        result.quantity_updates += new_quantity is not None
    return entries, result


def sync_marketplace(marketplace, client=None, limit=None) -> SyncResult:
    entries, result = plan(marketplace)
    if entries:
        client = client or client_for_account(marketplace.account)
        submitted = submit(client, marketplace, entries, limit=limit)
        result.feeds = submitted.feeds + submitted.failed
    return result


def marketplaces_to_sync():
    return AmazonMarketplace.objects.filter(
        is_active=True, account__status=AccountStatus.ACTIVE, offers__isnull=False
    ).distinct()


def schedule_sync(marketplace_id, debounce=None) -> bool:
    """Run the marketplace's sync once after the debounce delay (changes made meanwhile
    join the same run); returns whether a run was scheduled now."""
    from ..tasks.listings import sync_marketplace_task

    if debounce is None:
        marketplace = AmazonMarketplace.objects.filter(pk=marketplace_id).first()
        if marketplace is None:
            return False
        debounce = listing_options.for_marketplace(marketplace).sync_debounce_seconds
    key = f"saleor-amazon:listings-sync:{marketplace_id}"
    if debounce and not cache.add(key, 1, timeout=debounce):
        return False
    transaction.on_commit(
        lambda: sync_marketplace_task.apply_async((marketplace_id,), countdown=debounce or 0)
    )
    return True


def schedule_for_variants(variant_ids) -> int:
    marketplace_ids = set(
        AmazonOffer.objects.filter(
            variant_id__in=list(variant_ids), last_sent_quantity__isnull=False
        ).values_list("marketplace_id", flat=True)
    )
    return sum(schedule_sync(pk) for pk in marketplace_ids)


def schedule_for_unlinked() -> int:
    marketplace_ids = set(
        AmazonOffer.objects.filter(
            variant__isnull=True, last_sent_quantity__isnull=False
        ).values_list("marketplace_id", flat=True)
    )
    return sum(schedule_sync(pk) for pk in marketplace_ids)
