"""Saleor's own webhook deliveries to the plugin: signature check and request reading.

Every delivery must carry Saleor's signature (``Saleor-Signature``: a JWS, RS256, with a
detached payload), verified against this instance's public key
(``get_jwt_manager().get_jwks()``) or the keys at the configured JWKS URL of another
Saleor instance. :func:`read_delivery` turns a request into its event and JSON payload, or
raises :class:`Refused` carrying the HTTP answer (401 unsigned or forged, 400 unknown event
or not JSON, 405 not POST). Replay protection is the receiver's (it knows what "handled"
means for its events).
"""

import hashlib
import json
import logging
from dataclasses import dataclass

import jwt
import requests
from django.core.cache import cache
from django.http import JsonResponse
from jwt.algorithms import RSAAlgorithm

from . import conf

logger = logging.getLogger(__name__)

JWKS_CACHE_SECONDS = 300


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
    event: str  # lower case, e.g. "fulfillment_created"
    payload: object
    body: bytes


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
    return keys


def verify(signature: str, body: bytes, keys: list[dict]) -> None:
    """Raise :class:`SignatureError` unless ``signature`` is Saleor's JWS over ``body``."""
    try:
        header = jwt.get_unverified_header(signature)
    except jwt.PyJWTError as exc:
        raise SignatureError(f"The signature is not a JWS: {exc}") from exc
    if header.get("alg") != "RS256":
        raise SignatureError(f"Unexpected signature algorithm {header.get('alg')!r}.")
    kid = header.get("kid")
    candidates = [k for k in keys if kid is None or k.get("kid") == kid]
    if not candidates:
        raise SignatureError("The signature's key is not one of the trusted Saleor keys.")
    for key in candidates:
        try:
            public_key = RSAAlgorithm.from_jwk(json.dumps(key))
            jwt.api_jws.decode_complete(
                signature, key=public_key, algorithms=["RS256"], detached_payload=body
            )
            return
        except (jwt.PyJWTError, ValueError):
            continue
    raise SignatureError("The signature does not match the payload.")


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
    try:
        payload = json.loads(body)
    except ValueError as exc:
        raise Refused(400, "INVALID_PAYLOAD", "The payload is not JSON.") from exc
    return Delivery(event=event, payload=payload, body=body)
