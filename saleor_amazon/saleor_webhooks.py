"""Saleor's own webhook deliveries to the plugin: signature check and request reading.

Saleor signs every delivery as a JWS with a *detached, unencoded* payload (RFC 7515
appendix F and RFC 7797): ``Saleor-Signature`` is ``<header>..<signature>``, the header
says ``"alg": "RS256"``, ``"b64": false`` and lists ``"b64"`` in ``crit``, and the
signature covers ``<header> "." <the delivered body>``. Exactly that form is accepted,
verified against this instance's public key (``get_jwt_manager().get_jwks()``) or the
keys at the configured JWKS URL of another Saleor instance. Anything else is refused,
in particular any token Saleor issues (access, refresh or app tokens are JWS with their
own payload and say nothing about the body they come with).

:func:`read_delivery` turns a request into its event and JSON payload, or raises
:class:`Refused` carrying the HTTP answer (401 unsigned or forged, 400 unknown event,
not JSON or nested too deeply, 405 not POST). The ``Saleor-Event`` header is *not*
covered by the signature: receivers use it only to choose which check to run on what
the signed body and the database prove (see ``fulfillment/webhooks.py``). Replay
protection is the receiver's (it knows what "handled" means for its events).
"""

import base64
import binascii
import hashlib
import json
import logging
from dataclasses import dataclass

import requests
from django.core.cache import cache
from django.http import JsonResponse
from jwt.algorithms import RSAAlgorithm

from . import conf

logger = logging.getLogger(__name__)

JWKS_CACHE_SECONDS = 300
# Saleor's payloads are a few levels deep; anything deeper than this is not Saleor's.
MAX_PAYLOAD_DEPTH = 64
_RS256 = RSAAlgorithm(RSAAlgorithm.SHA256)


class SignatureError(Exception):
    pass


class Refused(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def response(self) -> JsonResponse:
        return error_response(self.status, self.code, self.message)


def error_response(status, code, message) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


@dataclass
class Delivery:
    event: str  # lower case, e.g. "fulfillment_created"; NOT covered by the signature
    payload: object
    body: bytes

    @property
    def digest(self) -> str:
        """What identifies the signed content (the body alone: the header is unsigned)."""
        return hashlib.sha256(self.body).hexdigest()


def local_jwks() -> dict:
    from saleor.core.jwt_manager import get_jwt_manager

    return get_jwt_manager().get_jwks()


def remote_jwks(url: str) -> dict:
    cache_key = "saleor_amazon:jwks:" + hashlib.sha256(url.encode()).hexdigest()
    keys = cache.get(cache_key)
    if keys is None:
        response = requests.get(url, timeout=10)
        response.raise_for_status()
        keys = response.json()
        cache.set(cache_key, keys, JWKS_CACHE_SECONDS)
    return keys


def trusted_keys(config) -> list[dict]:
    keys = list(local_jwks().get("keys") or [])
    if config.webhook_jwks_url:
        try:
            keys += list(remote_jwks(config.webhook_jwks_url).get("keys") or [])
        except (requests.RequestException, ValueError) as exc:
            logger.warning("Saleor JWKS at %s unreadable: %s", config.webhook_jwks_url, exc)
    return [key for key in keys if isinstance(key, dict)]


def _b64decode(part: str) -> bytes:
    if not part or any(c not in _B64URL for c in part):
        raise SignatureError("The signature is not a compact JWS (base64url parts).")
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError) as exc:
        raise SignatureError("The signature is not a compact JWS (base64url parts).") from exc


_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _detached_header(signature: str) -> tuple[str, dict, bytes]:
    """(encoded header, header, signature bytes) of a detached, unencoded-payload JWS."""
    parts = signature.strip().split(".")
    if len(parts) != 3:
        raise SignatureError("The signature is not a compact JWS.")
    encoded_header, payload, encoded_signature = parts
    if payload:
        # Tokens (access, refresh, app) carry their own payload: they sign themselves,
        # not the delivery.
        raise SignatureError("The signature must have a detached payload (<header>..<sig>).")
    try:
        header = json.loads(_b64decode(encoded_header))
    except ValueError as exc:
        raise SignatureError("The signature's header is not JSON.") from exc
    if not isinstance(header, dict):
        raise SignatureError("The signature's header is not a JSON object.")
    if header.get("alg") != "RS256":
        raise SignatureError(f"Unexpected signature algorithm {header.get('alg')!r}.")
    if header.get("b64") is not False:
        raise SignatureError('The signature must sign the raw body ("b64": false).')
    crit = header.get("crit")
    if not isinstance(crit, list) or "b64" not in crit:
        raise SignatureError('The signature must declare "b64" critical.')
    if any(name != "b64" for name in crit):
        raise SignatureError(f"Unsupported critical header parameters {crit!r}.")
    if not isinstance(header.get("kid"), str) or not header["kid"]:
        raise SignatureError("The signature names no key (kid).")
    return encoded_header, header, _b64decode(encoded_signature)


