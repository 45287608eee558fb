"""Feed processing on the sandbox clock: what happens to a feed after createFeed.

- ``JSON_LISTINGS_FEED``: validated against Amazon's listings feed schema (v2); invalid
  documents end FATAL; each message is checked and applied like the Listings Items API
  (listings.py); the result is a processing report (JSON, GZIP-compressed) valid against
  Amazon's processing report schema.
- ``POST_ORDER_ACKNOWLEDGEMENT_DATA`` (XML): items acknowledged with ``StatusCode``
  ``Failure`` are cancelled by the seller (recorded as ``cancellations``).
- ``POST_ORDER_FULFILLMENT_DATA`` (XML): each ``OrderFulfillment`` ships a package exactly
  as confirmShipment does (without a tracking number if none is given; all unshipped units
  when no item is listed), recorded as ``confirmations`` with source ``feed``; refusals are
  errors of the processing report under their MessageID.
- Any other feed type (invoices, ...) is accepted and recorded; the result is an XML
  processing report with every message successful.
"""

import gzip
import json
import xml.etree.ElementTree as ET

from . import listings, validation
from .clock import iso, parse_iso
from .documents import decode, feed_store, new_document

QUEUE_SECONDS = 15
PROCESS_SECONDS = 30
FEED_SCHEMA = validation.LISTINGS_FEED_SCHEMA
MESSAGE_SCHEMA = validation.LISTINGS_MESSAGE_SCHEMA
REPORT_SCHEMA = validation.REPORT_SCHEMA


def settle(state):
    """Move feeds along on the sandbox clock; finished feeds take effect now."""
    now = state.clock.timestamp()
    with state.lock:
        for feed in feed_store(state)["feeds"].values():
            if feed["processingStatus"] == "IN_QUEUE" and now >= feed["created"] + QUEUE_SECONDS:
                feed["processingStatus"] = "IN_PROGRESS"
                feed["processingStartTime"] = iso(state.clock.now())
            if (
                feed["processingStatus"] == "IN_PROGRESS"
                and now >= feed["created"] + QUEUE_SECONDS + PROCESS_SECONDS
            ):
                _process(state, feed)
                feed["processingEndTime"] = iso(state.clock.now())


def _process(state, feed):
    seller = state.sellers.get(feed["seller"])
    document = feed_store(state)["documents"][feed["input"]]
    try:
        text = decode(document["content"], document["contentType"], strict=True)
    except UnicodeDecodeError:
        text = None
    if feed["feedType"] == "JSON_LISTINGS_FEED":
        status, report = _listings_feed(state, seller, feed, text)
        raw = gzip.compress(json.dumps(report, ensure_ascii=False).encode("utf-8"))
        result = new_document(state, feed["seller"], "application/json", raw, "GZIP")
    else:
        status, report = _other_feed(state, seller, feed, text)
        result = new_document(
            state, feed["seller"], "text/xml; charset=UTF-8", report.encode("utf-8")
        )
    result["result"] = True
    feed["processingStatus"] = status
    feed["resultFeedDocumentId"] = result["id"]


