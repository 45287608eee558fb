"""Celery tasks of the Amazon plugin (found by Saleor's Celery autodiscovery).

Saleor's worker imports this package through ``autodiscover_tasks`` over its plugins;
importing it registers the tasks, and the beat entries of every task module in one place
(Saleor's beat scheduler installs ``app.conf.beat_schedule`` at start).
"""

from saleor.celeryconf import app

from . import fulfillment, listings, orders
from .orders import (
    create_pending_orders_task,
    import_account_orders_task,
    poll_orders_task,
    purge_buyer_data_task,
    recover_order_task,
    retry_failed_orders_task,
)

BEAT_SCHEDULE = {**orders.BEAT_SCHEDULE, **fulfillment.BEAT_SCHEDULE, **listings.BEAT_SCHEDULE}

for _name, _entry in BEAT_SCHEDULE.items():
    app.conf.beat_schedule.setdefault(_name, _entry)

__all__ = [
    "BEAT_SCHEDULE",
    "create_pending_orders_task",
    "import_account_orders_task",
    "poll_orders_task",
    "purge_buyer_data_task",
    "recover_order_task",
    "retry_failed_orders_task",
]
