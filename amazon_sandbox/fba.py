"""FBA Fulfillment Outbound 2020-07-01: multi-channel fulfilment orders.

Outbound orders move on the sandbox clock (seconds after receipt): Received, Planning
(``PLANNING_AFTER``), Processing (``PROCESSING_AFTER``), then Complete with one shipped
package carrying tracking (``SHIPPED_AFTER``). Hold orders stay Received. When the seller's
FBA inventory lists the SKU, an order asking for more than the fulfillable quantity becomes
Unfulfillable at planning; a completed order takes its units out of the inventory. A
cancelled order (cancel is allowed until Processing) stays Cancelled.
"""

import copy
import secrets
from datetime import timedelta

from . import marketplaces
from .clock import iso, parse_iso
from .errors import Reply, invalid_input, not_found

PLANNING_AFTER = 60
PROCESSING_AFTER = 600
SHIPPED_AFTER = 1800
CARRIERS = {"EU": "DHL", "NA": "UPS", "FE": "Yamato"}
FEES = {"FBAPerUnitFulfillmentFee": "3.20"}


def _orders(state, seller_id):
    with state.lock:
        return state.extra.setdefault("outbound", {}).setdefault(seller_id, {})


def _inventory_row(seller, sku):
    return next((row for row in seller.inventory if row.get("sellerSku") == sku), None)


def _fulfillable(seller, sku):
    row = _inventory_row(seller, sku)
    if row is None:
        return None
    return row.get("inventoryDetails", {}).get("fulfillableQuantity", row.get("totalQuantity", 0))


def _marketplace_for(seller, body):
    if body.get("marketplaceId"):
        return body["marketplaceId"]
    country = body.get("destinationAddress", {}).get("countryCode")
    market = marketplaces.BY_COUNTRY.get(country)
    if market and market.id in seller.marketplaces:
        return market.id
    return seller.marketplaces[0]


def create_fulfillment_order(ctx):
    body = ctx.json_body()
    seller = ctx.seller
    order_id = body.get("sellerFulfillmentOrderId")
    with ctx.state.lock:
        orders = _orders(ctx.state, seller.seller_id)
        existing = orders.get(order_id)
        if existing is not None:
            if existing["request"] == body:
                return Reply({})  # the same order again: already accepted
            raise invalid_input(f"A fulfillment order with id {order_id} already exists.")
        item_ids = [i["sellerFulfillmentOrderItemId"] for i in body["items"]]
        if len(set(item_ids)) != len(item_ids):
            raise invalid_input("sellerFulfillmentOrderItemId values must be unique.")
        for item in body["items"]:
            if item["quantity"] < 1:
                raise invalid_input(f"quantity of {item['sellerSku']} must be positive.")
            if seller.inventory and _inventory_row(seller, item["sellerSku"]) is None:
                raise invalid_input(f"Item {item['sellerSku']} is not an FBA SKU of this seller.")
        orders[order_id] = {
            "request": copy.deepcopy(body),
            "received": ctx.state.clock.timestamp(),
            "marketplaceId": _marketplace_for(seller, body),
            "status": "Received",
            "statusUpdated": ctx.state.clock.timestamp(),
        }
        ctx.state.record("outbound", {"sellerId": seller.seller_id, "body": body})
    return Reply({})


def _advance(state, seller, record):
    """Move an order along the timeline up to now."""
    if record["status"] in ("Cancelled", "Complete", "Unfulfillable"):
        return
    if record["request"].get("fulfillmentAction") == "Hold":
        return
    age = state.clock.timestamp() - record["received"]
    steps = [
        (PLANNING_AFTER, "Planning"),
        (PROCESSING_AFTER, "Processing"),
        (SHIPPED_AFTER, "Complete"),
    ]
    for after, status in steps:
        if age < after or _rank(record["status"]) >= _rank(status):
            continue
        stamp = record["received"] + after
        if status == "Planning" and _short(seller, record):
            record["status"], record["statusUpdated"] = "Unfulfillable", stamp
            return
        record["status"], record["statusUpdated"] = status, stamp
        if status == "Complete":
            _ship(state, seller, record, stamp)


def _rank(status):
    return ["Received", "Planning", "Processing", "Complete"].index(status)


def _short(seller, record):
    for item in record["request"]["items"]:
        available = _fulfillable(seller, item["sellerSku"])
        if available is not None and available < item["quantity"]:
            return True
    return False


