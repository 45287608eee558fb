"""Orders API 2026-01-01 (searchOrders, getOrder) and Orders v0 confirmShipment."""

import copy
import hashlib
import json
import secrets
from datetime import timedelta

from .clock import iso, parse_iso
from .errors import Reply, invalid_input, not_found
from .params import query_int, query_list

FULFILLMENT_STATUSES = [
    "PENDING_AVAILABILITY",
    "PENDING",
    "UNSHIPPED",
    "PARTIALLY_SHIPPED",
    "SHIPPED",
    "CANCELLED",
    "UNFULFILLABLE",
]
FULFILLED_BY = ["MERCHANT", "AMAZON"]
INCLUDED_DATA = [
    "BUYER",
    "RECIPIENT",
    "PROCEEDS",
    "EXPENSE",
    "PROMOTION",
    "CANCELLATION",
    "FULFILLMENT",
    "PACKAGES",
    "TAX",
    "PAYMENT",
    "FULFILLMENT_ORDERS",
]
# Which Order / OrderItem properties each includedData value adds; the rest is always there.
ORDER_DATASETS = {
    "BUYER": ["buyer"],
    "RECIPIENT": ["recipient"],
    "PROCEEDS": ["proceeds"],
    "PAYMENT": ["payment"],
    "TAX": ["tax"],
    "FULFILLMENT": ["fulfillment"],
    "PACKAGES": ["packages"],
    "FULFILLMENT_ORDERS": ["fulfillmentOrders"],
}
ITEM_DATASETS = {
    "PROCEEDS": ["proceeds"],
    "EXPENSE": ["expense"],
    "PROMOTION": ["promotion"],
    "CANCELLATION": ["cancellation"],
    "FULFILLMENT": ["fulfillment"],
    "TAX": ["tax"],
}
ORDER_OPTIONAL = {key for keys in ORDER_DATASETS.values() for key in keys}
ITEM_OPTIONAL = {key for keys in ITEM_DATASETS.values() for key in keys}
# Latest allowed "before" bound: two minutes before the request.
BEFORE_MARGIN = timedelta(minutes=2)
PAGE_TOKEN_LIFETIME = 24 * 3600
# Parameters that must stay identical between pages.
PAGE_FIXED = [
    "createdAfter",
    "createdBefore",
    "lastUpdatedAfter",
    "lastUpdatedBefore",
    "fulfillmentStatuses",
    "marketplaceIds",
    "fulfilledBy",
]


def render_order(order, included):
    """The order as Amazon returns it for these includedData values."""
    wanted_order = {key for ds in included for key in ORDER_DATASETS.get(ds, [])}
    wanted_item = {key for ds in included for key in ITEM_DATASETS.get(ds, [])}
    out = {
        k: copy.deepcopy(v)
        for k, v in order.items()
        if k not in ORDER_OPTIONAL or k in wanted_order
    }
    out["orderItems"] = [
        {k: copy.deepcopy(v) for k, v in item.items() if k not in ITEM_OPTIONAL or k in wanted_item}
        for item in order.get("orderItems", [])
    ]
    return out


def _time(ctx, name):
    value = ctx.request.args.get(name)
    if value is None:
        return None
    try:
        return parse_iso(value)
    except ValueError:
        raise invalid_input(f"Invalid {name}: {value} is not an ISO 8601 date-time.") from None


def _window(ctx, now):
    """(field, after, before, echo key) after Amazon's exactly-one rules."""
    created_after = _time(ctx, "createdAfter")
    created_before = _time(ctx, "createdBefore")
    updated_after = _time(ctx, "lastUpdatedAfter")
    updated_before = _time(ctx, "lastUpdatedBefore")
    if (created_after is None) == (updated_after is None):
        raise invalid_input("Exactly one of createdAfter and lastUpdatedAfter must be provided.")
    if created_after is not None and (updated_before is not None):
        raise invalid_input("lastUpdatedBefore cannot be provided together with createdAfter.")
    if updated_after is not None and (created_before is not None):
        raise invalid_input("createdBefore cannot be provided together with lastUpdatedAfter.")
    if created_after is not None:
        field, after, before, name = "createdTime", created_after, created_before, "createdBefore"
    else:
        field, after, before, name = (
            "lastUpdatedTime",
            updated_after,
            updated_before,
            "lastUpdatedBefore",
        )
    latest = now - BEFORE_MARGIN
    if before is None:
        before = latest.replace(microsecond=0)
    elif before > latest:
        raise invalid_input(f"{name} must be at least two minutes before the time of the request.")
    if before < after:
        raise invalid_input(f"{name} must be equal to or after the {name[:-6]}After date.")
    if after > latest:
        raise invalid_input(f"{name[:-6]}After must be at least two minutes before the request.")
    return field, after, before, name


