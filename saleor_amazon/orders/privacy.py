"""Buyer data kept no longer than Amazon's Data Protection Policy allows.

Amazon allows personal data to be kept up to 30 days after the order's delivery (longer
only where a law requires it). ``pii_purge_after`` is set when an order ships (latest
delivery date + 30 days) or is cancelled; after it, the plugin's own copies (buyer
name and e-mail, address, raw payload) are erased. Orders still waiting for conversion
keep their payload: it is what a retry converts.
"""

from django.utils import timezone

from ..models import TAB_PROCESSED, AmazonOrder


def purge_buyer_data(now=None) -> int:
    """Erase buyer data of converted or skipped orders past their purge date; the count."""
    now = now or timezone.now()
    due = AmazonOrder.objects.filter(
        pii_purge_after__lte=now, pii_purged_at__isnull=True, state__in=TAB_PROCESSED
    )
    return due.update(buyer_name="", buyer_email="", shipping_address="", raw="", pii_purged_at=now)
