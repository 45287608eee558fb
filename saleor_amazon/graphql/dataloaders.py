"""Batch loading of the objects behind nested fields (Saleor's DataLoader, per request).

A page of orders, offers, feeds or accounts asks for each row's related objects; the
loaders gather the keys of the whole page and run one query per kind of object, so the
number of queries of a page does not grow with its size. Saleor's own objects come from
Saleor's loaders (shared with Saleor's API conventions): channels, warehouses, variants,
products, orders, fulfilments, shipping methods.
"""

from collections import defaultdict

from saleor.graphql.core.dataloaders import DataLoader

from .. import models
from ..fulfillment import models as fulfillment_models


class _ByIdLoader(DataLoader):
    model: type

    def queryset(self):
        return self.model.objects.using(self.database_connection_name)

    def batch_load(self, keys):
        objects = self.queryset().in_bulk(keys)
        return [objects.get(key) for key in keys]


class _ManyByLoader(DataLoader):
    """Lists of ``model`` rows by the value of ``field`` (in the model's ordering)."""

    model: type
    field: str

    def queryset(self):
        return self.model.objects.using(self.database_connection_name)

    def batch_load(self, keys):
        rows = defaultdict(list)
        for row in self.queryset().filter(**{f"{self.field}__in": keys}):
            rows[getattr(row, self.field)].append(row)
        return [rows.get(key, []) for key in keys]


class AccountByIdLoader(_ByIdLoader):
    context_key = "amazon_account_by_id"
    model = models.AmazonAccount


class MarketplaceByIdLoader(_ByIdLoader):
    context_key = "amazon_marketplace_by_id"
    model = models.AmazonMarketplace


class MarketplacesByAccountIdLoader(_ManyByLoader):
    context_key = "amazon_marketplaces_by_account_id"
    model = models.AmazonMarketplace
    field = "account_id"


class ImportCursorsByMarketplaceIdLoader(_ManyByLoader):
    """A marketplace's import cursors, the last attempted first."""

    context_key = "amazon_import_cursors_by_marketplace_id"
    model = models.AmazonImportCursor
    field = "marketplace_id"

    def queryset(self):
        return super().queryset().order_by("marketplace_id", "-last_attempt_at", "pk")


class ImportCursorsByAccountIdLoader(_ManyByLoader):
    context_key = "amazon_import_cursors_by_account_id"
    model = models.AmazonImportCursor
    field = "account_id"


class FeedByIdLoader(_ByIdLoader):
    context_key = "amazon_feed_by_id"
    model = models.AmazonFeed

    def queryset(self):
        return super().queryset().defer("sent_messages")


class OrderItemsByOrderIdLoader(_ManyByLoader):
    context_key = "amazon_order_items_by_order_id"
    model = models.AmazonOrderItem
    field = "order_id"


class ShipmentsByOrderIdLoader(_ManyByLoader):
    context_key = "amazon_shipments_by_order_id"
    model = fulfillment_models.AmazonShipment
    field = "amazon_order_id"


class CancellationsByOrderIdLoader(_ManyByLoader):
    context_key = "amazon_cancellations_by_order_id"
    model = fulfillment_models.AmazonCancellation
    field = "amazon_order_id"


class InvoiceUploadsByOrderIdLoader(_ManyByLoader):
    context_key = "amazon_invoice_uploads_by_order_id"
    model = fulfillment_models.AmazonInvoiceUpload
    field = "amazon_order_id"


class AcknowledgementByOrderIdLoader(DataLoader):
    context_key = "amazon_acknowledgement_by_order_id"

    def batch_load(self, keys):
        acknowledgements = {
            acknowledgement.amazon_order_id: acknowledgement
            for acknowledgement in fulfillment_models.AmazonAcknowledgement.objects.using(
                self.database_connection_name
            ).filter(amazon_order_id__in=keys)
        }
        return [acknowledgements.get(key) for key in keys]


def load(loader_class, info, key):
    """The object with ``key`` through the request's ``loader_class`` (None for no key)."""
    if key is None:
        return None
    return loader_class(info.context).load(key)