def _signature(ctx):
    fixed = {name: sorted(ctx.request.args.getlist(name)) for name in PAGE_FIXED}
    return hashlib.sha256(json.dumps(fixed, sort_keys=True).encode()).hexdigest()


def _matching_ids(ctx, seller, window, now_ts):
    field, after, before, _ = window
    statuses = set(query_list(ctx, "fulfillmentStatuses", FULFILLMENT_STATUSES))
    markets = query_list(ctx, "marketplaceIds", max_items=50)
    fulfilled_by = set(query_list(ctx, "fulfilledBy", FULFILLED_BY))
    rows = []
    for order_id, order in seller.orders.items():
        if seller.visible_at.get(order_id, 0) > now_ts:
            continue
        stamp = parse_iso(order[field])
        if not after <= stamp <= before:
            continue
        if markets and order.get("salesChannel", {}).get("marketplaceId") not in markets:
            continue
        fulfillment = order.get("fulfillment", {})
        if statuses and fulfillment.get("fulfillmentStatus") not in statuses:
            continue
        if fulfilled_by and fulfillment.get("fulfilledBy") not in fulfilled_by:
            continue
        rows.append((parse_iso(order["lastUpdatedTime"]), order_id))
    rows.sort()
    return [order_id for _, order_id in rows]


def search_orders(ctx):
    state, seller = ctx.state, ctx.seller
    included = query_list(ctx, "includedData", INCLUDED_DATA)
    size = query_int(ctx, "maxResultsPerPage", 100, 1, 100)
    token = ctx.request.args.get("paginationToken")
    now = state.clock.now()
    with state.lock:
        if token:
            page = state.get_page(token, "orders", seller.seller_id)
            if page is None:
                raise invalid_input("The paginationToken is invalid or has expired.")
            if page["signature"] != _signature(ctx):
                raise invalid_input(
                    "Parameters other than maxResultsPerPage and includedData must not change "
                    "between pages."
                )
            ids, offset, echo = page["ids"], page["offset"], page["echo"]
        else:
            window = _window(ctx, now)
            ids = _matching_ids(ctx, seller, window, now.timestamp())
            offset, echo = 0, {window[3]: iso(window[2])}
        if ctx.faults.fire("repeat_page") and token:
            # Amazon quirk: the same page again, under a new token.
            offset = page["offset_before"]
        chunk = ids[offset : offset + size]
        body = {
            "orders": [
                render_order(seller.orders[i], included) for i in chunk if i in seller.orders
            ]
        }
        if offset + size < len(ids):
            next_token = secrets.token_urlsafe(24)
            state.add_page(
                next_token,
                {
                    "seller": seller.seller_id,
                    "signature": _signature(ctx),
                    "ids": ids,
                    "offset": offset + size,
                    "offset_before": offset,
                    "echo": echo,
                    "expires": now.timestamp() + PAGE_TOKEN_LIFETIME,
                },
                "orders",
            )
            body["pagination"] = {"nextToken": next_token}
        body.update(echo)
    return Reply(body)


def _seller_order(ctx, order_id):
    order = ctx.seller.orders.get(order_id)
    if order is None:
        raise not_found(f"Order {order_id} not found.")
    return order


def get_order(ctx):
    included = query_list(ctx, "includedData", INCLUDED_DATA)
    with ctx.state.lock:
        order = _seller_order(ctx, ctx.path["orderId"])
        return Reply({"order": render_order(order, included)})


def _confirm_errors(order, body):
    detail = body.get("packageDetail")
    if not isinstance(detail, dict):
        return "packageDetail is required."
    for name in ("packageReferenceId", "carrierCode", "trackingNumber", "shipDate", "orderItems"):
        if detail.get(name) in (None, "", []):
            return f"packageDetail.{name} is required."
    if not body.get("marketplaceId"):
        return "marketplaceId is required."
    if body["marketplaceId"] != order["salesChannel"].get("marketplaceId"):
        return f"The order is not in marketplace {body['marketplaceId']}."
    ref = str(detail["packageReferenceId"])
    if not ref.isdigit() or int(ref) < 1:
        return "packageReferenceId must be a positive number."
    if detail["carrierCode"] == "Other" and not detail.get("carrierName"):
        return "carrierName is required when carrierCode is Other."
    try:
        parse_iso(detail["shipDate"])
    except (ValueError, TypeError):
        return f"shipDate {detail['shipDate']!r} is not an ISO 8601 date-time."
    return None


