"""Invoices sent in Saleor are uploaded to Amazon where Amazon accepts seller invoices."""

import pytest
from django.core.files.base import ContentFile
from saleor.invoice.models import Invoice
from saleor.invoice.notifications import send_invoice
from saleor.plugins.manager import get_plugins_manager

from saleor_amazon.fulfillment import invoices
from saleor_amazon.fulfillment.models import AmazonInvoiceUpload, FeedRecordState

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def send(staff_user, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)  # invoice files stay out of the working tree

    def run(order, number="FV/2026/11/0001", content=PDF):
        invoice = Invoice.objects.create(order=order, number=number)
        if content:
            invoice.invoice_file.save("invoice.pdf", ContentFile(content))
        with django_capture_on_commit_callbacks(execute=True):
            send_invoice(invoice, staff_user, None, get_plugins_manager(allow_replica=False))
        return invoice

    return run


def test_a_sent_invoice_is_uploaded_with_its_number(amazon_sandbox, amazon_orders, send):
    (amazon,) = amazon_orders(1, seed="invoice", marketplaces=("DE",))
    order = amazon.saleor_order

    invoice = send(order)

    upload = AmazonInvoiceUpload.objects.get(invoice=invoice)
    assert upload.state == FeedRecordState.SUBMITTED, upload.message
    (feed,) = amazon_sandbox.received("feeds")
    assert feed["feedType"] == "UPLOAD_VAT_INVOICE"
    assert feed["marketplaceIds"] == [amazon.amazon_marketplace_id]

    amazon_sandbox.advance(60)
    invoices.process_due()
    upload.refresh_from_db()
    assert upload.state == FeedRecordState.DONE, upload.message
    (received,) = amazon_sandbox.received("invoices")
    options = received["feedOptions"]
    assert options["metadata:orderid"] == amazon.amazon_order_id
    assert options["metadata:invoicenumber"] == "FV/2026/11/0001"
    assert options["metadata:documenttype"] == "Invoice"
    assert options["metadata:totalamount"] == f"{order.total_gross_amount:.2f}"


def test_an_invoice_without_a_file_says_so(amazon_sandbox, amazon_orders, send):
    (amazon,) = amazon_orders(1, seed="invoice-nofile", marketplaces=("DE",))

    invoice = send(amazon.saleor_order, content=None)

    upload = AmazonInvoiceUpload.objects.get(invoice=invoice)
    assert upload.state == FeedRecordState.FAILED
    assert "no file" in upload.message
    assert amazon_sandbox.received("feeds") == []


def test_marketplaces_without_seller_invoices_get_none(amazon_sandbox, amazon_orders, send):
    (amazon,) = amazon_orders(1, seed="invoice-us", marketplaces=("US",))

    invoice = send(amazon.saleor_order)

    upload = AmazonInvoiceUpload.objects.get(invoice=invoice)
    assert upload.state == FeedRecordState.SKIPPED
    assert "US" in upload.message
    assert amazon_sandbox.received("feeds") == []
