"""Control endpoints under ``/_sandbox/`` for tests and demos (never Amazon paths).

All take and return JSON. Seller-specific ones take ``sellerId`` (default: the first seller).

- ``POST /_sandbox/reset`` [seed]: back to the start seed (or the given one), speed, faults.
- ``POST /_sandbox/sellers`` seller: add a seller (seed format of one seller).
- ``POST /_sandbox/orders`` ``{"orders": [...], "sellerId"?, "lateSeconds"?}`` (or a bare list).
- ``GET /_sandbox/orders/<id>``: the stored order with everything in it.
- ``POST /_sandbox/orders/<id>/status`` ``{"status": S, ...}``: S is a FulfillmentStatus or
  ``CANCELLATION_REQUESTED`` (buyer asks to cancel: ``items`` = orderItemIds, default all,
  ``reason``). ``CANCELLED`` takes ``cancelledBy`` (BUYER|MERCHANT|AMAZON, default BUYER) and
  ``reason``; ``SHIPPED`` marks every unit shipped and, with ``trackingNumber`` (``carrier``),
  records a package. Every change bumps ``lastUpdatedTime`` (or sets ``lastUpdatedTime``).
- ``POST /_sandbox/orders/<id>/late`` ``{"seconds": N}``: hidden from searchOrders for N
  sandbox seconds.
- ``POST /_sandbox/auth-codes`` ``{"sellerId"?}`` -> ``{"code", "sellingPartnerId"}``.
- ``POST /_sandbox/revoke`` ``{"refreshToken"}``: later grants with it fail (invalid_grant)
  and its access tokens stop working.
- ``GET|POST /_sandbox/faults`` ``{"spec": "429=0.2,..."}``; ``GET|POST /_sandbox/speed``
  ``{"factor": N}``; ``GET /_sandbox/clock``; ``POST /_sandbox/clock/advance`` ``{"seconds"}``.
- ``GET /_sandbox/received/<kind>``: confirmations, feeds, cancellations, listings,
  invoices, outbound, outbound_cancellations, destinations, subscriptions.
- ``POST /_sandbox/inventory`` ``{"sellerSku", "fulfillableQuantity", "sellerId"?}``.
- ``GET /_sandbox/requests`` [``?operation=``]: the request log.
- ``GET /_sandbox/stats``: per-operation counts by status, throttling, faults fired, clock,
  and ``problems`` (sandbox bugs, e.g. responses that failed validation).
"""

import json

from werkzeug.routing import Rule

from . import auth, feed_processing
from .clock import iso, parse_iso
from .errors import json_response
from .orders import FULFILLMENT_STATUSES

ROUTES = [
    ("reset", "POST", "/_sandbox/reset"),
    ("add_seller", "POST", "/_sandbox/sellers"),
    ("add_orders", "POST", "/_sandbox/orders"),
    ("get_order", "GET", "/_sandbox/orders/<order_id>"),
    ("set_status", "POST", "/_sandbox/orders/<order_id>/status"),
    ("make_late", "POST", "/_sandbox/orders/<order_id>/late"),
    ("auth_code", "POST", "/_sandbox/auth-codes"),
    ("revoke", "POST", "/_sandbox/revoke"),
    ("faults", "GET", "/_sandbox/faults"),
    ("set_faults", "POST", "/_sandbox/faults"),
    ("speed", "GET", "/_sandbox/speed"),
    ("set_speed", "POST", "/_sandbox/speed"),
    ("clock", "GET", "/_sandbox/clock"),
    ("advance", "POST", "/_sandbox/clock/advance"),
    ("received", "GET", "/_sandbox/received/<kind>"),
    ("set_inventory", "POST", "/_sandbox/inventory"),
    ("requests", "GET", "/_sandbox/requests"),
    ("stats", "GET", "/_sandbox/stats"),
    ("health", "GET", "/_sandbox/health"),
]


