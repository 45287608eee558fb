"""Buyer data kept no longer than Amazon's Data Protection Policy allows.

Amazon allows personal data to be kept up to 30 days after the order's delivery (longer
only where a law requires it). ``retention_from`` is set when an order ships (its latest
delivery date) or is cancelled; the configured number of days after it
(``Keep Amazon buyer data (days after delivery)``, default 30), the plugin's own copies
(buyer name and e-mail, address, raw payload) are erased. Orders still waiting for
conversion keep their payload: it is what a retry converts.
"""

from datetime import timedelta

from django.utils import timezone

from .. import conf
from ..models import TAB_PROCESSED, AmazonOrder


def _cutoff(now, days):
    return now - timedelta(days=days)


def purge_buyer_data(now=None, days: int | None = None) -> int:
    """Erase buyer data of converted or skipped orders past their retention; the count."""
    now = now or timezone.now()
    days = conf.load().buyer_data_days if days is None else days
    due = AmazonOrder.objects.filter(
        retention_from__lte=_cutoff(now, days),
        pii_purged_at__isnull=True,
        state__in=TAB_PROCESSED,
    )
    return due.update(buyer_name="", buyer_email="", shipping_address="", raw="", pii_purged_at=now)


def run(now=None, config: conf.AmazonConfig | None = None) -> dict:
    """Everything the retention period asks for, as the periodic task runs it."""
    now = now or timezone.now()
    config = config or conf.load()
    return {"purged": purge_buyer_data(now, config.buyer_data_days)}
