"""Feeds API 2021-06-30 and feed processing.

Documents live in the sandbox: ``createFeedDocument`` returns an upload URL on the sandbox
itself (``PUT /_sandbox/documents/<id>?X-Amz-Signature=...``, valid 5 sandbox minutes, same
Content-Type as requested), and ``getFeedDocument`` a download URL there. A feed goes
IN_QUEUE -> IN_PROGRESS -> DONE (or FATAL) on the sandbox clock (``QUEUE_SECONDS``,
``PROCESS_SECONDS``); its effects apply when it finishes.

Processing:
- ``JSON_LISTINGS_FEED``: validated against Amazon's listings feed schema (v2); invalid
  documents end FATAL; each message is checked and applied like the Listings Items API
  (listings.py); the result is a processing report (JSON, GZIP-compressed) valid against
  Amazon's processing report schema.
- ``POST_ORDER_ACKNOWLEDGEMENT_DATA`` (XML): items acknowledged with ``StatusCode``
  ``Failure`` are cancelled by the seller (recorded as ``cancellations``).
- Any other feed type (invoices, fulfilment XML, ...) is accepted and recorded; the result
  is an XML processing report with every message successful.
Every feed is recorded under ``received("feeds")`` with its decoded content.
"""

import gzip
import json
import secrets
import xml.etree.ElementTree as ET

from werkzeug.wrappers import Response

from . import listings, validation
from .clock import iso, parse_iso
from .errors import Reply, invalid_input, not_found
from .params import query_int, query_list

QUEUE_SECONDS = 15
PROCESS_SECONDS = 30
UPLOAD_URL_SECONDS = 300
STATUSES = ["CANCELLED", "DONE", "FATAL", "IN_PROGRESS", "IN_QUEUE"]
FEED_SCHEMA = validation.LISTINGS_FEED_SCHEMA
MESSAGE_SCHEMA = validation.LISTINGS_MESSAGE_SCHEMA
REPORT_SCHEMA = validation.REPORT_SCHEMA


def _store(state):
    with state.lock:
        return state.extra.setdefault("feeds", {"documents": {}, "feeds": {}})


def _base_url(ctx_app, request):
    return getattr(ctx_app, "base_url", None) or request.host_url.rstrip("/")


def _new_document(state, seller_id, content_type, content=None, compression=None):
    doc_id = "amzn1.tortuga.4.eu." + secrets.token_hex(16)
    document = {
        "id": doc_id,
        "seller": seller_id,
        "contentType": content_type,
        "content": content,
        "compression": compression,
        "signature": secrets.token_hex(16),
        "uploadUntil": state.clock.timestamp() + UPLOAD_URL_SECONDS,
    }
    _store(state)["documents"][doc_id] = document
    return document


def _url(app, request, document):
    query = f"X-Amz-Expires={UPLOAD_URL_SECONDS}&X-Amz-Signature={document['signature']}"
    return f"{_base_url(app, request)}/_sandbox/documents/{document['id']}?{query}"


# -- operations -----------------------------------------------------------------------


def create_feed_document(ctx):
    body = ctx.json_body()
    if not isinstance(body.get("contentType"), str) or not body["contentType"]:
        raise invalid_input("contentType is required.")
    with ctx.state.lock:
        document = _new_document(ctx.state, ctx.seller.seller_id, body["contentType"])
        url = _url(ctx.app, ctx.request, document)
    return Reply({"feedDocumentId": document["id"], "url": url}, status=201)


