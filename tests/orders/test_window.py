"""Where the next order poll starts: cursor minus the overlap, a deep re-check, the start."""

from datetime import UTC, datetime, timedelta

from saleor_amazon import conf
from saleor_amazon.models import AmazonAccount, AmazonImportCursor, AmazonMarketplace
from saleor_amazon.orders.importer import plan_window

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
CONNECTED = datetime(2026, 11, 1, tzinfo=UTC)


def _setup(*cursor_ends, import_since=None, deep_at=NOW):
    account = AmazonAccount(seller_id="A1", region="EU", created_at=CONNECTED)
    markets = [AmazonMarketplace(import_since=import_since) for _ in cursor_ends]
    cursors = [
        AmazonImportCursor(last_updated_before=end, last_deep_check_at=deep_at if end else None)
        for end in cursor_ends
    ]
    return account, markets, cursors


def test_a_marketplace_without_cursor_starts_at_its_import_date_or_the_connection():
    config = conf.AmazonConfig()
    account, markets, cursors = _setup(None)
    assert plan_window(account, markets, cursors, config, NOW).after == CONNECTED
    since = datetime(2026, 11, 20, tzinfo=UTC)
    account, markets, cursors = _setup(None, import_since=since)
    window = plan_window(account, markets, cursors, config, NOW)
    assert (window.after, window.deep) == (since, False)


def test_each_poll_reaches_back_by_the_overlap_and_the_group_by_its_earliest_cursor():
    config = conf.AmazonConfig(order_overlap_minutes=30)
    end = NOW - timedelta(minutes=12)
    account, markets, cursors = _setup(end, end - timedelta(hours=1))
    window = plan_window(account, markets, cursors, config, NOW)
    assert window.after == end - timedelta(hours=1, minutes=30)
    assert not window.deep


def test_the_overlap_never_reaches_before_the_start():
    config = conf.AmazonConfig(order_overlap_minutes=30)
    since = NOW - timedelta(minutes=20)
    account, markets, cursors = _setup(NOW - timedelta(minutes=10), import_since=since)
    assert plan_window(account, markets, cursors, config, NOW).after == since


def test_a_deep_recheck_is_due_after_its_interval_and_reaches_its_look_back():
    config = conf.AmazonConfig(deep_check_hours=24, deep_check_every_hours=6)
    end = NOW - timedelta(minutes=3)
    account, markets, cursors = _setup(end, deep_at=NOW - timedelta(hours=5))
    assert not plan_window(account, markets, cursors, config, NOW).deep
    account, markets, cursors = _setup(end, deep_at=NOW - timedelta(hours=6))
    window = plan_window(account, markets, cursors, config, NOW)
    assert (window.after, window.deep) == (end - timedelta(hours=24), True)
    off = conf.AmazonConfig(deep_check_hours=0)
    assert not plan_window(account, markets, cursors, off, NOW).deep
