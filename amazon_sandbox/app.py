"""The sandbox WSGI application: routing, authentication, throttling, faults, logging.

Amazon paths are served by operation handlers (orders.py, sellers.py, ...); LWA at
``/auth/o2/token``; control endpoints under ``/_sandbox/`` (control.py). Routing never
looks at the Host header.
"""

import json
import time
import traceback
import uuid
from dataclasses import dataclass, field
from typing import Any

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from . import (
    auth,
    catalog,
    contract,
    control,
    demo,
    documents,
    fba,
    feeds,
    inventory,
    listings,
    notifications,
    orders,
    sellers,
)
from .clock import Clock, iso
from .errors import ApiError, invalid_input, json_response
from .faults import Faults
from .limits import Limiter, rate_from_description
from .state import State

# Our own request header: also answer static cases that name no parameters (they would
# otherwise shadow the whole operation), and only those cases.
STATIC_HEADER = "x-amzn-sandbox-static"


@dataclass(frozen=True)
class Operation:
    name: str
    method: str
    path: str
    handler: Any
    # Grantless operations take an application token (LWA client_credentials), not a
    # seller's; seller tokens are refused there, as Amazon does.
    grantless: bool = False


OPERATIONS = [
    Operation("searchOrders", "GET", "/orders/2026-01-01/orders", orders.search_orders),
    Operation("getOrder", "GET", "/orders/2026-01-01/orders/<orderId>", orders.get_order),
    Operation(
        "confirmShipment",
        "POST",
        "/orders/v0/orders/<orderId>/shipmentConfirmation",
        orders.confirm_shipment,
    ),
    Operation("getFeeds", "GET", "/feeds/2021-06-30/feeds", feeds.get_feeds),
    Operation("createFeed", "POST", "/feeds/2021-06-30/feeds", feeds.create_feed),
    Operation("getFeed", "GET", "/feeds/2021-06-30/feeds/<feedId>", feeds.get_feed),
    Operation("cancelFeed", "DELETE", "/feeds/2021-06-30/feeds/<feedId>", feeds.cancel_feed),
    Operation(
        "createFeedDocument", "POST", "/feeds/2021-06-30/documents", feeds.create_feed_document
    ),
    Operation(
        "getFeedDocument",
        "GET",
        "/feeds/2021-06-30/documents/<feedDocumentId>",
        feeds.get_feed_document,
    ),
    Operation(
        "searchListingsItems",
        "GET",
        "/listings/2021-08-01/items/<sellerId>",
        listings.search_listings_items,
    ),
    Operation(
        "getListingsItem",
        "GET",
        "/listings/2021-08-01/items/<sellerId>/<path:sku>",
        listings.get_listings_item,
    ),
    Operation(
        "putListingsItem",
        "PUT",
        "/listings/2021-08-01/items/<sellerId>/<path:sku>",
        listings.put_listings_item,
    ),
    Operation(
        "patchListingsItem",
        "PATCH",
        "/listings/2021-08-01/items/<sellerId>/<path:sku>",
        listings.patch_listings_item,
    ),
    Operation(
        "deleteListingsItem",
        "DELETE",
        "/listings/2021-08-01/items/<sellerId>/<path:sku>",
        listings.delete_listings_item,
    ),
    Operation(
        "searchCatalogItems", "GET", "/catalog/2022-04-01/items", catalog.search_catalog_items
    ),
    Operation(
        "getCatalogItem", "GET", "/catalog/2022-04-01/items/<asin>", catalog.get_catalog_item
    ),
    Operation(
        "createFulfillmentOrder",
        "POST",
        "/fba/outbound/2020-07-01/fulfillmentOrders",
        fba.create_fulfillment_order,
    ),
    Operation(
        "listAllFulfillmentOrders",
        "GET",
        "/fba/outbound/2020-07-01/fulfillmentOrders",
        fba.list_all_fulfillment_orders,
    ),
    Operation(
        "getFulfillmentPreview",
        "POST",
        "/fba/outbound/2020-07-01/fulfillmentOrders/preview",
        fba.get_fulfillment_preview,
    ),
    Operation(
        "getFulfillmentOrder",
        "GET",
        "/fba/outbound/2020-07-01/fulfillmentOrders/<sellerFulfillmentOrderId>",
        fba.get_fulfillment_order,
    ),
    Operation(
        "cancelFulfillmentOrder",
        "PUT",
        "/fba/outbound/2020-07-01/fulfillmentOrders/<sellerFulfillmentOrderId>/cancel",
        fba.cancel_fulfillment_order,
    ),
    Operation(
        "getPackageTrackingDetails",
        "GET",
        "/fba/outbound/2020-07-01/tracking",
        fba.get_package_tracking_details,
    ),
    Operation(
        "getInventorySummaries",
        "GET",
        "/fba/inventory/v1/summaries",
        inventory.get_inventory_summaries,
    ),
    Operation(
        "getDestinations",
        "GET",
        "/notifications/v1/destinations",
        notifications.get_destinations,
        grantless=True,
    ),
    Operation(
        "createDestination",
        "POST",
        "/notifications/v1/destinations",
        notifications.create_destination,
        grantless=True,
    ),
    Operation(
        "getDestination",
        "GET",
        "/notifications/v1/destinations/<destinationId>",
        notifications.get_destination,
        grantless=True,
    ),
    Operation(
        "deleteDestination",
        "DELETE",
        "/notifications/v1/destinations/<destinationId>",
        notifications.delete_destination,
        grantless=True,
    ),
    Operation(
        "getSubscription",
        "GET",
        "/notifications/v1/subscriptions/<notificationType>",
        notifications.get_subscription,
    ),
    Operation(
        "createSubscription",
        "POST",
        "/notifications/v1/subscriptions/<notificationType>",
        notifications.create_subscription,
    ),
    Operation(
        "getSubscriptionById",
        "GET",
        "/notifications/v1/subscriptions/<notificationType>/<subscriptionId>",
        notifications.get_subscription_by_id,
        grantless=True,
    ),
    Operation(
        "deleteSubscriptionById",
        "DELETE",
        "/notifications/v1/subscriptions/<notificationType>/<subscriptionId>",
        notifications.delete_subscription_by_id,
        grantless=True,
    ),
    Operation(
        "getMarketplaceParticipations",
        "GET",
        "/sellers/v1/marketplaceParticipations",
        sellers.marketplace_participations,
    ),
]