class ControlError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def rules():
    return [Rule(path, endpoint=f"control:{name}", methods=[m]) for name, m, path in ROUTES]


def handle(app, endpoint, request, args):
    name = endpoint.split(":", 1)[1]
    try:
        body = _body(request)
        result = HANDLERS[name](app, body, **args)
    except ControlError as exc:
        return json_response({"error": exc.message}, exc.status)
    except (KeyError, ValueError, TypeError) as exc:
        return json_response({"error": f"{type(exc).__name__}: {exc}"}, 400)
    return json_response(result if result is not None else {"ok": True})


def _body(request):
    data = request.get_data()
    if not data:
        return None
    try:
        return json.loads(data.decode("utf-8"))
    except ValueError:
        raise ControlError(400, "body is not JSON") from None


def _seller(app, body):
    seller_id = (body or {}).get("sellerId") if isinstance(body, dict) else None
    try:
        return app.state.seller(seller_id)
    except KeyError:
        raise ControlError(404, f"unknown seller {seller_id}") from None


def _order(app, order_id):
    seller, order = app.state.find_order(order_id)
    if order is None:
        raise ControlError(404, f"unknown order {order_id}")
    return seller, order


def reset(app, body):
    app.reset(seed=body or None)
    return {"sellers": list(app.state.sellers)}


def add_seller(app, body):
    seller = app.state.add_seller(body)
    return {
        "sellerId": seller.seller_id,
        "refreshToken": app.state.refresh_token_of(seller.seller_id),
    }


def add_orders(app, body):
    orders = body if isinstance(body, list) else body["orders"]
    seller = _seller(app, body if isinstance(body, dict) else None)
    late = body.get("lateSeconds") if isinstance(body, dict) else None
    now = app.clock.timestamp()
    added, hidden = [], []
    for order in orders:
        seconds = late
        if seconds is None and app.faults.fire("late"):
            seconds = app.faults.setting("late_seconds")
        app.state.put_order(seller, order, visible_at=now + seconds if seconds else None)
        added.append(order["orderId"])
        if seconds:
            hidden.append(order["orderId"])
    return {"added": added, "late": hidden}


def get_order(app, body, order_id):
    seller, order = _order(app, order_id)
    return {
        "sellerId": seller.seller_id,
        "order": order,
        "visibleAt": seller.visible_at.get(order_id),
    }


def set_status(app, body, order_id):
    body = body or {}
    status = body.get("status")
    with app.state.lock:
        _, order = _order(app, order_id)
        items = order["orderItems"]
        chosen = body.get("items")
        if chosen is not None:
            items = [i for i in items if i["orderItemId"] in chosen]
        fulfillment = order.setdefault("fulfillment", {})
        if status in ("CANCELLATION_REQUESTED", "BUYER_CANCELLATION_REQUESTED"):
            reason = body.get("reason", "Buyer requested cancellation")
            for item in items:
                item.setdefault("cancellation", {})["cancellationRequest"] = {
                    "requester": "BUYER",
                    "cancelReason": reason,
                }
        elif status == "CANCELLED":
            execution = {
                "cancelledBy": body.get("cancelledBy", "BUYER"),
                "cancelReason": body.get("reason", "Buyer requested cancellation"),
            }
            for item in items:
                item.setdefault("cancellation", {})["cancellationExecution"] = dict(execution)
            fulfillment["fulfillmentStatus"] = "CANCELLED"
        elif status == "SHIPPED":
            for item in items:
                item["fulfillment"] = dict(
                    item.get("fulfillment", {}),
                    quantityFulfilled=item["quantityOrdered"],
                    quantityUnfulfilled=0,
                )
            fulfillment["fulfillmentStatus"] = "SHIPPED"
            if body.get("trackingNumber"):
                now = iso(app.clock.now())
                order.setdefault("packages", []).append(
                    {
                        "packageReferenceId": str(len(order.get("packages", [])) + 1),
                        "createdTime": now,
                        "packageStatus": {"status": "SHIPPED"},
                        "carrier": body.get("carrier", "DHL"),
                        "shipTime": now,
                        "trackingNumber": body["trackingNumber"],
                        "packageItems": [
                            {"orderItemId": i["orderItemId"], "quantity": i["quantityOrdered"]}
                            for i in items
                        ],
                    }
                )
        elif status in FULFILLMENT_STATUSES:
            fulfillment["fulfillmentStatus"] = status
        else:
            raise ControlError(400, f"unknown status {status!r}")
        stamp = body.get("lastUpdatedTime")
        order["lastUpdatedTime"] = iso(parse_iso(stamp)) if stamp else iso(app.clock.now())
        return {"order": order}


