"""Uploading Saleor invoices of Amazon orders to Amazon (``UPLOAD_VAT_INVOICE`` feed).

When an invoice is sent in Saleor (``invoice_sent``), :func:`record_invoice` records an
:class:`AmazonInvoiceUpload`; the task uploads the PDF with the invoice number, the Amazon
order id, the totals and the document type in the feed options. Only marketplaces where
Amazon accepts seller invoices (the EU and UK VAT calculation service) get one; others,
FBA orders handled the same way, and invoices without a file are recorded with the
reason. Amazon's processing report decides between done and failed.
"""

import logging
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlparse

import requests
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import conf, regions, spapi
from . import feeds
from .models import AmazonInvoiceUpload, FeedRecordState
from .shipments import CLIENT_OPTIONS, amazon_order_for

logger = logging.getLogger(__name__)

# Marketplaces whose sellers may upload their own invoices (Amazon's code, see regions).
INVOICE_MARKETPLACES = {"DE", "FR", "IT", "ES", "UK", "NL", "PL", "SE", "BE", "IE"}
PDF = "application/pdf"
DOWNLOAD_TIMEOUT = 30


class InvoiceFileMissing(ValueError):
    pass


def record_invoice(invoice) -> AmazonInvoiceUpload | None:
    """Record the upload of a sent invoice (once per invoice) and queue it."""
    amazon = amazon_order_for(invoice.order_id)
    if amazon is None:
        return None
    info = regions.marketplace(amazon.amazon_marketplace_id)
    state, message = FeedRecordState.PENDING, ""
    if info is None or info.code not in INVOICE_MARKETPLACES:
        state = FeedRecordState.SKIPPED
        message = (
            f"Amazon {info.code if info else amazon.amazon_marketplace_id} does not accept "
            "invoices uploaded by sellers: nothing was sent."
        )
    elif not invoice.number:
        state = FeedRecordState.FAILED
        message = "The invoice has no number: Amazon needs the invoice number."
    elif not _has_file(invoice):
        state = FeedRecordState.FAILED
        message = (
            "The invoice has no file: generate or upload its PDF in Saleor, then send it again."
        )
    try:
        with transaction.atomic():
            upload = AmazonInvoiceUpload.objects.create(
                amazon_order=amazon,
                invoice=invoice,
                invoice_number=invoice.number or "",
                state=state,
                message=message,
            )
    except IntegrityError:
        upload = AmazonInvoiceUpload.objects.get(invoice=invoice)
        if upload.state != FeedRecordState.FAILED or state == FeedRecordState.FAILED:
            return upload
        # Sent again after a fix (e.g. the file was added): try once more.
        upload.state, upload.message, upload.invoice_number = state, "", invoice.number
        upload.attempts, upload.next_retry_at = 0, None
        upload.save()
    if upload.state == FeedRecordState.PENDING:
        from ..tasks.fulfillment import upload_invoice_task

        upload_id = upload.pk
        transaction.on_commit(lambda: upload_invoice_task.delay(upload_id))
    return upload


def _has_file(invoice) -> bool:
    return bool(invoice.invoice_file) or bool(invoice.external_url)


def invoice_content(invoice) -> bytes:
    """The invoice's PDF: its stored file, or the document at its external URL."""
    if invoice.invoice_file:
        with invoice.invoice_file.open("rb") as handle:
            return handle.read()
    if invoice.external_url and urlparse(invoice.external_url).scheme in ("http", "https"):
        response = requests.get(invoice.external_url, timeout=DOWNLOAD_TIMEOUT)
        if response.status_code != 200 or not response.content:
            raise InvoiceFileMissing(
                f"The invoice's file could not be downloaded from {invoice.external_url} "
                f"(HTTP {response.status_code})."
            )
        return response.content
    raise InvoiceFileMissing(
        "The invoice has no file: generate or upload its PDF in Saleor, then send it again."
    )


def _amount(value) -> str:
    return str(Decimal(value or 0).quantize(Decimal("0.01")))


def feed_options(upload: AmazonInvoiceUpload) -> dict:
    amazon = upload.amazon_order
    order = amazon.saleor_order
    options = {
        "metadata:orderid": amazon.amazon_order_id,
        "metadata:invoicenumber": upload.invoice_number,
        "metadata:documenttype": "Invoice",
    }
    if order is not None:
        options["metadata:totalamount"] = _amount(order.total_gross_amount)
        options["metadata:totalvatamount"] = _amount(
            order.total_gross_amount - order.total_net_amount
        )
    return options


def upload_invoice(upload_id: int, client=None) -> str:
    """Upload one pending invoice; its resulting state."""
    with transaction.atomic():
        upload = (
            AmazonInvoiceUpload.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("amazon_order__account", "amazon_order__saleor_order", "invoice")
            .filter(pk=upload_id)
            .first()
        )
        if upload is None or upload.state != FeedRecordState.PENDING:
            return upload.state if upload else "locked"
        amazon = upload.amazon_order
        upload.attempts += 1
        try:
            if upload.invoice is None:
                raise InvoiceFileMissing("The invoice was deleted in Saleor.")
            content = invoice_content(upload.invoice)
            client = client or spapi.client_for_account(amazon.account, **CLIENT_OPTIONS)
            upload.feed = feeds.submit(
                client,
                amazon.account,
                feeds.INVOICE,
                [amazon.amazon_marketplace_id],
                content,
                PDF,
                feed_options=feed_options(upload),
                marketplace=amazon.marketplace,
            )
        except InvoiceFileMissing as exc:
            upload.state, upload.message = FeedRecordState.FAILED, str(exc)
        except requests.RequestException as exc:
            upload.state = FeedRecordState.FAILED
            upload.message = f"The invoice's file could not be downloaded: {exc}"
        except spapi.RetryableError as exc:
            upload.message = f"Retrying: {exc}"
            upload.next_retry_at = timezone.now() + timedelta(minutes=2 ** min(upload.attempts, 7))
        except (spapi.SPAPIError, conf.ConfigurationError) as exc:
            upload.state, upload.message = FeedRecordState.FAILED, f"Amazon refused: {exc}"
        else:
            upload.state = FeedRecordState.SUBMITTED
            upload.message = f"Uploaded in feed {upload.feed.amazon_feed_id}."
        upload.save()
        return upload.state


def process_due(now=None) -> dict:
    """Beat's pass: retry due uploads, read the outcome of submitted ones."""
    now = now or timezone.now()
    counts = {"sent": 0, "checked": 0}
    due = AmazonInvoiceUpload.objects.filter(state=FeedRecordState.PENDING).exclude(
        next_retry_at__gt=now
    )
    for upload_id in due.values_list("pk", flat=True):
        upload_invoice(upload_id)
        counts["sent"] += 1
    submitted = AmazonInvoiceUpload.objects.filter(
        state=FeedRecordState.SUBMITTED, feed__isnull=False
    ).select_related("feed__account")
    for upload in submitted:
        try:
            client = spapi.client_for_account(upload.feed.account, **CLIENT_OPTIONS)
            outcome = feeds.check(client, upload.feed)
        except (spapi.SPAPIError, conf.ConfigurationError) as exc:
            logger.warning("Could not read the outcome of %s: %s", upload, exc)
            continue
        if not outcome.done:
            continue
        error = outcome.error_for(1)
        if error or outcome.status != "DONE":
            upload.state = FeedRecordState.FAILED
            upload.message = f"Amazon refused: {error or outcome.status}"
        else:
            upload.state = FeedRecordState.DONE
            upload.message = f"Accepted by Amazon (feed {upload.feed.amazon_feed_id})."
        upload.save()
        counts["checked"] += 1
    return counts