def _usable(key: dict, kid: str) -> bool:
    return (
        key.get("kid") == kid
        and key.get("kty") == "RSA"
        and key.get("use", "sig") == "sig"
        and key.get("alg", "RS256") == "RS256"
    )


def verify(signature: str, body: bytes, keys: list[dict]) -> None:
    """Raise :class:`SignatureError` unless ``signature`` is Saleor's detached JWS
    (RS256, unencoded payload) over exactly ``body``, by one of ``keys``."""
    encoded_header, header, signature_bytes = _detached_header(signature)
    candidates = [key for key in keys if _usable(key, header["kid"])]
    if not candidates:
        raise SignatureError("The signature's key is not one of the trusted Saleor keys.")
    signing_input = encoded_header.encode("ascii") + b"." + body
    for key in candidates:
        try:
            public_key = RSAAlgorithm.from_jwk(json.dumps(key))
        except (ValueError, TypeError, KeyError) as exc:
            logger.warning("A trusted Saleor key (kid %s) is unusable: %s", header["kid"], exc)
            continue
        if _RS256.verify(signing_input, public_key, signature_bytes):
            return
    raise SignatureError("The signature does not match the payload.")


def _depth_within(value, limit: int) -> bool:
    """True when ``value`` (parsed JSON) nests no deeper than ``limit`` (iteratively)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > limit:
            return False
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return True


def parse_json(body: bytes):
    """The body as JSON, or :class:`Refused` (400) when it is not JSON or too deep."""
    try:
        payload = json.loads(body)
    except RecursionError as exc:
        raise Refused(400, "INVALID_PAYLOAD", "The payload is nested too deeply.") from exc
    except ValueError as exc:
        raise Refused(400, "INVALID_PAYLOAD", "The payload is not JSON.") from exc
    if not _depth_within(payload, MAX_PAYLOAD_DEPTH):
        raise Refused(400, "INVALID_PAYLOAD", "The payload is nested too deeply.")
    return payload


def read_delivery(request, events: set[str]) -> Delivery:
    """The verified event and payload of a Saleor delivery, or :class:`Refused`."""
    if request.method != "POST":
        raise Refused(405, "METHOD_NOT_ALLOWED", "Saleor delivers webhooks with POST.")
    body = request.body
    signature = request.headers.get("Saleor-Signature") or request.headers.get("X-Saleor-Signature")
    if not signature:
        raise Refused(401, "UNSIGNED", "The delivery has no Saleor-Signature.")
    try:
        verify(signature, body, trusted_keys(conf.load()))
    except SignatureError as exc:
        raise Refused(401, "INVALID_SIGNATURE", str(exc)) from exc
    event = request.headers.get("Saleor-Event") or request.headers.get("X-Saleor-Event") or ""
    event = event.strip().lower()
    if event not in events:
        raise Refused(400, "UNSUPPORTED_EVENT", f"Event {event or '(none)'} is not handled here.")
    return Delivery(event=event, payload=parse_json(body), body=body)


def _global_id(value) -> tuple[str, str] | None:
    """(type name, pk) of one of Saleor's global ids, or None."""
    import graphene

    if not isinstance(value, str):
        return None
    try:
        type_name, pk = graphene.Node.from_global_id(value)
    except Exception:  # not a global id
        return None
    return (type_name, pk) if type_name and pk else None


def subject(payload) -> dict[str, object]:
    """What a delivery is about, from its top level only: ``{"type": "Fulfillment",
    "pk": "12", "order": "<uuid>" | None, "typename": "FulfillmentCreated" | None}``.

    Saleor's legacy payloads are a list whose first object carries ``type`` and ``id``
    (a fulfilment's object embeds its ``order``); subscription payloads are an object
    with ``fulfillment`` and/or ``order`` (and ``__typename`` when the query asks for
    it). Ids nested deeper (lines, variants...) never decide what the delivery is about.
    """
    found: dict[str, object] = {"type": None, "pk": None, "order": None, "typename": None}
    if isinstance(payload, list):
        first = payload[0] if payload and isinstance(payload[0], dict) else {}
        ref = _global_id(first.get("id"))
        if ref and first.get("type") == ref[0]:
            found["type"], found["pk"] = ref
        order = first.get("order")
        order_ref = _global_id(order.get("id")) if isinstance(order, dict) else None
        if order_ref and order_ref[0] == "Order":
            found["order"] = order_ref[1]
        if found["type"] == "Order":
            found["order"] = found["pk"]
        return found
    if not isinstance(payload, dict):
        return found
    typename = payload.get("__typename")
    found["typename"] = typename if isinstance(typename, str) else None
    fulfillment = payload.get("fulfillment")
    order = payload.get("order")
    fulfillment_ref = _global_id(fulfillment.get("id")) if isinstance(fulfillment, dict) else None
    order_ref = _global_id(order.get("id")) if isinstance(order, dict) else None
    if order_ref and order_ref[0] == "Order":
        found["order"] = order_ref[1]
    if fulfillment_ref and fulfillment_ref[0] == "Fulfillment":
        found["type"], found["pk"] = fulfillment_ref
    elif found["order"]:
        found["type"], found["pk"] = "Order", found["order"]
    return found
