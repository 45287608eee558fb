"""``PRODUCT_VARIANT_STOCK_UPDATED`` deliveries at ``/plugins/saleor_amazon/webhooks/stock/``.

Saleor 3.23 has no plugin hook for stock changes, so the periodic diff sync is the
authority; where a webhook (of a Saleor app) delivers ``PRODUCT_VARIANT_STOCK_UPDATED``
(or ``PRODUCT_VARIANT_OUT_OF_STOCK`` / ``PRODUCT_VARIANT_BACK_IN_STOCK``) here, the sync of
the variant's marketplaces is scheduled at once (debounced), which only speeds it up.
Deliveries must carry Saleor's signature, checked as for the other Saleor webhooks.
"""

import json

import graphene
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from .. import conf
from ..fulfillment.webhooks import SignatureError, trusted_keys, verify
from .sync import schedule_for_variants

EVENTS = {
    "product_variant_stock_updated",
    "product_variant_out_of_stock",
    "product_variant_back_in_stock",
}


def _error(status, code, message):
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


def variant_ids(payload) -> list[int]:
    """Every ProductVariant global id in a legacy or subscription payload."""
    found = []

    def walk(node):
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            value = node.get("id")
            if isinstance(value, str):
                try:
                    type_name, pk = graphene.Node.from_global_id(value)
                except Exception:  # not a global id
                    type_name, pk = None, None
                if type_name == "ProductVariant" and str(pk).isdigit():
                    found.append(int(pk))
            for child in node.values():
                if isinstance(child, dict | list):
                    walk(child)

    walk(payload)
    return sorted(set(found))


@csrf_exempt
def receive_stock(request):
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
    event = (request.headers.get("Saleor-Event") or "").strip().lower()
    if event not in EVENTS:
        return _error(400, "UNSUPPORTED_EVENT", f"Event {event or '(none)'} is not handled here.")
    try:
        payload = json.loads(body)
    except ValueError:
        return _error(400, "INVALID_PAYLOAD", "The payload is not JSON.")
    ids = variant_ids(payload)
    scheduled = schedule_for_variants(ids) if ids else 0
    return JsonResponse({"event": event, "variants": len(ids), "syncsScheduled": scheduled})
