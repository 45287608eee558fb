"""``AmazonClient``: every SP-API operation the plugin uses, behind one set of rules.

Each call takes a token from the shared rate limiter, goes through the wrapped library
(see :mod:`.transport`), retries throttling and outages with backoff inside a time budget
(``max_retry_seconds``) and answers plain JSON (dicts, lists) or raises a typed error from
:mod:`.errors`. Safe to share between threads.
"""

import gzip as gzip_module
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC
from urllib.parse import quote, urlsplit

from sp_api.api.catalog_items.catalog_items_2022_04_01 import CatalogItemsV20220401
from sp_api.api.feeds.feeds_2021_06_30 import FeedsV20210630
from sp_api.api.fulfillment_outbound.fulfillment_outbound import FulfillmentOutbound
from sp_api.api.inventories.inventories import Inventories
from sp_api.api.listings_items.listings_items_2021_08_01 import ListingsItemsV20210801
from sp_api.api.notifications.notifications import Notifications
from sp_api.api.orders.orders_2026_01_01 import OrdersV20260101
from sp_api.api.orders.orders_v0 import OrdersV0
from sp_api.api.sellers.sellers import Sellers

from ..crypto import mask
from ..regions import LWA_TOKEN_URL, REGIONS
from . import errors, lwa, transport
from .limits import default_limiter, parse_rate_header
from .pagination import OrdersPage, Page, next_token, pages, unique_items
from .retry import Backoff, call_with_retry

DEFAULT_MAX_RETRY_SECONDS = 60.0
ARRIVAL_MARGIN = 0.025  # seconds added to a rate-limit wait
# Sent twice, these would confirm a package twice (Amazon then refuses the duplicate), or
# create a second feed, destination or subscription. After a lost answer they are not
# resent: the caller gets UnavailableError(maybe_processed=True) and checks Amazon's state.
NOT_REPEATABLE = {"confirmShipment", "createFeed", "createDestination", "createSubscription"}
CATALOG_IDENTIFIERS_PER_CALL = 20
INVENTORY_SKUS_PER_CALL = 50


@dataclass(frozen=True)
class Credentials:
    client_id: str
    client_secret: str = field(repr=False)
    refresh_token: str = field(repr=False)
    region: str = "EU"
    seller_id: str = ""

    def __repr__(self):
        return (
            f"Credentials(client_id={self.client_id!r}, region={self.region!r}, "
            f"seller_id={self.seller_id!r}, refresh_token={mask(self.refresh_token)!r})"
        )