def _listings_feed(state, seller, feed, text):
    header = {"sellerId": seller.seller_id, "version": "2.0", "feedId": feed["feedId"]}
    if text is None:
        fatal = _fatal("The feed is not in the character set its content type declares.")
        return "FATAL", _report(header, [fatal], 0, 0, 0)
    try:
        document = json.loads(text)
    except ValueError:
        return "FATAL", _report(header, [_fatal("The feed is not valid JSON.")], 0, 0, 0)
    if validation.models_available():
        problems = [
            e.message
            for e in validation.schema_validator(FEED_SCHEMA).iter_errors(_envelope(document))
        ]
        if problems:
            return "FATAL", _report(header, [_fatal(p) for p in problems[:20]], 0, 0, 0)
    elif not isinstance(document, dict) or not isinstance(document.get("messages"), list):
        return "FATAL", _report(header, [_fatal("The feed has no messages.")], 0, 0, 0)
    if document.get("header", {}).get("sellerId") != seller.seller_id:
        return "FATAL", _report(
            header, [_fatal("header.sellerId is not the submitting seller.")], 0, 0, 0
        )
    if "report" in document["header"]:
        header["report"] = document["header"]["report"]
    issues, accepted, invalid = [], 0, 0
    skus = []
    for message in document["messages"]:
        found = _apply_message(state, seller, feed, message)
        issues.extend(found)
        if any(i["severity"] == "ERROR" for i in found):
            invalid += 1
        else:
            accepted += 1
            if message.get("sku"):
                skus.append(message["sku"])
    report = _report(header, issues, len(document["messages"]), accepted, invalid)
    included = header.get("report", {}).get("includedData")
    if included:
        items = [
            listings.render(seller, sku, feed["marketplaceIds"], included)
            for sku in dict.fromkeys(skus)
        ]
        report["items"] = [i for i in items if i]
    if validation.models_available():
        problems = [
            e.message for e in validation.schema_validator(REPORT_SCHEMA).iter_errors(report)
        ]
        if problems:
            state.problems.append(
                {"where": f"processing report of feed {feed['feedId']}", "errors": problems}
            )
    return "DONE", report


def _envelope(document):
    """The feed with messages reduced to what the envelope schema checks; messages are
    checked one by one (an invalid message is an issue, not a FATAL feed)."""
    if not isinstance(document, dict):
        return document
    messages = document.get("messages")
    if isinstance(messages, list):
        return {
            **document,
            "messages": [{"messageId": 1, "sku": "x", "operationType": "DELETE"}] * len(messages),
        }
    return document


def _fatal(message):
    return {"severity": "ERROR", "message": message, "code": "4000001"}


def _report(header, issues, processed, accepted, invalid):
    return {
        "header": header,
        "issues": issues,
        "summary": {
            "errors": sum(1 for i in issues if i["severity"] == "ERROR"),
            "warnings": sum(1 for i in issues if i["severity"] == "WARNING"),
            "messagesProcessed": processed,
            "messagesAccepted": accepted,
            "messagesInvalid": invalid,
        },
    }


def _feed_issue(message, found):
    out = {"severity": found["severity"], "message": found["message"], "code": found["code"]}
    if isinstance(message.get("messageId"), int) and message["messageId"] >= 1:
        out["messageId"] = message["messageId"]
    if isinstance(message.get("sku"), str) and message["sku"]:
        out["sku"] = message["sku"]
    if found.get("attributeNames"):
        out["attributeName"] = found["attributeNames"][0]
    return out


def _apply_message(state, seller, feed, message):
    if validation.models_available():
        errors = [
            e.message for e in validation.schema_validator(MESSAGE_SCHEMA).iter_errors(message)
        ]
        if errors:
            return [_feed_issue(message, listings.issue("4000001", e)) for e in errors[:10]]
    sku, operation = message.get("sku"), message.get("operationType")
    now = iso(state.clock.now())
    issues = []
    for marketplace_id in feed["marketplaceIds"]:
        record = seller.listings.get(sku, {}).get(marketplace_id)
        if operation == "DELETE":
            seller.listings.get(sku, {}).pop(marketplace_id, None)
            continue
        requirements = message.get("requirements") or (record or {}).get("requirements", "LISTING")
        if operation == "UPDATE":
            attributes = message["attributes"]
        elif operation == "PARTIAL_UPDATE":
            attributes = {**(record or {}).get("attributes", {}), **message["attributes"]}
        else:
            if record is None:
                issues.append(
                    listings.issue(
                        "4000009", f"SKU {sku} does not exist in marketplace {marketplace_id}."
                    )
                )
                continue
            attributes, found = listings.apply_patches(record["attributes"], message["patches"])
            issues.extend(found)
        if operation == "PARTIAL_UPDATE" and record is None:
            issues.append(
                listings.issue(
                    "4000009", f"SKU {sku} does not exist in marketplace {marketplace_id}."
                )
            )
            continue
        found = listings.check(
            seller, marketplace_id, message["productType"], requirements, attributes
        )
        issues.extend(found)
        if not any(i["severity"] == "ERROR" for i in issues):
            listings.store(
                seller, sku, marketplace_id, message["productType"], requirements, attributes, now
            )
    if seller.listings.get(sku) == {}:
        seller.listings.pop(sku)
    state.record(
        "listings",
        {
            "source": "feed",
            "feedId": feed["feedId"],
            "operation": operation,
            "sellerId": seller.seller_id,
            "sku": sku,
            "marketplaceIds": feed["marketplaceIds"],
            "body": message,
            "status": "INVALID" if issues else "ACCEPTED",
            "issues": issues,
        },
    )
    return [_feed_issue(message, i) for i in issues]


