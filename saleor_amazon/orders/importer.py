"""Fetch orders from Amazon (searchOrders / getOrder) and bring them into Saleor.

Polling (no ``since``): per account and marketplace, ``lastUpdatedAfter`` starts at the
stored cursor (``AmazonImportCursor.last_updated_before``; first time: the marketplace's
import start date, else the account's connection time). Every order is stored and
converted in its own transaction, so a crash loses at most the order in flight; the
cursor moves to Amazon's echoed ``lastUpdatedBefore`` only after every order of the
window was stored, so a window that did not finish is fetched again (storing is
idempotent). On demand (``since``/``until``): orders created in that window; the cursor
is left alone.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from ..models import AmazonAccount, AmazonImportCursor, AmazonMarketplace, AmazonOrder
from .mapping import MappingError, parse_time
from .matching import match_variants
from .process import CREATED, FAILED, HELD, Summary, process_stored
from .store import store_order

logger = logging.getLogger(__name__)

INCLUDED_DATA = [
    "BUYER", "RECIPIENT", "PROCEEDS", "PROMOTION", "CANCELLATION", "FULFILLMENT", "TAX",
    "PAYMENT", "PACKAGES",
]  # fmt: skip
# Amazon wants "before" bounds at least two minutes in the past.
BEFORE_MARGIN = timedelta(minutes=2, seconds=5)


class OrderNotFound(LookupError):
    """Amazon does not know the order (or it belongs to another seller)."""


def _client(account, client):
    if client is not None:
        return client
    from ..spapi import client_for_account

    return client_for_account(account)


def import_marketplaces(account: AmazonAccount, marketplace: AmazonMarketplace | None):
    if marketplace is not None:
        return [marketplace]
    return list(
        account.marketplaces.filter(is_active=True, import_orders=True).select_related(
            "account", "channel", "default_warehouse", "placeholder_variant__product"
        )
    )


def import_orders(
    account: AmazonAccount,
    marketplace: AmazonMarketplace | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    *,
    client=None,
    progress: Callable[[Summary], None] | None = None,
) -> Summary:
    """Import the account's orders (all importing marketplaces, or one); see module doc."""
    summary = Summary()
    client = _client(account, client)
    for market in import_marketplaces(account, marketplace):
        if since is None:
            _poll(client, account, market, summary, progress)
        else:
            pages = client.search_orders(
                [market.marketplace_id],
                created_after=since,
                created_before=_before(until),
                included_data=INCLUDED_DATA,
            )
            _consume(pages, account, market, summary, progress)
    return summary


def _before(until: datetime | None) -> datetime | None:
    latest = timezone.now() - BEFORE_MARGIN
    if until is None or until > latest:
        return None  # Amazon then uses "two minutes ago" and echoes it
    return until


def _poll(client, account, market, summary, progress):
    cursor, _ = AmazonImportCursor.objects.get_or_create(account=account, marketplace=market)
    after = cursor.last_updated_before or market.import_since or account.created_at
    AmazonImportCursor.objects.filter(pk=cursor.pk).update(last_attempt_at=timezone.now())
    pages = client.search_orders(
        [market.marketplace_id], last_updated_after=after, included_data=INCLUDED_DATA
    )
    try:
        echoed, complete = _consume(pages, account, market, summary, progress)
    except Exception as exc:
        AmazonImportCursor.objects.filter(pk=cursor.pk).update(last_error=str(exc)[:4000])
        raise
    if not complete:
        AmazonImportCursor.objects.filter(pk=cursor.pk).update(
            last_error="Some orders could not be stored; the window is fetched again."
        )
        return
    with transaction.atomic():
        cursor = AmazonImportCursor.objects.select_for_update().get(pk=cursor.pk)
        if echoed and (cursor.last_updated_before is None or echoed > cursor.last_updated_before):
            cursor.last_updated_before = echoed
        cursor.last_success_at = timezone.now()
        cursor.last_error = ""
        cursor.save()


def _consume(pages, account, market, summary, progress) -> tuple[datetime | None, bool]:
    """Store and convert every order of every page; (Amazon's window end, all stored).

    A page Amazon repeats under a new token is skipped order by order (storing would be
    harmless anyway: it is idempotent).
    """
    echoed, complete = None, True
    seen = set()
    for page in pages:
        echoed = parse_time(page.last_updated_before or page.created_before) or echoed
        known = _page_variants(market, page.orders)
        for payload in page.orders:
            key = (payload.get("orderId"), payload.get("lastUpdatedTime"))
            if key in seen:
                continue
            seen.add(key)
            summary.fetched += 1
            if not import_one(account, market, payload, summary, known):
                complete = False
            if progress:
                progress(summary)
    return echoed, complete


def _too_old(market: AmazonMarketplace | None, payload: dict) -> bool:
    if market is None or not market.import_since:
        return False
    try:
        created = parse_time(payload.get("createdTime"))
    except MappingError:
        return False
    return created is not None and created < market.import_since


def _page_variants(market, payloads) -> dict:
    """Seller SKU -> variant (None when nothing matches) for every line of a page: two
    queries per page instead of two per order."""
    if market is None:
        return {}
    skus = {
        str((item.get("product") or {}).get("sellerSku") or "")
        for payload in payloads
        if isinstance(payload, dict)
        for item in payload.get("orderItems") or []
        if isinstance(item, dict)
    }
    skus.discard("")
    if not skus:
        return {}
    found = match_variants(market, sorted(skus))
    return {sku: found.get(sku) for sku in skus}


def import_one(account, market, payload, summary: Summary, known_variants=None) -> bool:
    """Store and convert one order; False when it could not even be stored."""
    if _too_old(market, payload):
        return True
    try:
        stored = store_order(account, market, payload)
    except MappingError as exc:
        logger.warning("Amazon order without an id skipped: %s", exc)
        summary.failed += 1
        return True  # nothing to store and nothing to fetch again
    except Exception:
        logger.exception("Amazon order %s could not be stored", payload.get("orderId"))
        summary.failed += 1
        return False
    outcome = process_stored(stored, market, known_variants)
    if outcome in (CREATED, HELD, FAILED):
        summary.add(outcome)
    elif stored.changed and not stored.created:
        summary.updated += 1
    else:
        summary.add(outcome)
    return True


def recover_order(
    account: AmazonAccount, amazon_order_id: str, *, client=None
) -> tuple[AmazonOrder, str]:
    """Fetch one order by its Amazon number (getOrder) and import it; (order, outcome)."""
    from ..spapi import NotFoundError

    client = _client(account, client)
    try:
        payload = client.get_order(amazon_order_id, included_data=INCLUDED_DATA)
    except NotFoundError as exc:
        raise OrderNotFound(f"Amazon has no order {amazon_order_id} for this seller.") from exc
    if not payload:
        raise OrderNotFound(f"Amazon has no order {amazon_order_id} for this seller.")
    marketplace_id = (payload.get("salesChannel") or {}).get("marketplaceId")
    market = (
        account.marketplaces.select_related(
            "account", "channel", "default_warehouse", "placeholder_variant__product"
        )
        .filter(marketplace_id=marketplace_id)
        .first()
    )
    summary = Summary()
    import_one(account, market, payload, summary)
    order = AmazonOrder.objects.get(seller_id=account.seller_id, amazon_order_id=payload["orderId"])
    outcome = next((k for k, v in summary.as_dict().items() if v and k != "fetched"), "unchanged")
    return order, outcome