@dataclass
class Context:
    """What an operation handler gets: the request, state and the calling seller."""

    request: Request
    state: State
    seller: Any
    path: dict
    operation: Operation
    faults: Faults
    app: Any = None
    extra: dict = field(default_factory=dict)

    def json_body(self):
        if not self.request.get_data():
            raise invalid_input("A request body is required.")
        try:
            body = json.loads(self.request.get_data().decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise invalid_input("The request body is not valid JSON.") from None
        if not isinstance(body, dict):
            raise invalid_input("The request body must be a JSON object.")
        return body


def _model_rates():
    """{operation: (rate, burst)} from the usage-plan tables in the models' descriptions."""
    rates = {}
    for op in OPERATIONS:
        spec = contract.spec_for(op.method, op.path)
        found = spec and rate_from_description(spec.operation.get("description"))
        if found:
            rates[op.name] = found
    return rates


def _server_error(status):
    text = {500: "Internal Server Error", 503: "Service Unavailable"}[status]
    body = f"<html><head><title>{status} {text}</title></head><body><h1>{text}</h1></body></html>"
    return Response(body, status=status, content_type="text/html")


class SandboxApp:
    def __init__(self, seed=None, speed=1.0, faults=None):
        self.clock = Clock(speed)
        self.state = State(self.clock)
        self.faults = Faults(faults)
        self.limiter = Limiter(self.clock, _model_rates())
        self.base_url = None  # set by SandboxServer; used in document URLs
        self.initial = {"seed": seed, "speed": float(speed), "faults": faults}
        self.operations = {op.name: op for op in OPERATIONS}
        rules = [Rule(op.path, endpoint=op.name, methods=[op.method]) for op in OPERATIONS]
        # An empty ASIN ("/items/") is still getCatalogItem (Amazon answers it with a 400).
        rules.append(
            Rule(
                "/catalog/2022-04-01/items/",
                endpoint="getCatalogItem",
                methods=["GET"],
                defaults={"asin": ""},
            )
        )
        rules.append(Rule("/auth/o2/token", endpoint="lwa", methods=["POST"]))
        rules.append(
            Rule("/_sandbox/documents/<doc_id>", endpoint="documents", methods=["GET", "PUT"])
        )
        rules.extend(control.rules())
        self.url_map = Map(rules, strict_slashes=False, merge_slashes=False)
        self.reset()

    # -- state ---------------------------------------------------------------
    def reset(self, seed=None):
        """Back to the start: the given seed (else the start seed, else the demo seller),
        the start speed and faults, empty buckets and records."""
        self.clock.restart(self.initial["speed"])
        self.faults.set(self.initial["faults"])
        self.limiter.reset()
        seed = seed if seed is not None else self.initial["seed"]
        self.state.load(seed if seed is not None else demo.demo_seed(self.clock.now()))

    # -- WSGI ----------------------------------------------------------------
    def __call__(self, environ, start_response):
        request = Request(environ)
        response = self.dispatch(request)
        return response(environ, start_response)

    def dispatch(self, request):
        adapter = self.url_map.bind("sandbox", url_scheme="http")
        try:
            endpoint, args = adapter.match(request.path, method=request.method)
        except MethodNotAllowed:
            return json_response(
                {"errors": [{"code": "MethodNotAllowed", "message": "Method not allowed."}]}, 405
            )
        except NotFound:
            return json_response(
                {"errors": [{"code": "NotFound", "message": f"No resource at {request.path}."}]},
                404,
            )
        except HTTPException as exc:  # e.g. a redirect; never expected
            return exc.get_response()
        if endpoint == "lwa":
            return self._logged(request, "lwa", lambda: auth.token_endpoint(self.state, request))
        if endpoint == "documents":
            return documents.document_url(self, request, args["doc_id"])
        if endpoint.startswith("control:"):
            return control.handle(self, endpoint, request, args)
        return self._operation(request, self.operations[endpoint], args)

    def _logged(self, request, name, call, seller=None):
        started = time.monotonic()
        response = call()
        self.state.log_request(
            {
                "time": iso(self.clock.now()),
                "operation": name,
                "method": request.method,
                "path": request.path,
                "query": request.query_string.decode("latin-1"),
                "status": response.status_code,
                "seller": seller,
                "ms": round((time.monotonic() - started) * 1000, 1),
            }
        )
        return response

    def _operation(self, request, op, args):
        holder = {}

        def call():
            response = self._run(request, op, args, holder)
            response.headers["x-amzn-RequestId"] = str(uuid.uuid4())
            response.headers["x-amzn-RateLimit-Limit"] = self.limiter.header(op.name)
            return response

        response = self._logged(request, op.name, call, seller=None)
        with self.state.lock:
            self.state.request_log[-1]["seller"] = holder.get("seller")
        if holder.get("slow"):
            time.sleep(self.faults.setting("slow_seconds"))
        return response

    def _run(self, request, op, args, holder):
        try:
            seller_id = auth.authenticate(self.state, request, grantless=op.grantless)
        except ApiError as exc:
            return json_response(exc.body(), exc.status)
        holder["seller"] = seller_id
        if self.faults.fire("429"):
            return self._throttled()
        for status in (500, 503):
            if self.faults.fire(str(status)):
                return _server_error(status)
        if not self.limiter.take(seller_id, op.name):
            return self._throttled()
        holder["slow"] = self.faults.fire("slow")
        spec = contract.spec_for(op.method, op.path)
        if spec is not None:
            every_case = request.headers.get(STATIC_HEADER, "").lower() == "true"
            found = spec.match_static(request, args, include_unparameterised=every_case)
            if found is not None:
                status, body = found
                return json_response(None if status == 204 else body, status)
            errors = spec.request_errors(request, args)
            if errors:
                error = invalid_input(errors[0], "; ".join(errors))
                return self._checked(spec, op, json_response(error.body(), 400), error.body())
        seller = self.state.sellers.get(seller_id) if seller_id else None
        ctx = Context(request, self.state, seller, args, op, self.faults, app=self)
        try:
            reply = op.handler(ctx)
        except ApiError as exc:
            return self._checked(spec, op, json_response(exc.body(), exc.status), exc.body())
        except Exception:  # a sandbox bug: recorded, so the test that met it fails
            with self.state.lock:
                self.state.problems.append(
                    {"operation": op.name, "status": 500, "errors": [traceback.format_exc()]}
                )
            body = {"errors": [{"code": "InternalFailure", "message": "Sandbox error."}]}
            return json_response(body, 500)
        body = None if isinstance(reply, Response) or reply.raw is not None else reply.body
        return self._checked(spec, op, self._reply(reply), body)

    def _checked(self, spec, op, response, body):
        """Validate a reply against the model; a failure is a sandbox bug, kept in
        ``state.problems`` (the test fixture fails on it)."""
        if spec is not None:
            errors = spec.response_errors(response.status_code, body)
            if errors:
                with self.state.lock:
                    self.state.problems.append(
                        {
                            "operation": op.name,
                            "status": response.status_code,
                            "errors": errors[:10],
                        }
                    )
        return response

    def _throttled(self):
        with self.state.lock:
            self.state.counters["_throttled"]["total"] += 1
        return json_response(
            {
                "errors": [
                    {
                        "code": "QuotaExceeded",
                        "message": "You exceeded your quota for the requested resource.",
                    }
                ]
            },
            429,
        )

    def _reply(self, reply):
        if isinstance(reply, Response):
            return reply
        if reply.raw is not None:
            response = Response(reply.raw, status=reply.status, headers=reply.headers)
            if reply.content_type:
                response.content_type = reply.content_type
            return response
        return json_response(reply.body, reply.status, reply.headers)