def create_feed(ctx):
    body = ctx.json_body()
    feed_type = body.get("feedType")
    markets = body.get("marketplaceIds")
    doc_id = body.get("inputFeedDocumentId")
    if not isinstance(feed_type, str) or not feed_type:
        raise invalid_input("feedType is required.")
    if not isinstance(markets, list) or not 1 <= len(markets) <= 25:
        raise invalid_input("marketplaceIds must list 1 to 25 marketplaces.")
    options = body.get("feedOptions") or {}
    if not isinstance(options, dict) or not all(isinstance(v, str) for v in options.values()):
        raise invalid_input("feedOptions must map names to strings.")
    state = ctx.state
    with state.lock:
        document = _store(state)["documents"].get(doc_id)
        if document is None or document["seller"] != ctx.seller.seller_id:
            raise invalid_input(f"Invalid inputFeedDocumentId {doc_id}.")
        if document["content"] is None:
            raise invalid_input(f"Feed document {doc_id} has no content: upload it first.")
        feed_id = str(50000000000 + secrets.randbelow(10**10))
        feed = {
            "feedId": feed_id,
            "feedType": feed_type,
            "marketplaceIds": list(markets),
            "createdTime": iso(state.clock.now()),
            "processingStatus": "IN_QUEUE",
            "seller": ctx.seller.seller_id,
            "input": doc_id,
            "feedOptions": options,
            "created": state.clock.timestamp(),
        }
        _store(state)["feeds"][feed_id] = feed
        state.record(
            "feeds",
            {
                "feedId": feed_id,
                "sellerId": ctx.seller.seller_id,
                "feedType": feed_type,
                "marketplaceIds": list(markets),
                "feedOptions": options,
                "contentType": document["contentType"],
                "content": decode(document["content"]),
            },
        )
    return Reply({"feedId": feed_id}, status=202)


def _public(feed):
    keys = [
        "feedId",
        "feedType",
        "marketplaceIds",
        "createdTime",
        "processingStatus",
        "processingStartTime",
        "processingEndTime",
        "resultFeedDocumentId",
    ]
    return {k: feed[k] for k in keys if k in feed}


def _own_feed(ctx):
    feed = _store(ctx.state)["feeds"].get(ctx.path["feedId"])
    if feed is None or feed["seller"] != ctx.seller.seller_id:
        raise not_found(f"Feed {ctx.path['feedId']} not found.")
    return feed


def get_feed(ctx):
    settle(ctx.state)
    with ctx.state.lock:
        return Reply(_public(_own_feed(ctx)))


def cancel_feed(ctx):
    settle(ctx.state)
    with ctx.state.lock:
        feed = _own_feed(ctx)
        if feed["processingStatus"] != "IN_QUEUE":
            raise invalid_input(
                f"Feed {feed['feedId']} is {feed['processingStatus']} and cannot be cancelled."
            )
        feed["processingStatus"] = "CANCELLED"
    return Reply(None, status=200)


def get_feeds(ctx):
    settle(ctx.state)
    token = ctx.request.args.get("nextToken")
    size = query_int(ctx, "pageSize", 10, 1, 100)
    with ctx.state.lock:
        if token:
            page = ctx.state.get_page(token, "feeds", ctx.seller.seller_id)
            if page is None:
                raise invalid_input("Invalid nextToken.")
            ids, offset = page["ids"], page["offset"]
        else:
            types = query_list(ctx, "feedTypes", max_items=10)
            if not types:
                raise invalid_input("feedTypes is required unless nextToken is given.")
            markets = set(query_list(ctx, "marketplaceIds", max_items=10))
            statuses = set(query_list(ctx, "processingStatuses", STATUSES))
            since = ctx.request.args.get("createdSince")
            until = ctx.request.args.get("createdUntil")
            try:
                since_dt = parse_iso(since) if since else None
                until_dt = parse_iso(until) if until else None
            except ValueError:
                raise invalid_input(
                    "createdSince/createdUntil must be ISO 8601 date-times."
                ) from None
            ids = [
                f["feedId"]
                for f in _store(ctx.state)["feeds"].values()
                if f["seller"] == ctx.seller.seller_id
                and f["feedType"] in types
                and (not markets or markets & set(f["marketplaceIds"]))
                and (not statuses or f["processingStatus"] in statuses)
                and (since_dt is None or parse_iso(f["createdTime"]) >= since_dt)
                and (until_dt is None or parse_iso(f["createdTime"]) <= until_dt)
            ]
            ids.reverse()
            offset = 0
        feeds = _store(ctx.state)["feeds"]
        body = {"feeds": [_public(feeds[i]) for i in ids[offset : offset + size]]}
        if offset + size < len(ids):
            next_token = secrets.token_urlsafe(18)
            ctx.state.add_page(
                next_token,
                {
                    "seller": ctx.seller.seller_id,
                    "ids": ids,
                    "offset": offset + size,
                },
                "feeds",
            )
            body["nextToken"] = next_token
    return Reply(body)


