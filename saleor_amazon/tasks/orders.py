"""Order import tasks: thin wrappers that load ids and call ``saleor_amazon.orders``.

Beat runs :func:`poll_orders_task` every minute; it enqueues one import per active
account whose last poll is older than the configured interval (plugin configuration,
``Order polling interval (minutes)``), so changing the interval needs no restart.
"""

import logging
from datetime import timedelta
from functools import wraps

from celery import shared_task
from django.db.models import Max, Q
from django.utils import timezone
from saleor.core.db.connection import allow_writer

from .. import conf
from ..models import AccountStatus, AmazonAccount, AmazonOrder, ProcessingState
from ..orders import privacy
from ..orders.importer import import_orders, recover_order
from ..orders.process import create_pending_orders

logger = logging.getLogger(__name__)

TICK = timedelta(minutes=1)
BEAT_SCHEDULE = {
    "saleor-amazon-poll-orders": {
        "task": "saleor_amazon.tasks.orders.poll_orders_task",
        "schedule": TICK,
        "options": {"expires": 55},
    },
    "saleor-amazon-purge-buyer-data": {
        "task": "saleor_amazon.tasks.orders.purge_buyer_data_task",
        "schedule": timedelta(hours=6),
        "options": {"expires": 3600},
    },
    "saleor-amazon-retry-failed-orders": {
        "task": "saleor_amazon.tasks.orders.retry_failed_orders_task",
        "schedule": timedelta(minutes=5),
        "options": {"expires": 280},
    },
}


def writes(task):
    """Saleor's tasks may only use the writer database when they say so: ours write."""

    @wraps(task)
    def run(*args, **kwargs):
        with allow_writer():
            return task(*args, **kwargs)

    return run


def due_accounts(now=None, interval_minutes=None):
    """Active accounts with an importing marketplace, not polled within the interval."""
    now = now or timezone.now()
    interval = timedelta(minutes=interval_minutes or conf.load().poll_interval_minutes)
    accounts = (
        AmazonAccount.objects.filter(
            status=AccountStatus.ACTIVE,
            marketplaces__is_active=True,
            marketplaces__import_orders=True,
        )
        .distinct()
        .annotate(last_poll=Max("import_cursors__last_attempt_at"))
        .filter(Q(last_poll__isnull=True) | Q(last_poll__lte=now - interval + timedelta(seconds=5)))
    )
    return list(accounts.values_list("pk", flat=True))


@shared_task(ignore_result=True)
@writes
def poll_orders_task():
    config = conf.load()
    if not config.active:
        return
    for account_id in due_accounts(interval_minutes=config.poll_interval_minutes):
        import_account_orders_task.delay(account_id)


@shared_task(ignore_result=True)
@writes
def import_account_orders_task(account_id, marketplace_id=None, since=None, until=None):
    """Import one account's orders (ISO ``since``/``until`` for an on-demand window)."""
    from ..orders.mapping import parse_time

    account = AmazonAccount.objects.filter(pk=account_id, status=AccountStatus.ACTIVE).first()
    if account is None:
        return None
    marketplace = account.marketplaces.filter(pk=marketplace_id).first() if marketplace_id else None
    summary = import_orders(account, marketplace, since=parse_time(since), until=parse_time(until))
    logger.info("Amazon orders imported for account %s: %s", account_id, summary)
    return summary.as_dict()


@shared_task(ignore_result=True)
@writes
def recover_order_task(account_id, amazon_order_id):
    account = AmazonAccount.objects.get(pk=account_id)
    order, outcome = recover_order(account, amazon_order_id)
    return {"id": order.pk, "outcome": outcome}


@shared_task(ignore_result=True)
@writes
def create_pending_orders_task(ids=None):
    return create_pending_orders(ids).as_dict()


@shared_task(ignore_result=True)
@writes
def retry_failed_orders_task():
    """Failed and held orders whose retry time came (a linked offer, a fixed channel...)."""
    due = AmazonOrder.objects.filter(
        state__in=[ProcessingState.FAILED, ProcessingState.NEEDS_LINKING],
        saleor_order__isnull=True,
    ).filter(Q(next_retry_at__isnull=True) | Q(next_retry_at__lte=timezone.now()))
    ids = list(due.values_list("pk", flat=True)[:500])
    if ids:
        return create_pending_orders(ids).as_dict()
    return None


@shared_task(ignore_result=True)
@writes
def purge_buyer_data_task():
    """Amazon's Data Protection Policy: purge and anonymise buyer data past retention."""
    return privacy.run()
