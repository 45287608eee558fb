"""Fulfillment Outbound 2020-07-01 (multi-channel fulfilment) and FBA Inventory summaries."""

from collections.abc import Iterator

from sp_api.api.fulfillment_outbound.fulfillment_outbound import FulfillmentOutbound
from sp_api.api.inventories.inventories import Inventories

from .pagination import Page, next_token, pages
from .params import chunks as _chunks
from .params import clean as _clean
from .params import csv as _csv

INVENTORY_SKUS_PER_CALL = 50


class FbaOperations:
    """Mixed into :class:`.client.AmazonClient`."""

    # -- Fulfillment Outbound 2020-07-01 -----------------------------------------------

    def get_fulfillment_preview(self, body: dict) -> dict:
        answer = self._call(
            "getFulfillmentPreview",
            FulfillmentOutbound,
            lambda c: c.get_fulfillment_preview(**body),
        )
        return (answer or {}).get("payload") or {}

    def create_fulfillment_order(self, body: dict) -> dict:
        answer = self._call(
            "createFulfillmentOrder",
            FulfillmentOutbound,
            lambda c: c.create_fulfillment_order(**body),
        )
        return (answer or {}).get("payload") or {}

    def get_fulfillment_order(self, seller_fulfillment_order_id) -> dict:
        answer = self._call(
            "getFulfillmentOrder",
            FulfillmentOutbound,
            lambda c: c.get_fulfillment_order(seller_fulfillment_order_id),
        )
        return (answer or {}).get("payload") or {}

    def cancel_fulfillment_order(self, seller_fulfillment_order_id) -> None:
        self._call(
            "cancelFulfillmentOrder",
            FulfillmentOutbound,
            lambda c: c.cancel_fulfillment_order(seller_fulfillment_order_id),
        )

    # -- FBA Inventory ------------------------------------------------------------------

    def iter_inventory_summaries(self, marketplace_id, seller_skus=None) -> Iterator[Page]:
        """Pages of getInventorySummaries (``items`` are inventory summaries)."""
        sku_chunks = list(_chunks(seller_skus, INVENTORY_SKUS_PER_CALL)) if seller_skus else [None]
        for skus in sku_chunks:
            params = _clean(
                {
                    "granularityType": "Marketplace",
                    "granularityId": marketplace_id,
                    "marketplaceIds": marketplace_id,
                    "details": "true",
                    "sellerSkus": _csv(skus),
                }
            )

            def fetch(token, params=params):
                query = dict(params, nextToken=token) if token else dict(params)
                body = self._call(
                    "getInventorySummaries",
                    Inventories,
                    lambda c: c.get_inventory_summary_marketplace(**query),
                )
                body = body or {}
                summaries = (body.get("payload") or {}).get("inventorySummaries") or []
                return Page(items=summaries, next_token=next_token(body), payload=body)

            yield from pages(fetch, "getInventorySummaries")
