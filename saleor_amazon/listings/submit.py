"""Submit listings feed messages for one marketplace and record the feeds.

Each document becomes an ``AmazonFeed`` (with what every message carried, in
``sent_messages``) before it is sent, so nothing is lost when Amazon fails: the feed then
says ``error`` with the reason, and its offers carry the issue.
"""

import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from ..models import AmazonFeed, AmazonOffer, FeedStatus, OfferSyncState
from ..spapi.errors import SPAPIError
from . import feed as feeds
from .outcomes import AMAZON_UNAVAILABLE, issue

logger = logging.getLogger(__name__)


@dataclass
class Entry:
    """One message for one offer, and the values it carries."""

    offer_id: int
    sku: str
    message: dict
    operation: str  # send, patch, zero, delete
    price: Decimal | None = None
    quantity: int | None = None


@dataclass
class Submitted:
    feeds: list = field(default_factory=list)
    failed: list = field(default_factory=list)  # feeds Amazon did not take


def _sent(entry: Entry, message_id: int) -> dict:
    return {
        "messageId": message_id,
        "sku": entry.sku,
        "offer": entry.offer_id,
        "operation": entry.operation,
        "price": None if entry.price is None else str(entry.price),
        "quantity": entry.quantity,
    }


def submit(client, marketplace, entries: list[Entry], limit=None) -> Submitted:
    result = Submitted()
    if not entries:
        return result
    seller_id = marketplace.account.seller_id
    documents = feeds.documents(seller_id, [e.message for e in entries], limit)
    position = 0
    for document in documents:
        chunk = entries[position : position + len(document["messages"])]
        position += len(chunk)
        record = AmazonFeed.objects.create(
            account_id=marketplace.account_id,
            marketplace=marketplace,
            feed_type=feeds.FEED_TYPE,
            status=FeedStatus.NEW,
            messages_total=len(chunk),
            sent_messages=[_sent(e, e.message["messageId"]) for e in chunk],
        )
        offer_ids = [e.offer_id for e in chunk]
        AmazonOffer.objects.filter(pk__in=offer_ids).update(
            feed=record, sync_state=OfferSyncState.SUBMITTED, updated_at=timezone.now()
        )
        try:
            feed_id = client.submit_feed(
                feeds.FEED_TYPE,
                [marketplace.marketplace_id],
                feeds.dumps(document),
                feeds.CONTENT_TYPE,
            )
        except SPAPIError as exc:
            logger.warning("Amazon did not take listings feed %s: %s", record.pk, exc)
            record.status = FeedStatus.ERROR
            record.error = str(exc)[:2000]
            record.save(update_fields=["status", "error", "updated_at"])
            AmazonOffer.objects.filter(pk__in=offer_ids, feed=record).update(
                sync_state=OfferSyncState.ERROR,
                last_issues=[issue(AMAZON_UNAVAILABLE, f"Amazon did not take the feed: {exc}")],
                updated_at=timezone.now(),
            )
            result.failed.append(record)
            continue
        record.amazon_feed_id = str(feed_id)
        record.status = FeedStatus.SUBMITTED
        record.submitted_at = timezone.now()
        record.save(update_fields=["amazon_feed_id", "status", "submitted_at", "updated_at"])
        result.feeds.append(record)
    return result
