"""Saleor webhook deliveries at ``/plugins/saleor_amazon/webhooks/saleor/``.

For deployments where fulfilment reaches Saleor through an app or a webhook pipeline:
``FULFILLMENT_CREATED``, ``FULFILLMENT_TRACKING_NUMBER_UPDATED``, ``FULFILLMENT_APPROVED``
and ``ORDER_CANCELLED`` are handled by the same services as the in-process hooks, so a
fulfilment arriving through both paths is confirmed once.

Every delivery must carry Saleor's signature, checked by :mod:`saleor_amazon.saleor_webhooks`
(unsigned, forged or wrongly keyed deliveries get 401); a delivery already handled (the
same body, whatever its event header says, remembered for :data:`REPLAY_WINDOW`) gets 409.

Both Saleor's legacy payloads (a list of objects with ``type`` and ``id``) and subscription
payloads (``{"fulfillment": {"id": ...}, "order": {"id": ...}}``) are understood; what
they are about is read from their top level, and the objects are looked up in this
Saleor's database by their global ids. The unsigned ``Saleor-Event`` header never
decides more than the body and the database prove: a fulfilment event needs a
fulfilment of the order the body names, a cancellation an order Saleor really
cancelled; a body that is about something else than its header says gets 400.
"""

import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from ..saleor_webhooks import Refused, error_response, read_delivery, subject
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


def _fulfillment(found):
    from saleor.order.models import Fulfillment

    if found["type"] != "Fulfillment" or not str(found["pk"]).isdigit():
        return None
    fulfillment = Fulfillment.objects.select_related("order").filter(pk=found["pk"]).first()
    if fulfillment is None:
        return None
    # A payload naming an order must name the fulfilment's own order.
    if found["order"] and str(fulfillment.order_id) != str(found["order"]):
        return None
    return fulfillment


def _order(found):
    from saleor.order.models import Order

    if found["type"] != "Order":
        return None
    try:
        return Order.objects.filter(pk=found["pk"]).first()
    except (ValueError, ValidationError):  # not a UUID
        return None


def handle(event: str, payload) -> dict:
    """Run the service for ``event``; what was done.

    The event header is not signed, so it only chooses which check runs: a fulfilment
    event acts on a fulfilment the signed body names (of the order it names), and an
    order cancellation only on an order the body names that Saleor really cancelled.
    What is sent to Amazon is always read from the database, never from the body.
    """
    from saleor.order import OrderStatus

    found = subject(payload)
    if found["typename"] and found["typename"].lower() != event.replace("_", ""):
        raise Refused(
            400, "EVENT_MISMATCH", f"The body is a {found['typename']} event, not {event}."
        )
    if event in FULFILLMENT_EVENTS:
        if found["type"] != "Fulfillment":
            raise Refused(400, "EVENT_MISMATCH", f"A {event} delivery must be about a fulfilment.")
        fulfillment = _fulfillment(found)
        if fulfillment is None:
            return {"ignored": "No such fulfilment of that order in this Saleor instance."}
        shipment = shipments.record_fulfillment(fulfillment)
        if shipment is None:
            return {"ignored": "Not an Amazon order."}
        return {"shipment": shipment.pk, "state": shipment.state}
    if found["type"] != "Order":
        raise Refused(400, "EVENT_MISMATCH", f"A {event} delivery must be about an order.")
    order = _order(found)
    if order is None:
        return {"ignored": "No order of this Saleor instance in the payload."}
    if order.status != OrderStatus.CANCELED:
        return {"ignored": "The Saleor order is not cancelled."}
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
    try:
        with transaction.atomic():
            # The body alone identifies a delivery: the event header is not signed.
            AmazonWebhookDelivery.objects.create(key=delivery.digest, event_type=event)
            result = handle(event, delivery.payload)
    except IntegrityError:
        return error_response(409, "REPLAYED", "This delivery was already handled.")
    except Refused as refused:
        return refused.response()
    return JsonResponse({"event": event, **result})