def _other_feed(state, seller, feed, text):
    messages, errors = 1, []
    if text is None:
        return "FATAL", _xml_report(seller, feed, 0, ["The feed is not in its declared charset."])
    if feed["feedType"] == "POST_ORDER_ACKNOWLEDGEMENT_DATA":
        messages, errors = _acknowledgements(state, seller, feed, text)
    elif feed["feedType"] == "POST_ORDER_FULFILLMENT_DATA":
        messages, errors = _fulfillments(state, seller, feed, text)
    elif text and text.lstrip().startswith("<"):
        try:
            root = ET.fromstring(text)  # noqa: S314 - local test data
            messages = max(1, len(root.findall("Message")))
        except ET.ParseError as exc:
            return "FATAL", _xml_report(seller, feed, 0, [f"XML parsing error: {exc}"])
    if feed["feedType"] in ("UPLOAD_VAT_INVOICE",):
        state.record(
            "invoices",
            {
                "feedId": feed["feedId"],
                "sellerId": seller.seller_id,
                "feedOptions": feed["feedOptions"],
            },
        )
    return "DONE", _xml_report(seller, feed, messages, errors)


def _acknowledgements(state, seller, feed, text):
    try:
        root = ET.fromstring(text)  # noqa: S314 - local test data
    except ET.ParseError as exc:
        return 0, [f"XML parsing error: {exc}"]
    errors = []
    messages = root.findall("Message")
    for message in messages:
        ack = message.find("OrderAcknowledgement")
        if ack is None:
            errors.append("Message without OrderAcknowledgement.")
            continue
        order_id = (ack.findtext("AmazonOrderID") or "").strip()
        order = seller.orders.get(order_id)
        if order is None:
            errors.append(f"Order {order_id} not found.")
            continue
        if (ack.findtext("StatusCode") or "").strip() != "Failure":
            continue
        items = ack.findall("Item") or []
        wanted = {
            (i.findtext("AmazonOrderItemCode") or "").strip(): (
                i.findtext("CancelReason") or ""
            ).strip()
            for i in items
        }
        if not wanted:
            wanted = {i["orderItemId"]: "" for i in order["orderItems"]}
        for item in order["orderItems"]:
            if item["orderItemId"] in wanted:
                item.setdefault("cancellation", {})["cancellationExecution"] = {
                    "cancelledBy": "MERCHANT",
                    "cancelReason": wanted[item["orderItemId"]] or "Seller cancelled",
                }
        if all("cancellationExecution" in i.get("cancellation", {}) for i in order["orderItems"]):
            order.setdefault("fulfillment", {})["fulfillmentStatus"] = "CANCELLED"
        order["lastUpdatedTime"] = iso(state.clock.now())
        state.record(
            "cancellations",
            {
                "orderId": order_id,
                "sellerId": seller.seller_id,
                "feedId": feed["feedId"],
                "items": [{"orderItemId": k, "cancelReason": v} for k, v in wanted.items()],
            },
        )
    return len(messages), errors


