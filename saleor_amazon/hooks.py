"""Dispatch of Saleor's plugin hooks to the services that act on them.

Saleor calls the hooks inside its own request or transaction. A hook here never
raises into Saleor (a failure to report to Amazon must not block or roll back a
fulfilment, a cancellation or a product save): the handler is looked up by name in
its service module, run, and any error is logged. Handlers themselves only record
what must be sent and queue background work (after commit).
"""

import importlib
import logging

logger = logging.getLogger(__name__)

# hook name -> "module:function" of the service that handles it
HANDLERS = {
    "fulfillment_created": "saleor_amazon.fulfillment.hooks:on_fulfillment_created",
    "fulfillment_approved": "saleor_amazon.fulfillment.hooks:on_fulfillment_approved",
    "tracking_number_updated": "saleor_amazon.fulfillment.hooks:on_tracking_number_updated",
    "order_cancelled": "saleor_amazon.fulfillment.hooks:on_order_cancelled",
    "order_updated": "saleor_amazon.fulfillment.hooks:on_order_updated",
    "invoice_sent": "saleor_amazon.fulfillment.hooks:on_invoice_sent",
    "product_updated": "saleor_amazon.listings.hooks:on_product_updated",
    "product_deleted": "saleor_amazon.listings.hooks:on_product_deleted",
    "product_variant_updated": "saleor_amazon.listings.hooks:on_product_variant_updated",
    "product_variant_deleted": "saleor_amazon.listings.hooks:on_product_variant_deleted",
}


def _handler(hook: str):
    module_name, _, function = HANDLERS[hook].partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    return getattr(module, function, None)


def run(hook: str, *args) -> None:
    handler = _handler(hook)
    if handler is None:
        return
    try:
        handler(*args)
    except Exception:
        logger.exception("Amazon plugin: the %s hook failed; Saleor's action goes on.", hook)
