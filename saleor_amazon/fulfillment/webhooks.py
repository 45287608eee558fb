"""Saleor webhook deliveries at ``/plugins/saleor_amazon/webhooks/saleor/``.

For deployments where fulfilment reaches Saleor through an app or a webhook pipeline:
``FULFILLMENT_CREATED``, ``FULFILLMENT_TRACKING_NUMBER_UPDATED``, ``FULFILLMENT_APPROVED``
and ``ORDER_CANCELLED`` are handled by the same services as the in-process hooks, so a
fulfilment arriving through both paths is confirmed once.

Every delivery must carry Saleor's signature (``Saleor-Signature``: a JWS, RS256, with a
detached payload), verified against this instance's public key
(``get_jwt_manager().get_jwks()``) or the keys at the configured JWKS URL of another
instance. Unsigned, forged or wrongly keyed deliveries get 401; a delivery already handled
(same event and body, remembered for :data:`REPLAY_WINDOW`) gets 409.

Both Saleor's legacy payloads (a list of objects with ``type`` and ``id``) and subscription
payloads (``{"fulfillment": {"id": ...}, "order": {"id": ...}}``) are understood; objects
are looked up in this Saleor's database by their global ids.
"""

import hashlib
import json
import logging
from datetime import timedelta

import graphene
import jwt
import requests
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from jwt.algorithms import RSAAlgorithm

from .. import conf
from . import cancellation, shipments
from .models import AmazonWebhookDelivery

logger = logging.getLogger(__name__)

REPLAY_WINDOW = timedelta(days=7)
JWKS_CACHE_SECONDS = 300
FULFILLMENT_EVENTS = {
    "fulfillment_created",
    "fulfillment_tracking_number_updated",
    "fulfillment_approved",
}
ORDER_EVENTS = {"order_cancelled"}
EVENTS = FULFILLMENT_EVENTS | ORDER_EVENTS


class SignatureError(Exception):
    pass


def _error(status, code, message):
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


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


def _global_ids(payload) -> dict[str, str]:
    """The first pk of each Saleor type found in the payload (``{"Fulfillment": "12"}``)."""
    found: dict[str, str] = {}

    def walk(node, hint=None):
        if isinstance(node, list):
            for item in node:
                walk(item, hint)
        elif isinstance(node, dict):
            value = node.get("id")
            if isinstance(value, str):
                try:
                    type_name, pk = graphene.Node.from_global_id(value)
                except Exception:
                    type_name, pk = None, None
                if type_name and pk:
                    found.setdefault(type_name, pk)
            for key, child in node.items():
                if isinstance(child, dict | list):
                    walk(child, key)

    walk(payload)
    return found


def handle(event: str, payload) -> dict:
    """Run the service for ``event``; what was done."""
    from saleor.order.models import Fulfillment, Order

    ids = _global_ids(payload)
    if event in FULFILLMENT_EVENTS:
        pk = ids.get("Fulfillment")
        fulfillment = (
            Fulfillment.objects.select_related("order").filter(pk=pk).first()
            if pk and pk.isdigit()
            else None
        )
        if fulfillment is None:
            return {"ignored": "No fulfilment of this Saleor instance in the payload."}
        shipment = shipments.record_fulfillment(fulfillment)
        if shipment is None:
            return {"ignored": "Not an Amazon order."}
        return {"shipment": shipment.pk, "state": shipment.state}
    order = None
    pk = ids.get("Order")
    if pk:
        try:
            order = Order.objects.filter(pk=pk).first()
        except Exception:
            order = None
    if order is None:
        return {"ignored": "No order of this Saleor instance in the payload."}
    record = cancellation.cancel_order(order)
    if record is None:
        return {"ignored": "Not an Amazon order to cancel."}
    return {"cancellation": record.pk, "state": record.state, "message": record.message}


@csrf_exempt
def receive(request):
    if request.method != "POST":
        return _error(405, "METHOD_NOT_ALLOWED", "Saleor delivers webhooks with POST.")
    body = request.body
    signature = request.headers.get("Saleor-Signature") or request.headers.get("X-Saleor-Signature")
    if not signature:
        return _error(401, "UNSIGNED", "The delivery has no Saleor-Signature.")
    try:
        verify(signature, body, trusted_keys(conf.load()))
    except SignatureError as exc:
        return _error(401, "INVALID_SIGNATURE", str(exc))
    event = request.headers.get("Saleor-Event") or request.headers.get("X-Saleor-Event") or ""
    event = event.strip().lower()
    if event not in EVENTS:
        return _error(400, "UNSUPPORTED_EVENT", f"Event {event or '(none)'} is not handled here.")
    try:
        payload = json.loads(body)
    except ValueError:
        return _error(400, "INVALID_PAYLOAD", "The payload is not JSON.")
    key = hashlib.sha256(event.encode() + b"\n" + body).hexdigest()
    try:
        with transaction.atomic():
            AmazonWebhookDelivery.objects.create(key=key, event_type=event)
            result = handle(event, payload)
    except IntegrityError:
        return _error(409, "REPLAYED", "This delivery was already handled.")
    return JsonResponse({"event": event, **result})
