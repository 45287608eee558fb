"""Feed documents and their URLs: the sandbox plays S3 too.

``createFeedDocument`` hands out ``/_sandbox/documents/<id>?X-Amz-Signature=...`` for the
upload (valid ``UPLOAD_URL_SECONDS`` sandbox seconds, same Content-Type as requested, else
403 with an S3-style XML error) and ``getFeedDocument`` the same URL for the download.
"""

import gzip
import secrets

from werkzeug.wrappers import Response

UPLOAD_URL_SECONDS = 300


def feed_store(state):
    with state.lock:
        return state.extra.setdefault("feeds", {"documents": {}, "feeds": {}})


def _base_url(ctx_app, request):
    return getattr(ctx_app, "base_url", None) or request.host_url.rstrip("/")


def new_document(state, seller_id, content_type, content=None, compression=None):
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
    feed_store(state)["documents"][doc_id] = document
    return document


def signed_url(app, request, document):
    query = f"X-Amz-Expires={UPLOAD_URL_SECONDS}&X-Amz-Signature={document['signature']}"
    return f"{_base_url(app, request)}/_sandbox/documents/{document['id']}?{query}"


def _s3_error(status, code, message):
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    )
    return Response(body, status=status, content_type="application/xml")


def document_url(app, request, doc_id):
    state = app.state
    with state.lock:
        document = feed_store(state)["documents"].get(doc_id)
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


def charset(content_type):
    for part in (content_type or "").split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            return value.strip('"').lower()
    return "utf-8"


def decode(content, content_type=None, strict=False):
    """Text of an uploaded document (gunzipped if it is gzip data), in the charset its
    content type declares (UTF-8 by default). Bytes that are not valid there become U+FFFD,
    or raise UnicodeDecodeError when ``strict``: a Latin-1 upload declared as UTF-8 does
    not arrive intact."""
    if content is None:
        return None
    if content[:2] == b"\x1f\x8b":
        content = gzip.decompress(content)
    try:
        return content.decode(charset(content_type), errors="strict" if strict else "replace")
    except LookupError:
        return content.decode("utf-8", errors="strict" if strict else "replace")