def _csv(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return ",".join(str(v) for v in value)


def _iso(value) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _clean(params: dict) -> dict:
    return {k: v for k, v in params.items() if v is not None}


def _chunks(items, size):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


class AmazonClient:
    def __init__(
        self,
        credentials: Credentials,
        endpoint=None,
        lwa_endpoint=None,
        limiter=None,
        max_retry_seconds=DEFAULT_MAX_RETRY_SECONDS,
        timeout=transport.DEFAULT_TIMEOUT,
        backoff=None,
    ):
        self.credentials = credentials
        self.endpoint = (endpoint or REGIONS[credentials.region].endpoint).rstrip("/")
        self.lwa_endpoint = (lwa_endpoint or LWA_TOKEN_URL).rstrip("/")
        self.limiter = limiter or default_limiter()
        self.max_retry_seconds = float(max_retry_seconds)
        self.backoff = backoff or Backoff()
        self._transport = transport.Transport(timeout=timeout)
        self._token_class = lwa.token_client_class(self.lwa_endpoint)
        self._local = threading.local()
        self._rates: dict[str, float] = {}
        # A sandbox or proxy is not Amazon: its quota is counted apart from Amazon's.
        default = REGIONS[credentials.region].endpoint
        self._quota_scope = "" if self.endpoint == default else f"@{urlsplit(self.endpoint).netloc}"

    def quota_owner(self, grantless=False) -> str:
        """Whose rate-limit buckets a call uses: the seller (the application for grantless
        operations), scoped to the endpoint when it is not Amazon's."""
        owner = "application" if grantless else (self.credentials.seller_id or "seller")
        return owner + self._quota_scope

    def __repr__(self):
        return f"<AmazonClient {self.credentials!r} endpoint={self.endpoint}>"

    def close(self):
        """Close the client's HTTP connections (it is also a context manager)."""
        self._transport.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    # -- the one way every operation is called ------------------------------------------

    def _library(self, library_class):
        clients = self._local.__dict__.setdefault("clients", {})
        client = clients.get(library_class)
        if client is None:
            client = transport.library_client(
                library_class,
                credentials=self.credentials,
                endpoint=self.endpoint,
                token_client_class=self._token_class,
                transport=self._transport,
            )
            clients[library_class] = client
        return client

    def _call(self, operation, library_class, fn, *, grantless=False):
        """Run ``fn(library_client)`` under the limiter and the retry budget; return the
        answer's JSON body (None when empty). Operations that must not happen twice are not
        resent when Amazon may have acted on a request whose answer was lost."""
        seller = self.quota_owner(grantless)
        region = self.credentials.region
        clock = self._clock

        def attempt(deadline):
            # Fetch the access token first (usually cached), so that the time between
            # taking a token and reaching Amazon does not include a call to LWA.
            self._authorize(library_class, grantless)
            reservation = self.limiter.reserve(
                seller, region, operation, max(0.0, deadline - clock())
            )
            if not reservation.granted:
                raise errors.ThrottledError(
                    f"Rate limit: next {operation} call allowed in {reservation.wait:.1f}s.",
                    operation=operation,
                    retry_after=reservation.wait,
                )
            if reservation.wait:
                # Land a little after the token is due: a request that travels faster than
                # the first one of the burst would otherwise reach Amazon a hair too early.
                self._sleep(reservation.wait + ARRIVAL_MARGIN)
            return self._send(operation, library_class, fn, seller, region)

        once = operation in NOT_REPEATABLE

        def retry_if(exc):
            return not (once and getattr(exc, "maybe_processed", False))

        return call_with_retry(
            attempt,
            budget=self.max_retry_seconds,
            backoff=self.backoff,
            clock=clock,
            retry_if=retry_if,
        )

    def _authorize(self, library_class, grantless):
        client = self._library(library_class)
        return client.grantless_auth if grantless else client.auth

    def _send(self, operation, library_class, fn, seller, region, renewed=False):
        client = self._library(library_class)
        client.last_response = None
        try:
            fn(client)
        except errors.SPAPIError as exc:
            exc.operation = exc.operation or operation
            if isinstance(exc, errors.ThrottledError) and exc.status == 429:
                self.limiter.drain(seller, region, operation)
            if isinstance(exc, errors.AuthError) and exc.operation != "lwa" and not renewed:
                # Amazon refused the access token: get a fresh one once, then give up.
                client._auth.forget()
                return self._send(operation, library_class, fn, seller, region, renewed=True)
            raise
        finally:
            self._observe_rate(client.last_response, seller, region, operation)
        response = client.last_response
        if response is None or not response.content:
            return None
        try:
            return response.json()
        except ValueError as exc:
            raise errors.UnavailableError(
                f"Amazon answered {response.status_code} with a body that is not JSON.",
                operation=operation,
                status=response.status_code,
            ) from exc

    def _observe_rate(self, response, seller, region, operation):
        if response is None:
            return
        rate = parse_rate_header(response.headers.get("x-amzn-RateLimit-Limit"))
        key = f"{seller}:{region}:{operation}"
        if rate is not None and self._rates.get(key) != rate:
            self.limiter.observe_rate(seller, region, operation, rate)
            self._rates[key] = rate

    _clock = staticmethod(time.monotonic)
    _sleep = staticmethod(time.sleep)

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

    # -- Feeds 2021-06-30 ---------------------------------------------------------------

    def create_feed_document(self, content_type) -> dict:
        return self._call(
            "createFeedDocument",
            FeedsV20210630,
            lambda c: c.create_feed_document(None, content_type),
        )

    def upload_feed_document(self, url, content, content_type, gzip=False) -> None:
        """PUT the document to Amazon's upload URL as UTF-8 bytes (the library would
        encode text as Latin-1)."""
        data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
        headers = {"content-type": content_type}
        if gzip:
            data = gzip_module.compress(data)
            headers["content-encoding"] = "gzip"

        def attempt(deadline):
            response = self._transport.put(url, content=data, headers=headers)
            transport.raise_for_response(response, "uploadFeedDocument")

        call_with_retry(attempt, budget=self.max_retry_seconds, backoff=self.backoff)

    def create_feed(self, feed_type, marketplace_ids, document_id, feed_options=None) -> str:
        kwargs = {"marketplaceIds": list(marketplace_ids)}
        if feed_options:
            kwargs["feedOptions"] = feed_options
        body = self._call(
            "createFeed",
            FeedsV20210630,
            lambda c: c.create_feed(feed_type, document_id, **kwargs),
        )
        return body["feedId"]

    def submit_feed(self, feed_type, marketplace_ids, content, content_type) -> str:
        """Create a document, upload ``content`` to it, create the feed: the feed id."""
        document = self.create_feed_document(content_type)
        self.upload_feed_document(document["url"], content, content_type)
        return self.create_feed(feed_type, marketplace_ids, document["feedDocumentId"])

    def get_feed(self, feed_id) -> dict:
        return self._call("getFeed", FeedsV20210630, lambda c: c.get_feed(feed_id))

    def get_feed_document(self, document_id) -> bytes:
        """Download a feed document (a result report): bytes, gunzipped when Amazon says
        ``compressionAlgorithm: GZIP``."""
        path = f"/feeds/2021-06-30/documents/{quote(str(document_id), safe='')}"
        info = self._call("getFeedDocument", FeedsV20210630, lambda c: c._request(path))

        def attempt(deadline):
            response = self._transport.get(info["url"])
            transport.raise_for_response(response, "downloadFeedDocument")
            return response.content

        content = call_with_retry(attempt, budget=self.max_retry_seconds, backoff=self.backoff)
        if (info.get("compressionAlgorithm") or "").upper() == "GZIP":
            content = gzip_module.decompress(content)
        return content

    def get_feed_result(self, feed_id):
        """The feed's processing report (parsed JSON, or bytes); None until there is one."""
        feed = self.get_feed(feed_id)
        document_id = feed.get("resultFeedDocumentId")
        if not document_id:
            return None
        return transport.json_or_bytes(self.get_feed_document(document_id))

    # -- Listings Items 2021-08-01 ------------------------------------------------------

    def _listing_kwargs(self, marketplace_ids, **extra):
        return _clean({"marketplaceIds": _csv(marketplace_ids), **extra})

    def put_listing(self, sku, marketplace_ids, body, mode=None) -> dict:
        kwargs = self._listing_kwargs(marketplace_ids, mode=mode)
        return self._call(
            "putListingsItem",
            ListingsItemsV20210801,
            lambda c: c.put_listings_item(self.credentials.seller_id, sku, body=body, **kwargs),
        )

    def patch_listing(self, sku, marketplace_ids, body, mode=None) -> dict:
        kwargs = self._listing_kwargs(marketplace_ids, mode=mode)
        return self._call(
            "patchListingsItem",
            ListingsItemsV20210801,
            lambda c: c.patch_listings_item(self.credentials.seller_id, sku, body=body, **kwargs),
        )

    def get_listing(self, sku, marketplace_ids, included_data=None) -> dict:
        kwargs = self._listing_kwargs(marketplace_ids, includedData=_csv(included_data))
        return self._call(
            "getListingsItem",
            ListingsItemsV20210801,
            lambda c: c.get_listings_item(self.credentials.seller_id, sku, **kwargs),
        )

    def delete_listing(self, sku, marketplace_ids) -> dict:
        # The library's delete sends its own default marketplace: call the path directly.
        path = "/listings/2021-08-01/items/{}/{}".format(
            quote(self.credentials.seller_id, safe=""), quote(sku, safe="")
        )
        params = {"marketplaceIds": _csv(marketplace_ids), "method": "DELETE"}
        return self._call(
            "deleteListingsItem",
            ListingsItemsV20210801,
            lambda c: c._request(path, params=dict(params)),
        )

    def iter_listings(self, marketplace_ids, **filters) -> Iterator[Page]:
        """Pages of searchListingsItems; ``filters`` are Amazon's parameter names
        (``identifiers``, ``identifiersType``, ``includedData``, ``pageSize``...)."""
        params = self._listing_kwargs(
            marketplace_ids, **{k: _csv(v) if k != "pageSize" else v for k, v in filters.items()}
        )

        def fetch(token):
            query = dict(params, pageToken=token) if token else dict(params)
            body = self._call(
                "searchListingsItems",
                ListingsItemsV20210801,
                lambda c: c.search_listings_items(self.credentials.seller_id, **query),
            )
            body = body or {}
            return Page(items=body.get("items") or [], next_token=next_token(body), payload=body)

        return pages(fetch, "searchListingsItems")

    # -- Catalog Items 2022-04-01 -------------------------------------------------------

    def search_catalog_items(
        self,
        identifiers: Iterable[str],
        identifiers_type,
        marketplace_id,
        included_data=("summaries", "identifiers"),
    ) -> list[dict]:
        """Catalog items matching ``identifiers`` (EAN, UPC, ISBN, GTIN...), 20 per call."""
        results = []
        for chunk in _chunks(identifiers, CATALOG_IDENTIFIERS_PER_CALL):
            params = _clean(
                {
                    "identifiers": _csv(chunk),
                    "identifiersType": identifiers_type,
                    "marketplaceIds": marketplace_id,
                    "includedData": _csv(included_data),
                    "pageSize": CATALOG_IDENTIFIERS_PER_CALL,
                    "sellerId": self.credentials.seller_id if identifiers_type == "SKU" else None,
                }
            )

            def fetch(token, params=params):
                query = dict(params, pageToken=token) if token else dict(params)
                body = self._call(
                    "searchCatalogItems",
                    CatalogItemsV20220401,
                    lambda c: c.search_catalog_items(**query),
                )
                body = body or {}
                return Page(items=body.get("items") or [], next_token=next_token(body))

            for page in pages(fetch, "searchCatalogItems"):
                results.extend(page.items)
        return results

    # -- Sellers ------------------------------------------------------------------------

    def get_marketplace_participations(self) -> list[dict]:
        body = self._call(
            "getMarketplaceParticipations",
            Sellers,
            lambda c: c.get_marketplace_participation(),
        )
        return (body or {}).get("payload") or []

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

    # -- Notifications ------------------------------------------------------------------

    def create_destination(self, name, arn=None, account_id=None, region=None) -> dict:
        """An SQS (``arn``) or EventBridge (``account_id``, ``region``) destination."""
        kwargs = _clean({"arn": arn, "account_id": account_id, "region": region})
        body = self._call(
            "createDestination",
            Notifications,
            lambda c: c.create_destination(name=name, **kwargs),
            grantless=True,
        )
        return (body or {}).get("payload") or {}

    def get_destinations(self) -> list[dict]:
        body = self._call(
            "getDestinations", Notifications, lambda c: c.get_destinations(), grantless=True
        )
        return (body or {}).get("payload") or []

    def create_subscription(
        self, notification_type, destination_id, payload_version="1.0", processing_directive=None
    ) -> dict:
        extra = {"processingDirective": processing_directive} if processing_directive else {}
        body = self._call(
            "createSubscription",
            Notifications,
            lambda c: c.create_subscription(
                notification_type,
                destination_id=destination_id,
                payload_version=payload_version,
                **extra,
            ),
        )
        return (body or {}).get("payload") or {}

    def get_subscription(self, notification_type, payload_version=None) -> dict:
        kwargs = _clean({"payloadVersion": payload_version})
        body = self._call(
            "getSubscription",
            Notifications,
            lambda c: c.get_subscription(notification_type, **kwargs),
        )
        return (body or {}).get("payload") or {}


def exchange_authorization_code(*args, **kwargs) -> str:
    """See :func:`.lwa.exchange_authorization_code`."""
    return lwa.exchange_authorization_code(*args, **kwargs)


__all__ = ["AmazonClient", "Credentials", "exchange_authorization_code"]
