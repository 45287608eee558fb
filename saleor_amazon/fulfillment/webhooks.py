"""Saleor webhook deliveries at ``/plugins/saleor_amazon/webhooks/saleor/``.

For deployments where fulfilment reaches Saleor through an app or a webhook pipeline:
``FULFILLMENT_CREATED``, ``FULFILLMENT_TRACKING_NUMBER_UPDATED``, ``FULFILLMENT_APPROVED``
and ``ORDER_CANCELLED`` are handled by the same services as the in-process hooks, so a
fulfilment arriving through both paths is confirmed once.

Every delivery must carry Saleor's signature, checked by :mod:`saleor_amazon.saleor_webhooks`
(unsigned, forged or wrongly keyed deliveries get 401); a delivery already handled (same
event and body, remembered for :data:`REPLAY_WINDOW`) gets 409.

Both Saleor's legacy payloads (a list of objects with ``type`` and ``id``) and subscription
payloads (``{"fulfillment": {"id": ...}, "order": {"id": ...}}``) are understood; objects
are looked up in this Saleor's database by their global ids.
"""

import hashlib
import logging
from datetime import timedelta

import graphene
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from ..saleor_webhooks import Refused, error_response, read_delivery
from . import cancellation, shipments
from .models import AmazonWebhookDelivery

logger = logging.getLogger(__name__)

REPLAY_WINDOW = timedelta(days=7)
FULFILLMENT_EVENTS = {
    "fulfillment_created",
    "fulfillment_tracking_number_updated",
    "fulfillment_approved",
}
ORDER_EVENTS = {"order_cancelled"}
EVENTS = FULFILLMENT_EVENTS | ORDER_EVENTS


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
    try:
        delivery = read_delivery(request, EVENTS)
    except Refused as refused:
        return refused.response()
    event = delivery.event
    key = hashlib.sha256(event.encode() + b"\n" + delivery.body).hexdigest()
    try:
        with transaction.atomic():
            AmazonWebhookDelivery.objects.create(key=key, event_type=event)
            result = handle(event, delivery.payload)
    except IntegrityError:
        return error_response(409, "REPLAYED", "This delivery was already handled.")
    return JsonResponse({"event": event, **result})