class ShipmentRefused(ValueError):
    """Amazon's refusal of a package (confirmShipment's 400, a fulfilment feed's error)."""


def ship_package(state, order, ref, lines, *, carrier, ship_time, tracking="", method=""):
    """Record a package of ``order`` the seller shipped: what confirmShipment and the
    POST_ORDER_FULFILLMENT_DATA feed both do. ``lines``: [{orderItemId, quantity, ...}].
    Raises :class:`ShipmentRefused` (and changes nothing) when Amazon would refuse it."""
    fulfillment = order.setdefault("fulfillment", {})
    if fulfillment.get("fulfilledBy") == "AMAZON":
        raise ShipmentRefused("Shipments cannot be confirmed for orders fulfilled by Amazon.")
    status = fulfillment.get("fulfillmentStatus")
    if status not in ("UNSHIPPED", "PARTIALLY_SHIPPED"):
        raise ShipmentRefused(f"Shipment cannot be confirmed for an order in status {status}.")
    if any(p.get("packageReferenceId") == ref for p in order.get("packages", [])):
        raise ShipmentRefused(f"packageReferenceId {ref} was already confirmed for this order.")
    items = {item["orderItemId"]: item for item in order["orderItems"]}
    shipping = {}
    for line in lines:
        item = items.get(line.get("orderItemId"))
        if item is None:
            raise ShipmentRefused(f"Unknown orderItemId {line.get('orderItemId')}.")
        quantity = line.get("quantity")
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            raise ShipmentRefused("quantity must be a positive integer.")
        shipping[item["orderItemId"]] = shipping.get(item["orderItemId"], 0) + quantity
    for item_id, quantity in shipping.items():
        item = items[item_id]
        done = item.get("fulfillment", {}).get("quantityFulfilled", 0)
        if done + quantity > item["quantityOrdered"]:
            raise ShipmentRefused(
                f"Quantity {quantity} for orderItemId {item_id} exceeds the unshipped "
                f"quantity {item['quantityOrdered'] - done}."
            )
    now = state.clock.now()
    for item_id, quantity in shipping.items():
        item_fulfillment = items[item_id].setdefault("fulfillment", {})
        done = item_fulfillment.get("quantityFulfilled", 0) + quantity
        item_fulfillment["quantityFulfilled"] = done
        item_fulfillment["quantityUnfulfilled"] = items[item_id]["quantityOrdered"] - done
    package = {
        "packageReferenceId": ref,
        "createdTime": iso(now),
        "packageStatus": {"status": "SHIPPED"},
        "carrier": carrier,
        "shipTime": iso(ship_time),
        "packageItems": [
            {"orderItemId": line["orderItemId"], "quantity": line["quantity"]}
            | (
                {"transparencyCodes": line["transparencyCodes"]}
                if line.get("transparencyCodes")
                else {}
            )
            for line in lines
        ],
    }
    if tracking:
        package["trackingNumber"] = tracking
    if method:
        package["shippingService"] = method
    order.setdefault("packages", []).append(package)
    all_shipped = all(
        i.get("fulfillment", {}).get("quantityFulfilled", 0) >= i["quantityOrdered"]
        for i in order["orderItems"]
    )
    fulfillment["fulfillmentStatus"] = "SHIPPED" if all_shipped else "PARTIALLY_SHIPPED"
    order["lastUpdatedTime"] = iso(now)
    return package


def confirm_shipment(ctx):
    body = ctx.json_body()
    state = ctx.state
    with state.lock:
        order = _seller_order(ctx, ctx.path["orderId"])
        error = _confirm_errors(order, body)
        if error:
            raise invalid_input(error)
        detail = body["packageDetail"]
        try:
            ship_package(
                state,
                order,
                str(detail["packageReferenceId"]),
                detail["orderItems"],
                carrier=detail.get("carrierName") or detail["carrierCode"],
                ship_time=parse_iso(detail["shipDate"]),
                tracking=detail["trackingNumber"],
                method=detail.get("shippingMethod") or "",
            )
        except ShipmentRefused as exc:
            raise invalid_input(str(exc)) from exc
        state.record(
            "confirmations",
            {
                "orderId": order["orderId"],
                "sellerId": ctx.seller.seller_id,
                "receivedAt": iso(state.clock.now()),
                "source": "confirmShipment",
                "body": body,
            },
        )
    return Reply(None, status=204)
