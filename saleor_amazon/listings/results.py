"""Follow submitted listings feeds and store Amazon's verdict on each offer.

:func:`poll_feeds` asks Amazon for every open feed; a finished feed's processing report
is stored on the feed (counts and the report itself) and each message's outcome on its
offer: accepted messages make the offer ``live`` and record the price and quantity Amazon
now has (what the diff sync compares with); rejected ones make it ``error`` with Amazon's
issues (code, severity, message, attribute). A FATAL feed puts its issues on every offer.
An offer that has moved on to a newer feed only gets the newer feed's verdict.
"""

import json
import logging
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from .. import bulk
from ..models import AmazonFeed, AmazonOffer, FeedStatus, OfferSyncState
from ..spapi import client_for_account
from ..spapi.errors import SPAPIError
from .outcomes import FEED_FATAL, issue

logger = logging.getLogger(__name__)

OPEN = (FeedStatus.SUBMITTED, FeedStatus.IN_QUEUE, FeedStatus.IN_PROGRESS)
FINISHED = (FeedStatus.DONE, FeedStatus.FATAL, FeedStatus.CANCELLED)


def _issue(found: dict) -> dict:
    out = {
        "code": str(found.get("code", "")),
        "severity": found.get("severity", "ERROR"),
        "message": found.get("message", ""),
    }
    if found.get("attributeName"):
        out["attributeName"] = found["attributeName"]
    return out


def _parse(report) -> dict:
    if isinstance(report, bytes | str):
        try:
            return json.loads(report)
        except ValueError:
            return {"issues": [{"severity": "ERROR", "message": "Unreadable processing report."}]}
    return report or {}


def apply_report(feed: AmazonFeed, status: str, report) -> AmazonFeed:
    """Store the processing report on the feed and each message's outcome on its offer."""
    report = _parse(report)
    summary = report.get("summary") or {}
    by_message = defaultdict(list)
    general = []
    for found in report.get("issues") or []:
        if found.get("messageId") is not None:
            by_message[int(found["messageId"])].append(_issue(found))
        else:
            general.append(_issue(found))
    now = timezone.now()
    with transaction.atomic():
        feed = AmazonFeed.objects.select_for_update().get(pk=feed.pk)
        if feed.status in FINISHED:
            return feed  # another poller stored it already
        feed.status = status
        feed.processing_report = report
        feed.messages_accepted = int(summary.get("messagesAccepted", 0))
        feed.messages_invalid = int(summary.get("messagesInvalid", 0))
        feed.errors = int(summary.get("errors", 0))
        feed.warnings = int(summary.get("warnings", 0))
        feed.processed_at = now
        feed.save()
        sent = {m["offer"]: m for m in feed.sent_messages or []}
        offers = list(AmazonOffer.objects.select_for_update().filter(pk__in=sent, feed=feed))
        for offer in offers:
            message = sent[offer.pk]
            issues = by_message.get(message["messageId"], [])
            if status != FeedStatus.DONE:
                offer.sync_state = OfferSyncState.ERROR
                offer.last_issues = issues + general or [
                    issue(FEED_FATAL, f"Amazon could not process feed {feed.amazon_feed_id}.")
                ]
                continue
            offer.last_issues = issues
            if any(i["severity"] == "ERROR" for i in issues):
                offer.sync_state = OfferSyncState.ERROR
                continue
            _accepted(offer, message, now)
        bulk.update_fields(
            offers,
            [
                "sync_state",
                "last_issues",
                "last_sent_price",
                "last_sent_quantity",
                "last_sent_at",
                "updated_at",
            ],
        )
    return feed


def _accepted(offer, message, now):
    offer.updated_at = now
    if message["operation"] == "delete":
        offer.sync_state = OfferSyncState.NOT_SENT
        offer.last_sent_price = None
        offer.last_sent_quantity = None
        offer.last_sent_at = now
        return
    offer.sync_state = OfferSyncState.LIVE
    if message.get("price") is not None:
        offer.last_sent_price = Decimal(message["price"])
    if message.get("quantity") is not None:
        offer.last_sent_quantity = int(message["quantity"])
    offer.last_sent_at = now


def poll_feed(feed: AmazonFeed, client=None) -> AmazonFeed:
    """Ask Amazon about one open feed; store its report when it is finished."""
    client = client or client_for_account(feed.account)
    info = client.get_feed(feed.amazon_feed_id)
    status = info.get("processingStatus", "")
    if status in (FeedStatus.IN_QUEUE, FeedStatus.IN_PROGRESS):
        if feed.status != status:
            feed.status = status
            feed.save(update_fields=["status", "updated_at"])
        return feed
    report = None
    if info.get("resultFeedDocumentId"):
        report = client.get_feed_document(info["resultFeedDocumentId"])
    if status not in (FeedStatus.DONE, FeedStatus.FATAL, FeedStatus.CANCELLED):
        logger.warning("Feed %s has unknown status %r", feed.amazon_feed_id, status)
        return feed
    return apply_report(feed, status, report)


def poll_feeds(feeds=None) -> int:
    """Poll every open feed (or ``feeds``); returns how many finished."""
    if feeds is None:
        feeds = AmazonFeed.objects.filter(status__in=OPEN).exclude(amazon_feed_id="")
    finished = 0
    clients = {}
    for feed in feeds.select_related("account") if hasattr(feeds, "select_related") else feeds:
        try:
            client = clients.get(feed.account_id)
            if client is None:
                client = clients[feed.account_id] = client_for_account(feed.account)
            if poll_feed(feed, client).status in FINISHED:
                finished += 1
        except SPAPIError as exc:
            logger.warning("Polling feed %s failed: %s", feed.amazon_feed_id, exc)
    return finished
