"""Listings tasks: send products, poll listings feeds, the periodic diff sync, imports.

Beat polls open feeds every minute and runs the diff sync of every active marketplace
every :data:`SYNC_EVERY` (the authority for stock, which Saleor has no plugin hook for).
"""

import logging
from datetime import timedelta

from celery import shared_task

from .. import conf
from ..models import AmazonMarketplace
from ..spapi.errors import SPAPIError
from .orders import writes

logger = logging.getLogger(__name__)

SYNC_EVERY = timedelta(minutes=15)
BEAT_SCHEDULE = {
    "saleor-amazon-poll-listings-feeds": {
        "task": "saleor_amazon.tasks.listings.poll_feeds_task",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 55},
    },
    "saleor-amazon-sync-listings": {
        "task": "saleor_amazon.tasks.listings.sync_listings_task",
        "schedule": SYNC_EVERY,
        "options": {"expires": SYNC_EVERY.total_seconds() - 5},
    },
}


@shared_task(ignore_result=True)
@writes
def send_products_task(variant_ids, marketplace_ids):
    from ..listings.send import send_variants

    try:
        report = send_variants(variant_ids, marketplace_ids)
    except (SPAPIError, conf.ConfigurationError) as exc:
        logger.warning("Sending products to Amazon failed: %s", exc)
        return None
    return {"outcomes": len(report.outcomes), "feeds": [f.pk for f in report.feeds]}


@shared_task(ignore_result=True)
@writes
def poll_feeds_task():
    from ..listings.results import poll_feeds

    if not conf.load().active:
        return None
    return poll_feeds()


@shared_task(ignore_result=True)
@writes
def sync_marketplace_task(marketplace_id):
    from ..listings.sync import sync_marketplace

    marketplace = (
        AmazonMarketplace.objects.select_related("account").filter(pk=marketplace_id).first()
    )
    if marketplace is None:
        return None
    try:
        result = sync_marketplace(marketplace)
    except (SPAPIError, conf.ConfigurationError) as exc:
        logger.warning("Listings sync of marketplace %s failed: %s", marketplace_id, exc)
        return None
    return {"checked": result.checked, "messages": result.messages}


@shared_task(ignore_result=True)
@writes
def sync_listings_task():
    from ..listings.sync import marketplaces_to_sync

    if not conf.load().active:
        return
    for pk in marketplaces_to_sync().values_list("pk", flat=True):
        sync_marketplace_task.delay(pk)
