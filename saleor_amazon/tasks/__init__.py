"""Celery tasks of the Amazon plugin (found by Saleor's Celery autodiscovery).

Saleor's worker imports this package through ``autodiscover_tasks`` over its plugins;
importing it registers the tasks and the beat entries (Saleor's beat scheduler installs
``app.conf.beat_schedule`` at start).
"""

from saleor.celeryconf import app

from . import fulfillment  # noqa: F401 - registers the fulfilment tasks and their beat entry
from .orders import (
    BEAT_SCHEDULE,
    create_pending_orders_task,
    import_account_orders_task,
    poll_orders_task,
    purge_buyer_data_task,
    recover_order_task,
    retry_failed_orders_task,
)

for _name, _entry in BEAT_SCHEDULE.items():
    app.conf.beat_schedule.setdefault(_name, _entry)

__all__ = [
    "create_pending_orders_task",
    "import_account_orders_task",
    "poll_orders_task",
    "purge_buyer_data_task",
    "recover_order_task",
    "retry_failed_orders_task",
]
from . import listings  # noqa: E402,F401  (listings tasks and their beat entries)