def _ship(state, seller, record, stamp):
    market = marketplaces.get(record["marketplaceId"])
    region = market.region if market else "EU"
    package = 1000 + secrets.randbelow(9000)
    shipped = state.clock.now() - timedelta(seconds=state.clock.timestamp() - stamp)
    arrival = shipped + timedelta(days=2)
    record["shipment"] = {
        "amazonShipmentId": "D" + secrets.token_hex(4).upper(),
        "fulfillmentCenterId": "LEJ1" if region == "EU" else "PHX7",
        "fulfillmentShipmentStatus": "SHIPPED",
        "shippingDate": iso(shipped),
        "estimatedArrivalDate": iso(arrival),
        "fulfillmentShipmentItem": [
            {
                "sellerSku": i["sellerSku"],
                "sellerFulfillmentOrderItemId": i["sellerFulfillmentOrderItemId"],
                "quantity": i["quantity"],
                "packageNumber": package,
            }
            for i in record["request"]["items"]
        ],
        "fulfillmentShipmentPackage": [
            {
                "packageNumber": package,
                "carrierCode": CARRIERS.get(region, "DHL"),
                "trackingNumber": f"SBXFBA{secrets.randbelow(10**10):010d}",
                "estimatedArrivalDate": iso(arrival),
            }
        ],
    }
    for item in record["request"]["items"]:
        row = _inventory_row(seller, item["sellerSku"])
        if row is not None:
            details = row.setdefault("inventoryDetails", {})
            details["fulfillableQuantity"] = max(
                details.get("fulfillableQuantity", 0) - item["quantity"], 0
            )
            row["totalQuantity"] = max(row.get("totalQuantity", 0) - item["quantity"], 0)
            row["lastUpdatedTime"] = iso(shipped)


def _render(state, record):
    request = record["request"]
    order = {
        key: copy.deepcopy(request[key])
        for key in (
            "sellerFulfillmentOrderId",
            "displayableOrderId",
            "displayableOrderDate",
            "displayableOrderComment",
            "shippingSpeedCategory",
            "destinationAddress",
            "fulfillmentAction",
            "fulfillmentPolicy",
            "notificationEmails",
            "deliveryWindow",
        )
        if key in request
    }
    order["displayableOrderDate"] = iso(parse_iso(request["displayableOrderDate"]))
    order["marketplaceId"] = record["marketplaceId"]
    order["fulfillmentOrderStatus"] = record["status"]
    order["receivedDate"] = iso(_at(state, record["received"]))
    order["statusUpdatedDate"] = iso(_at(state, record["statusUpdated"]))
    order.setdefault("fulfillmentPolicy", "FillOrKill")
    cancelled = record["status"] == "Cancelled"
    unfulfillable = record["status"] == "Unfulfillable"
    items = [
        {
            "sellerSku": i["sellerSku"],
            "sellerFulfillmentOrderItemId": i["sellerFulfillmentOrderItemId"],
            "quantity": i["quantity"],
            "cancelledQuantity": i["quantity"] if cancelled else 0,
            "unfulfillableQuantity": i["quantity"] if unfulfillable else 0,
        }
        for i in request["items"]
    ]
    result = {
        "fulfillmentOrder": order,
        "fulfillmentOrderItems": items,
        "fulfillmentShipments": [copy.deepcopy(record["shipment"])] if "shipment" in record else [],
        "returnItems": [],
        "returnAuthorizations": [],
    }
    return result


def _at(state, timestamp):
    return state.clock.now() - timedelta(seconds=state.clock.timestamp() - timestamp)


def _record(ctx):
    record = _orders(ctx.state, ctx.seller.seller_id).get(ctx.path["sellerFulfillmentOrderId"])
    if record is None:
        raise not_found(f"Fulfillment order {ctx.path['sellerFulfillmentOrderId']} not found.")
    _advance(ctx.state, ctx.seller, record)
    return record


def get_fulfillment_order(ctx):
    with ctx.state.lock:
        return Reply({"payload": _render(ctx.state, _record(ctx))})


def cancel_fulfillment_order(ctx):
    with ctx.state.lock:
        record = _record(ctx)
        if record["status"] not in ("Received", "Planning", "New"):
            raise invalid_input(
                f"A fulfillment order in status {record['status']} cannot be cancelled."
            )
        record["status"] = "Cancelled"
        record["statusUpdated"] = ctx.state.clock.timestamp()
        ctx.state.record(
            "outbound_cancellations",
            {
                "sellerId": ctx.seller.seller_id,
                "sellerFulfillmentOrderId": ctx.path["sellerFulfillmentOrderId"],
            },
        )
    return Reply({})


