"""Saleor's hooks for Amazon orders (called through :mod:`saleor_amazon.hooks`).

Each handler only records what Amazon must learn and queues the sending after Saleor's
transaction commits; errors are logged by the dispatcher and never reach Saleor.
"""

from . import cancellation, invoices, shipments


def on_fulfillment_created(fulfillment):
    shipments.record_fulfillment(fulfillment)


def on_fulfillment_approved(fulfillment):
    shipments.record_fulfillment(fulfillment)


def on_tracking_number_updated(fulfillment):
    shipments.record_fulfillment(fulfillment)


def on_order_cancelled(order):
    cancellation.cancel_order(order)


def on_order_updated(order):
    cancellation.cancel_removed_lines(order)


def on_invoice_sent(invoice, email):
    invoices.record_invoice(invoice)
