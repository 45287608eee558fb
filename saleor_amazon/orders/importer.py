"""Fetch orders from Amazon (searchOrders / getOrder) and bring them into Saleor.

Polling (no ``since``): one searchOrders per account (an account is one seller in one
region) for all its importing marketplaces at once (up to 50 marketplace ids a call),
because Amazon allows searchOrders about once every three minutes per seller, however
many marketplaces it sells on. Each marketplace keeps its cursor
(:class:`AmazonImportCursor`): ``last_updated_before`` is Amazon's echoed
``lastUpdatedBefore`` of the last search that was stored completely. A search asks for
orders updated after the earliest cursor of the group minus an *overlap*: Amazon makes
some orders visible minutes (rarely hours) after their last-updated time, and an order
that appears late must still be inside the next window. Every few hours a *deep*
re-check reaches further back. Both read orders again that were already stored, which
is harmless: storing is idempotent and a Saleor order is created once. A marketplace
without a cursor (new, or just activated) starts at its import start date, else at the
account's connection time.

Every order is stored and converted in its own transaction, so a crash loses at most
the order in flight; the cursors move only after every order of the window was stored,
in one transaction, so a window that did not finish is fetched again. On demand
(``since``/``until``): orders created in that window; the cursors are left alone.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from .. import conf
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
# searchOrders takes at most this many marketplace ids.
MARKETPLACES_PER_SEARCH = 50


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


def _groups(markets: list[AmazonMarketplace]):
    for start in range(0, len(markets), MARKETPLACES_PER_SEARCH):
        yield markets[start : start + MARKETPLACES_PER_SEARCH]


def import_orders(
    account: AmazonAccount,
    marketplace: AmazonMarketplace | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    *,
    client=None,
    progress: Callable[[Summary], None] | None = None,
    config: conf.AmazonConfig | None = None,
) -> Summary:
    """Import the account's orders (all importing marketplaces, or one); see module doc."""
    summary = Summary()
    client = _client(account, client)
    markets = import_marketplaces(account, marketplace)
    for group in _groups(markets):
        if since is None:
            _poll(client, account, group, summary, progress, config or conf.load())
        else:
            pages = client.search_orders(
                [market.marketplace_id for market in group],
                created_after=since,
                created_before=_before(until),
                included_data=INCLUDED_DATA,
            )
            _consume(pages, account, group, summary, progress)
    return summary


def _before(until: datetime | None) -> datetime | None:
    latest = timezone.now() - BEFORE_MARGIN
    if until is None or until > latest:
        return None  # Amazon then uses "two minutes ago" and echoes it
    return until


@dataclass
class Window:
    """What one poll asks Amazon for: orders updated after ``after``."""

    after: datetime
    deep: bool


def _start(account: AmazonAccount, market: AmazonMarketplace) -> datetime:
    return market.import_since or account.created_at


def plan_window(account, markets, cursors, config: conf.AmazonConfig, now=None) -> Window:
    """The window of the next poll of ``markets`` (their ``cursors`` in the same order).

    Each marketplace asks from its cursor minus the overlap (a deep re-check: minus the
    deep look-back), never before its start; the group asks from the earliest of them.
    """
    now = now or timezone.now()
    overlap = timedelta(minutes=config.order_overlap_minutes)
    look_back = timedelta(hours=config.deep_check_hours)
    deep = bool(config.deep_check_hours) and any(
        cursor.last_updated_before is not None
        and (
            cursor.last_deep_check_at is None
            or cursor.last_deep_check_at <= now - timedelta(hours=config.deep_check_every_hours)
        )
        for cursor in cursors
    )
    starts = []
    for market, cursor in zip(markets, cursors, strict=True):
        start = _start(account, market)
        if cursor.last_updated_before is None:
            starts.append(start)
        else:
            back = max(overlap, look_back) if deep else overlap
            starts.append(max(cursor.last_updated_before - back, start))
    return Window(after=min(starts), deep=deep)


def _cursors(account, markets) -> list[AmazonImportCursor]:
    existing = {
        cursor.marketplace_id: cursor
        for cursor in AmazonImportCursor.objects.filter(account=account, marketplace__in=markets)
    }
    for market in markets:
        if market.pk not in existing:
            existing[market.pk], _ = AmazonImportCursor.objects.get_or_create(
                account=account, marketplace=market
            )
    return [existing[market.pk] for market in markets]


def _poll(client, account, markets, summary, progress, config):
    cursors = _cursors(account, markets)
    pks = [cursor.pk for cursor in cursors]
    now = timezone.now()
    window = plan_window(account, markets, cursors, config, now)
    AmazonImportCursor.objects.filter(pk__in=pks).update(last_attempt_at=now)
    pages = client.search_orders(
        [market.marketplace_id for market in markets],
        last_updated_after=window.after,
        included_data=INCLUDED_DATA,
    )
    try:
        echoed, complete = _consume(pages, account, markets, summary, progress)
    except Exception as exc:
        AmazonImportCursor.objects.filter(pk__in=pks).update(last_error=str(exc)[:4000])
        raise
    if not complete:
        AmazonImportCursor.objects.filter(pk__in=pks).update(
            last_error="Some orders could not be stored; the window is fetched again."
        )
        return
    with transaction.atomic():
        for cursor in AmazonImportCursor.objects.select_for_update().filter(pk__in=pks):
            if echoed and (
                cursor.last_updated_before is None or echoed > cursor.last_updated_before
            ):
                cursor.last_updated_before = echoed
            cursor.checked_from = window.after
            if window.deep or cursor.last_deep_check_at is None:
                cursor.last_deep_check_at = now
                cursor.deep_checked_from = window.after
            cursor.last_success_at = timezone.now()
            cursor.last_error = ""
            cursor.save()


def _consume(pages, account, markets, summary, progress) -> tuple[datetime | None, bool]:
    """Store and convert every order of every page; (Amazon's window end, all stored).

    Orders go to the marketplace of their sales channel. A page Amazon repeats under a
    new token is skipped order by order (storing would be harmless anyway: it is
    idempotent).
    """
    by_id = {market.marketplace_id: market for market in markets}
    echoed, complete = None, True
    seen = set()
    for page in pages:
        echoed = parse_time(page.last_updated_before or page.created_before) or echoed
        by_market: dict[str, list[dict]] = {}
        for payload in page.orders:
            by_market.setdefault(_marketplace_id(payload), []).append(payload)
        for marketplace_id, payloads in by_market.items():
            market = by_id.get(marketplace_id)
            known = _page_variants(market, payloads)
            for payload in payloads:
                key = (
                    (payload.get("orderId"), payload.get("lastUpdatedTime"))
                    if isinstance(payload, dict)
                    else id(payload)
                )
                if key in seen:
                    continue
                seen.add(key)
                summary.fetched += 1
                if not import_one(account, market, payload, summary, known):
                    complete = False
                if progress:
                    progress(summary)
    return echoed, complete


def _marketplace_id(payload) -> str:
    if not isinstance(payload, dict):
        return ""
    channel = payload.get("salesChannel")
    return str(channel.get("marketplaceId") or "") if isinstance(channel, dict) else ""


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
