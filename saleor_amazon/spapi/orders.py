"""Orders 2026-01-01 (searchOrders, getOrder), Orders v0 confirmShipment, Sellers."""

from collections.abc import Iterator

from sp_api.api.orders.orders_2026_01_01 import OrdersV20260101
from sp_api.api.orders.orders_v0 import OrdersV0
from sp_api.api.sellers.sellers import Sellers

from .pagination import OrdersPage, next_token, pages, unique_items
from .params import clean as _clean
from .params import csv as _csv
from .params import iso as _iso


class OrdersOperations:
    """Mixed into :class:`.client.AmazonClient`."""

    # -- Orders 2026-01-01 and v0 ------------------------------------------------------

    def search_orders(
        self,
        marketplace_ids,
        created_after=None,
        created_before=None,
        last_updated_after=None,
        last_updated_before=None,
        fulfillment_statuses=None,
        fulfilled_by=None,
        included_data=None,
        page_size=100,
    ) -> Iterator[OrdersPage]:
        """Pages of searchOrders. Give exactly one of ``created_after`` or
        ``last_updated_after`` (datetimes or ISO strings)."""
        params = _clean(
            {
                "marketplaceIds": _csv(marketplace_ids),
                "createdAfter": _iso(created_after),
                "createdBefore": _iso(created_before),
                "lastUpdatedAfter": _iso(last_updated_after),
                "lastUpdatedBefore": _iso(last_updated_before),
                "fulfillmentStatuses": _csv(fulfillment_statuses),
                "fulfilledBy": _csv(fulfilled_by),
                "includedData": _csv(included_data),
                "maxResultsPerPage": page_size,
            }
        )

        def fetch(token):
            query = dict(params, paginationToken=token) if token else dict(params)
            body = self._call("searchOrders", OrdersV20260101, lambda c: c.search_orders(**query))
            body = body or {}
            return OrdersPage(
                items=body.get("orders") or [],
                next_token=next_token(body),
                payload=body,
                last_updated_before=body.get("lastUpdatedBefore"),
                created_before=body.get("createdBefore"),
            )

        return pages(fetch, "searchOrders")

    def iter_orders(self, marketplace_ids, **filters) -> Iterator[dict]:
        """Orders of :meth:`search_orders`, each version of an order once, even when
        Amazon repeats a page."""
        return unique_items(
            self.search_orders(marketplace_ids, **filters),
            key=lambda order: (order.get("orderId"), order.get("lastUpdatedTime")),
        )

    def get_order(self, order_id, included_data=None) -> dict:
        kwargs = _clean({"includedData": _csv(included_data)})
        body = self._call("getOrder", OrdersV20260101, lambda c: c.get_order(order_id, **kwargs))
        return (body or {}).get("order") or {}

    def confirm_shipment(self, order_id, marketplace_id, package_detail: dict) -> None:
        """Orders v0 confirmShipment (the 2026-01-01 API has no write operations)."""
        self._call(
            "confirmShipment",
            OrdersV0,
            lambda c: c.confirm_shipment(
                order_id, marketplaceId=marketplace_id, packageDetail=package_detail
            ),
        )

    # -- Sellers ------------------------------------------------------------------------

    def get_marketplace_participations(self) -> list[dict]:
        body = self._call(
            "getMarketplaceParticipations",
            Sellers,
            lambda c: c.get_marketplace_participation(),
        )
        return (body or {}).get("payload") or []
