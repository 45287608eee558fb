"""``PRODUCT_VARIANT_STOCK_UPDATED`` deliveries at ``/plugins/saleor_amazon/webhooks/stock/``.

Saleor 3.23 has no plugin hook for stock changes, so the periodic diff sync is the
authority; where a webhook (of a Saleor app) delivers ``PRODUCT_VARIANT_STOCK_UPDATED``
(or ``PRODUCT_VARIANT_OUT_OF_STOCK`` / ``PRODUCT_VARIANT_BACK_IN_STOCK``) here, the sync of
the variant's marketplaces is scheduled at once (debounced), which only speeds it up.
Deliveries must carry Saleor's signature, checked as for the other Saleor webhooks.
"""

import graphene
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from ..saleor_webhooks import Refused, read_delivery
from .sync import schedule_for_variants

EVENTS = {
    "product_variant_stock_updated",
    "product_variant_out_of_stock",
    "product_variant_back_in_stock",
}


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
    try:
        delivery = read_delivery(request, EVENTS)
    except Refused as refused:
        return refused.response()
    ids = variant_ids(delivery.payload)
    scheduled = schedule_for_variants(ids) if ids else 0
    return JsonResponse(
        {"event": delivery.event, "variants": len(ids), "syncsScheduled": scheduled}
    )