def make_late(app, body, order_id):
    seconds = float((body or {}).get("seconds", 300))
    with app.state.lock:
        seller, _ = _order(app, order_id)
        seller.visible_at[order_id] = app.clock.timestamp() + seconds
    return {"orderId": order_id, "visibleAt": seller.visible_at[order_id]}


def auth_code(app, body):
    seller = _seller(app, body)
    return {
        "code": auth.mint_auth_code(app.state, seller.seller_id),
        "sellingPartnerId": seller.seller_id,
    }


def revoke(app, body):
    token = body["refreshToken"]
    return {"refreshToken": token, "known": app.state.revoke(token)}


def faults(app, body):
    return app.faults.describe()


def set_faults(app, body):
    spec = body.get("spec") if isinstance(body, dict) and "spec" in body else body
    app.faults.set(spec)
    return app.faults.describe()


def speed(app, body):
    return {"factor": app.clock.speed}


def set_speed(app, body):
    app.clock.set_speed(float(body["factor"]))
    return {"factor": app.clock.speed}


def clock(app, body):
    return {
        "now": iso(app.clock.now()),
        "timestamp": app.clock.timestamp(),
        "speed": app.clock.speed,
    }


def advance(app, body):
    app.clock.advance(float(body["seconds"]))
    return clock(app, body)


def received(app, body, kind):
    feed_processing.settle(app.state)
    with app.state.lock:
        return {"kind": kind, "items": list(app.state.received.get(kind, []))}


def set_inventory(app, body):
    """Set a SKU's fulfillable FBA quantity (adds the SKU when missing)."""
    seller = _seller(app, body)
    quantity = int(body["fulfillableQuantity"])
    with app.state.lock:
        row = next((r for r in seller.inventory if r.get("sellerSku") == body["sellerSku"]), None)
        if row is None:
            row = {"sellerSku": body["sellerSku"], "condition": "NewItem"}
            seller.inventory.append(row)
        row.setdefault("inventoryDetails", {})["fulfillableQuantity"] = quantity
        row["totalQuantity"] = quantity
        row["lastUpdatedTime"] = iso(app.clock.now())
        return {"row": row}


def requests_log(app, body):
    with app.state.lock:
        return {"requests": list(app.state.request_log)}


def stats(app, body):
    with app.state.lock:
        return {
            "operations": {op: dict(c) for op, c in app.state.counters.items()},
            "faults": app.faults.describe(),
            "clock": iso(app.clock.now()),
            "speed": app.clock.speed,
            "problems": list(app.state.problems),
        }


def health(app, body):
    return {"ok": True, "sellers": list(app.state.sellers)}


HANDLERS = {
    "reset": reset,
    "add_seller": add_seller,
    "add_orders": add_orders,
    "get_order": get_order,
    "set_status": set_status,
    "make_late": make_late,
    "auth_code": auth_code,
    "revoke": revoke,
    "faults": faults,
    "set_faults": set_faults,
    "speed": speed,
    "set_speed": set_speed,
    "clock": clock,
    "advance": advance,
    "received": received,
    "set_inventory": set_inventory,
    "requests": requests_log,
    "stats": stats,
    "health": health,
}
