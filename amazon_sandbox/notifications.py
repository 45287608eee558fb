"""Notifications API v1: destinations (grantless, per application) and subscriptions (per
seller and notification type). The sandbox stores them; it delivers no notifications.

Amazon allows SQS destinations for most types and EventBridge destinations only for the
types in ``EVENTBRIDGE_TYPES``; subscribing a type to the wrong kind of destination is a 400.
"""

import secrets

from .errors import ApiError, Reply, invalid_input, not_found

EVENTBRIDGE_TYPES = {
    "LISTINGS_ITEM_STATUS_CHANGE",
    "LISTINGS_ITEM_ISSUES_CHANGE",
    "LISTINGS_ITEM_MFN_QUANTITY_CHANGE",
    "BRANDED_ITEM_CONTENT_CHANGE",
    "ITEM_PRODUCT_TYPE_CHANGE",
    "PRODUCT_TYPE_DEFINITIONS_CHANGE",
}


def _store(state):
    with state.lock:
        return state.extra.setdefault("notifications", {"destinations": {}, "subscriptions": {}})


def create_destination(ctx):
    body = ctx.json_body()
    spec = body.get("resourceSpecification", {})
    if bool(spec.get("sqs")) == bool(spec.get("eventBridge")):
        raise invalid_input("resourceSpecification needs exactly one of sqs and eventBridge.")
    with ctx.state.lock:
        destinations = _store(ctx.state)["destinations"]
        if spec.get("sqs") and any(
            d["resource"].get("sqs") == spec["sqs"] for d in destinations.values()
        ):
            raise ApiError(409, "Conflict", "A destination for this SQS queue already exists.")
        destination_id = secrets.token_hex(16)
        if spec.get("sqs"):
            resource = {"sqs": dict(spec["sqs"])}
        else:
            resource = {
                "eventBridge": {
                    **spec["eventBridge"],
                    "name": (
                        "aws.partner/sellingpartnerapi.amazon.com/"
                        f"{spec['eventBridge']['accountId']}/{destination_id}"
                    ),
                }
            }
        destination = {"name": body["name"], "destinationId": destination_id, "resource": resource}
        destinations[destination_id] = destination
        ctx.state.record("destinations", destination)
    return Reply({"payload": destination})


def get_destinations(ctx):
    with ctx.state.lock:
        return Reply({"payload": list(_store(ctx.state)["destinations"].values())})


def _destination(ctx):
    destination = _store(ctx.state)["destinations"].get(ctx.path["destinationId"])
    if destination is None:
        raise not_found(f"Destination {ctx.path['destinationId']} not found.")
    return destination


def get_destination(ctx):
    with ctx.state.lock:
        return Reply({"payload": _destination(ctx)})


def delete_destination(ctx):
    with ctx.state.lock:
        destination = _destination(ctx)
        del _store(ctx.state)["destinations"][destination["destinationId"]]
    return Reply({})


def create_subscription(ctx):
    body = ctx.json_body()
    kind = ctx.path["notificationType"]
    with ctx.state.lock:
        store = _store(ctx.state)
        destination = store["destinations"].get(body["destinationId"])
        if destination is None:
            raise invalid_input(f"Destination {body['destinationId']} does not exist.")
        wants_eventbridge = kind in EVENTBRIDGE_TYPES
        if wants_eventbridge != ("eventBridge" in destination["resource"]):
            kind_name = "EventBridge" if wants_eventbridge else "SQS"
            raise invalid_input(
                f"{kind} notifications can only be sent to an {kind_name} destination."
            )
        key = (ctx.seller.seller_id, kind)
        if key in store["subscriptions"]:
            raise ApiError(409, "Conflict", f"A subscription for {kind} already exists.")
        subscription = {
            "subscriptionId": secrets.token_hex(16),
            "payloadVersion": body["payloadVersion"],
            "destinationId": body["destinationId"],
        }
        if body.get("processingDirective"):
            subscription["processingDirective"] = body["processingDirective"]
        store["subscriptions"][key] = subscription
        ctx.state.record(
            "subscriptions",
            {"sellerId": ctx.seller.seller_id, "notificationType": kind, **subscription},
        )
    return Reply({"payload": subscription})


def get_subscription(ctx):
    with ctx.state.lock:
        subscription = _store(ctx.state)["subscriptions"].get(
            (ctx.seller.seller_id, ctx.path["notificationType"])
        )
    if subscription is None:
        raise not_found(f"No subscription for {ctx.path['notificationType']}.")
    return Reply({"payload": subscription})


def _by_id(ctx):
    for key, subscription in _store(ctx.state)["subscriptions"].items():
        if (
            key[1] == ctx.path["notificationType"]
            and subscription["subscriptionId"] == ctx.path["subscriptionId"]
        ):
            return key, subscription
    raise not_found(f"Subscription {ctx.path['subscriptionId']} not found.")


def get_subscription_by_id(ctx):
    with ctx.state.lock:
        return Reply({"payload": _by_id(ctx)[1]})


def delete_subscription_by_id(ctx):
    with ctx.state.lock:
        key, _ = _by_id(ctx)
        del _store(ctx.state)["subscriptions"][key]
    return Reply({})