def get_feed_document(ctx):
    with ctx.state.lock:
        document = _store(ctx.state)["documents"].get(ctx.path["feedDocumentId"])
        if document is None or document["seller"] != ctx.seller.seller_id:
            raise not_found(f"Feed document {ctx.path['feedDocumentId']} not found.")
        body = {"feedDocumentId": document["id"], "url": _url(ctx.app, ctx.request, document)}
        if document["compression"]:
            body["compressionAlgorithm"] = document["compression"]
    return Reply(body)


# -- document URLs (S3 stand-in) -------------------------------------------------------


def _s3_error(status, code, message):
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    )
    return Response(body, status=status, content_type="application/xml")


def document_url(app, request, doc_id):
    state = app.state
    with state.lock:
        document = _store(state)["documents"].get(doc_id)
        if document is None or request.args.get("X-Amz-Signature") != document["signature"]:
            return _s3_error(403, "AccessDenied", "Access Denied")
        if request.method == "PUT":
            if document["content"] is not None and document.get("result"):
                return _s3_error(403, "AccessDenied", "Access Denied")
            if state.clock.timestamp() > document["uploadUntil"]:
                return _s3_error(403, "AccessDenied", "Request has expired")
            sent = (request.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            wanted = document["contentType"].split(";")[0].strip().lower()
            if sent != wanted:
                return _s3_error(
                    403, "SignatureDoesNotMatch", f"Content-Type must be {document['contentType']}"
                )
            document["content"] = request.get_data()
            return Response(b"", status=200)
        if document["content"] is None:
            return _s3_error(404, "NoSuchKey", "The specified key does not exist.")
        return Response(document["content"], status=200, content_type=document["contentType"])


def decode(content):
    """Text of an uploaded document (gunzipped if it is gzip data)."""
    if content is None:
        return None
    if content[:2] == b"\x1f\x8b":
        content = gzip.decompress(content)
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("latin-1")


# -- processing ------------------------------------------------------------------------


def settle(state):
    """Move feeds along on the sandbox clock; finished feeds take effect now."""
    now = state.clock.timestamp()
    with state.lock:
        for feed in _store(state)["feeds"].values():
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
    document = _store(state)["documents"][feed["input"]]
    text = decode(document["content"])
    if feed["feedType"] == "JSON_LISTINGS_FEED":
        status, report = _listings_feed(state, seller, feed, text)
        raw = gzip.compress(json.dumps(report, ensure_ascii=False).encode("utf-8"))
        result = _new_document(state, feed["seller"], "application/json", raw, "GZIP")
    else:
        status, report = _other_feed(state, seller, feed, text)
        result = _new_document(
            state, feed["seller"], "text/xml; charset=UTF-8", report.encode("utf-8")
        )
    result["result"] = True
    feed["processingStatus"] = status
    feed["resultFeedDocumentId"] = result["id"]


def _listings_feed(state, seller, feed, text):
    header = {"sellerId": seller.seller_id, "version": "2.0", "feedId": feed["feedId"]}
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
    if feed["feedType"] == "POST_ORDER_ACKNOWLEDGEMENT_DATA":
        messages, errors = _acknowledgements(state, seller, feed, text)
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


def _xml_report(seller, feed, processed, errors):
    rows = "".join(
        f"<Result><MessageID>0</MessageID><ResultCode>Error</ResultCode>"
        f"<ResultMessageCode>25</ResultMessageCode><ResultDescription>{_xml_escape(e)}</ResultDescription></Result>"
        for e in errors
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
