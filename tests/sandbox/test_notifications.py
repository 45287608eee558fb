"""Notifications: grantless destinations, per-seller subscriptions, Amazon's routing rules."""

NOTIFICATIONS = "/notifications/v1"
SQS = {"sqs": {"arn": "arn:aws:sqs:eu-west-1:123456789012:saleor-amazon"}}
EVENTBRIDGE = {"eventBridge": {"region": "eu-west-1", "accountId": "123456789012"}}


def _destination(api, grantless, spec, name="saleor"):
    response = api.post(
        f"{NOTIFICATIONS}/destinations",
        token=grantless,
        json={"name": name, "resourceSpecification": spec},
    )
    assert response.status_code == 200, response.text
    return response.json()["payload"]


def test_destinations_need_a_grantless_token(amazon_sandbox, api):
    with_seller_token = api.post(
        f"{NOTIFICATIONS}/destinations", json={"name": "x", "resourceSpecification": SQS}
    )

    grantless = amazon_sandbox.grantless_token()
    created = _destination(api, grantless, SQS)
    listed = api.get(f"{NOTIFICATIONS}/destinations", token=grantless).json()["payload"]

    assert with_seller_token.status_code == 403
    assert created["resource"] == SQS
    assert listed == [created]


def test_subscriptions_follow_amazons_destination_rules(amazon_sandbox, api):
    grantless = amazon_sandbox.grantless_token()
    sqs = _destination(api, grantless, SQS)
    bridge = _destination(api, grantless, EVENTBRIDGE, name="bridge")

    orders = api.post(
        f"{NOTIFICATIONS}/subscriptions/ORDER_CHANGE",
        json={"payloadVersion": "1.0", "destinationId": sqs["destinationId"]},
    )
    twice = api.post(
        f"{NOTIFICATIONS}/subscriptions/ORDER_CHANGE",
        json={"payloadVersion": "1.0", "destinationId": sqs["destinationId"]},
    )
    wrong = api.post(
        f"{NOTIFICATIONS}/subscriptions/ORDER_CHANGE",
        json={"payloadVersion": "1.0", "destinationId": bridge["destinationId"]},
    )
    listings = api.post(
        f"{NOTIFICATIONS}/subscriptions/LISTINGS_ITEM_STATUS_CHANGE",
        json={"payloadVersion": "1.0", "destinationId": bridge["destinationId"]},
    )
    got = api.get(f"{NOTIFICATIONS}/subscriptions/ORDER_CHANGE").json()["payload"]

    assert orders.status_code == 200
    assert twice.status_code == 409
    assert wrong.status_code == 400
    assert listings.status_code == 200
    assert got == orders.json()["payload"]
    subscription_id = got["subscriptionId"]
    deleted = api.call(
        "DELETE", f"{NOTIFICATIONS}/subscriptions/ORDER_CHANGE/{subscription_id}", token=grantless
    )
    assert deleted.status_code == 200
    assert api.get(f"{NOTIFICATIONS}/subscriptions/ORDER_CHANGE").status_code == 404
    assert [s["notificationType"] for s in amazon_sandbox.received("subscriptions")] == [
        "ORDER_CHANGE",
        "LISTINGS_ITEM_STATUS_CHANGE",
    ]