def _fulfillments(state, seller, feed, text):
    from .orders import ShipmentRefused, ship_package

    try:
        root = ET.fromstring(text)  # noqa: S314 - local test data
    except ET.ParseError as exc:
        return 0, [f"XML parsing error: {exc}"]
    errors = []
    messages = root.findall("Message")
    for message in messages:
        number = (message.findtext("MessageID") or "0").strip()
        number = int(number) if number.isdigit() else 0
        shipped = message.find("OrderFulfillment")
        if shipped is None:
            errors.append((number, "Message without OrderFulfillment."))
            continue
        order_id = (shipped.findtext("AmazonOrderID") or "").strip()
        order = seller.orders.get(order_id)
        if order is None:
            errors.append((number, f"Order {order_id} not found."))
            continue
        data = shipped.find("FulfillmentData")
        data = data if data is not None else ET.Element("FulfillmentData")
        lines = [
            {
                "orderItemId": (item.findtext("AmazonOrderItemCode") or "").strip(),
                "quantity": int(q)
                if (q := (item.findtext("Quantity") or "").strip()).isdigit()
                else 0,
            }
            for item in shipped.findall("Item")
        ] or [
            {"orderItemId": i["orderItemId"], "quantity": unshipped}
            for i in order["orderItems"]
            if (
                unshipped := i["quantityOrdered"]
                - i.get("fulfillment", {}).get("quantityFulfilled", 0)
            )
            > 0
        ]
        try:
            ship_time = parse_iso((shipped.findtext("FulfillmentDate") or "").strip())
        except (ValueError, TypeError):
            errors.append((number, "FulfillmentDate is not an ISO 8601 date-time."))
            continue
        carrier = (data.findtext("CarrierName") or data.findtext("CarrierCode") or "").strip()
        try:  # (settle holds the state's lock)
            ship_package(
                state,
                order,
                (shipped.findtext("MerchantFulfillmentID") or "").strip(),
                lines,
                carrier=carrier or "Other",
                ship_time=ship_time,
                tracking=(data.findtext("ShipperTrackingNumber") or "").strip(),
                method=(data.findtext("ShippingMethod") or "").strip(),
            )
        except ShipmentRefused as exc:
            errors.append((number, str(exc)))
            continue
        state.record(
            "confirmations",
            {
                "orderId": order_id,
                "sellerId": seller.seller_id,
                "receivedAt": iso(state.clock.now()),
                "source": "feed",
                "feedId": feed["feedId"],
                "body": {"items": lines, "carrier": carrier},
            },
        )
    return len(messages), errors


def _xml_report(seller, feed, processed, errors):
    """``errors``: descriptions, or (MessageID, description) for a message's error."""
    errors = [e if isinstance(e, tuple) else (0, e) for e in errors]
    rows = "".join(
        f"<Result><MessageID>{number}</MessageID><ResultCode>Error</ResultCode>"
        f"<ResultMessageCode>25</ResultMessageCode><ResultDescription>{_xml_escape(e)}</ResultDescription></Result>"
        for number, e in errors
    )
    ok = max(processed - len(errors), 0)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">'
        f"<Header><DocumentVersion>1.02</DocumentVersion><MerchantIdentifier>{seller.seller_id}</MerchantIdentifier></Header>"
        "<MessageType>ProcessingReport</MessageType><Message><MessageID>1</MessageID><ProcessingReport>"
        f"<DocumentTransactionID>{feed['feedId']}</DocumentTransactionID><StatusCode>Complete</StatusCode>"
        f"<ProcessingSummary><MessagesProcessed>{processed}</MessagesProcessed>"
        f"<MessagesSuccessful>{ok}</MessagesSuccessful><MessagesWithError>{len(errors)}</MessagesWithError>"
        f"<MessagesWithWarning>0</MessagesWithWarning></ProcessingSummary>{rows}"
        "</ProcessingReport></Message></AmazonEnvelope>"
    )


def _xml_escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
