"""Feeds API 2021-06-30: feed documents, feeds and their status.

Documents live in the sandbox (documents.py). A feed goes IN_QUEUE -> IN_PROGRESS -> DONE
(or FATAL) on the sandbox clock and takes effect when it finishes (feed_processing.py).
Every feed is recorded under ``received("feeds")`` with its decoded content.
"""

import secrets

from .clock import iso, parse_iso
from .documents import decode, feed_store, new_document, signed_url
from .errors import Reply, invalid_input, not_found
from .feed_processing import settle
from .params import query_int, query_list

STATUSES = ["CANCELLED", "DONE", "FATAL", "IN_PROGRESS", "IN_QUEUE"]


def create_feed_document(ctx):
    body = ctx.json_body()
    if not isinstance(body.get("contentType"), str) or not body["contentType"]:
        raise invalid_input("contentType is required.")
    with ctx.state.lock:
        document = new_document(ctx.state, ctx.seller.seller_id, body["contentType"])
        url = signed_url(ctx.app, ctx.request, document)
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
        document = feed_store(state)["documents"].get(doc_id)
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
        feed_store(state)["feeds"][feed_id] = feed
        state.record(
            "feeds",
            {
                "feedId": feed_id,
                "sellerId": ctx.seller.seller_id,
                "feedType": feed_type,
                "marketplaceIds": list(markets),
                "feedOptions": options,
                "contentType": document["contentType"],
                "content": decode(document["content"], document["contentType"]),
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
    feed = feed_store(ctx.state)["feeds"].get(ctx.path["feedId"])
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
                for f in feed_store(ctx.state)["feeds"].values()
                if f["seller"] == ctx.seller.seller_id
                and f["feedType"] in types
                and (not markets or markets & set(f["marketplaceIds"]))
                and (not statuses or f["processingStatus"] in statuses)
                and (since_dt is None or parse_iso(f["createdTime"]) >= since_dt)
                and (until_dt is None or parse_iso(f["createdTime"]) <= until_dt)
            ]
            ids.reverse()
            offset = 0
        feeds = feed_store(ctx.state)["feeds"]
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
        document = feed_store(ctx.state)["documents"].get(ctx.path["feedDocumentId"])
        if document is None or document["seller"] != ctx.seller.seller_id:
            raise not_found(f"Feed document {ctx.path['feedDocumentId']} not found.")
        body = {"feedDocumentId": document["id"], "url": signed_url(ctx.app, ctx.request, document)}
        if document["compression"]:
            body["compressionAlgorithm"] = document["compression"]
    return Reply(body)