def list_all_fulfillment_orders(ctx):
    since = ctx.request.args.get("queryStartDate")
    with ctx.state.lock:
        rows = []
        for record in _orders(ctx.state, ctx.seller.seller_id).values():
            _advance(ctx.state, ctx.seller, record)
            rendered = _render(ctx.state, record)["fulfillmentOrder"]
            if since and parse_iso(rendered["statusUpdatedDate"]) < parse_iso(since):
                continue
            rows.append(rendered)
    return Reply({"payload": {"fulfillmentOrders": rows}})


def get_fulfillment_preview(ctx):
    body = ctx.json_body()
    seller = ctx.seller
    speeds = body.get("shippingSpeedCategories") or ["Standard", "Expedited", "Priority"]
    marketplace_id = _marketplace_for(seller, {**body, "destinationAddress": body["address"]})
    currency = getattr(marketplaces.get(marketplace_id), "currency", "EUR")
    now = ctx.state.clock.now()
    previews = []
    short = []
    with ctx.state.lock:
        if seller.inventory:
            for item in body["items"]:
                available = _fulfillable(seller, item["sellerSku"])
                if available is None or available < item["quantity"]:
                    short.append(item)
    days = {"Standard": 4, "Expedited": 2, "Priority": 1, "ScheduledDelivery": 2}
    for speed in speeds:
        preview = {
            "shippingSpeedCategory": speed,
            "isFulfillable": not short,
            "isCODCapable": False,
            "marketplaceId": marketplace_id,
        }
        if short:
            preview["unfulfillablePreviewItems"] = [
                {
                    "sellerSku": i["sellerSku"],
                    "quantity": i["quantity"],
                    "sellerFulfillmentOrderItemId": i["sellerFulfillmentOrderItemId"],
                    "itemUnfulfillableReasons": ["InventoryUnavailable"],
                }
                for i in short
            ]
        else:
            preview["estimatedFees"] = [
                {"name": name, "amount": {"currencyCode": currency, "value": value}}
                for name, value in FEES.items()
            ]
            preview["fulfillmentPreviewShipments"] = [
                {
                    "earliestShipDate": iso(now + timedelta(hours=4)),
                    "latestShipDate": iso(now + timedelta(days=1)),
                    "earliestArrivalDate": iso(now + timedelta(days=days.get(speed, 3))),
                    "latestArrivalDate": iso(now + timedelta(days=days.get(speed, 3) + 2)),
                    "fulfillmentPreviewItems": [
                        {
                            "sellerSku": i["sellerSku"],
                            "quantity": i["quantity"],
                            "sellerFulfillmentOrderItemId": i["sellerFulfillmentOrderItemId"],
                        }
                        for i in body["items"]
                    ],
                }
            ]
        previews.append(preview)
    return Reply({"payload": {"fulfillmentPreviews": previews}})


def get_package_tracking_details(ctx):
    number = ctx.request.args.get("packageNumber")
    with ctx.state.lock:
        for record in _orders(ctx.state, ctx.seller.seller_id).values():
            _advance(ctx.state, ctx.seller, record)
            shipment = record.get("shipment")
            if not shipment:
                continue
            package = shipment["fulfillmentShipmentPackage"][0]
            if str(package["packageNumber"]) != number:
                continue
            delivered = ctx.state.clock.now() >= parse_iso(shipment["estimatedArrivalDate"])
            address = record["request"]["destinationAddress"]
            where = {
                "city": address.get("city", ""),
                "state": address.get("stateOrRegion", ""),
                "country": address.get("countryCode", ""),
            }
            events = [
                {
                    "eventDate": shipment["shippingDate"],
                    "eventAddress": where,
                    "eventCode": "EVENT_101",
                    "eventDescription": "Carrier picked up the package.",
                }
            ]
            if delivered:
                events.append(
                    {
                        "eventDate": shipment["estimatedArrivalDate"],
                        "eventAddress": where,
                        "eventCode": "EVENT_301",
                        "eventDescription": "Delivered.",
                    }
                )
            return Reply(
                {
                    "payload": {
                        "packageNumber": package["packageNumber"],
                        "trackingNumber": package["trackingNumber"],
                        "carrierCode": package["carrierCode"],
                        "shipDate": shipment["shippingDate"],
                        "estimatedArrivalDate": shipment["estimatedArrivalDate"],
                        "shipToAddress": where,
                        "currentStatus": "DELIVERED" if delivered else "IN_TRANSIT",
                        "trackingEvents": events,
                    }
                }
            )
    raise not_found(f"Package {number} not found.")
