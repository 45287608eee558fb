"""Saleor's signed webhook deliveries reach the same services as the hooks."""

import base64
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import graphene
import jwt
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from jwt.algorithms import RSAAlgorithm
from saleor.core.jwt import JWT_ACCESS_TYPE, jwt_encode, jwt_user_payload
from saleor.core.jwt_manager import get_jwt_manager
from saleor.order import OrderStatus
from saleor.webhook.payloads import generate_fulfillment_payload, generate_order_payload
from saleor.webhook.transport import signature_for_payload

from saleor_amazon import conf, hooks
from saleor_amazon.fulfillment.models import (
    AmazonCancellation,
    AmazonShipment,
    AmazonWebhookDelivery,
    ShipmentState,
)

URL = "/plugins/saleor_amazon/webhooks/saleor/"


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST a delivery as Saleor does; work queued after commit runs."""

    def send(event, body: bytes, signature=None):
        headers = {"HTTP_SALEOR_EVENT": event, "HTTP_SALEOR_DOMAIN": "shop.example.com"}
        if signature is not None:
            headers["HTTP_SALEOR_SIGNATURE"] = signature
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, data=body, content_type="application/json", **headers)

    return send


def _foreign_key_pair(kid):
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(RSAAlgorithm.to_jwk(private.public_key()))
    jwk.update({"use": "sig", "kid": kid, "alg": "RS256"})
    return private, {"keys": [jwk]}


def _sign_with(private, kid, body: bytes):
    return jwt.api_jws.encode(
        body,
        key=private,
        algorithm="RS256",
        headers={"kid": kid, "crit": ["b64"]},
        is_payload_detached=True,
    )


@pytest.fixture
def hooks_off(monkeypatch):
    """A deployment where fulfilments reach the plugin only through webhooks."""
    for hook in ("fulfillment_created", "fulfillment_approved", "tracking_number_updated"):
        monkeypatch.setitem(hooks.HANDLERS, hook, "saleor_amazon.no_such_module:handler")


def _fulfillment_body(fulfillment) -> bytes:
    return generate_fulfillment_payload(fulfillment, None, False).encode()


def test_a_signed_fulfillment_created_delivery_confirms_the_shipment(
    post, amazon_sandbox, amazon_orders, fulfil, hooks_off
):
    (amazon,) = amazon_orders(1, seed="webhook")
    fulfillment = fulfil(amazon.saleor_order, tracking="JJD1000")
    assert not AmazonShipment.objects.exists()  # hooks are off
    body = _fulfillment_body(fulfillment)

    response = post("fulfillment_created", body, signature_for_payload(body, None))

    assert response.status_code == 200, response.content
    assert response.json()["state"] == ShipmentState.PENDING  # queued, sent after commit
    assert AmazonShipment.objects.get().state == ShipmentState.CONFIRMED
    (received,) = amazon_sandbox.received("confirmations")
    assert received["body"]["packageDetail"]["packageReferenceId"] == str(fulfillment.pk)


def test_hooks_and_webhooks_together_confirm_once(post, amazon_sandbox, amazon_orders, fulfil):
    (amazon,) = amazon_orders(1, seed="both-paths")
    fulfillment = fulfil(amazon.saleor_order, tracking="JJD1001")  # the hook confirms
    for event in ("fulfillment_created", "fulfillment_approved"):
        body = _fulfillment_body(fulfillment)
        response = post(event, body, signature_for_payload(body, None))
        assert response.status_code == 200, response.content

    assert len(amazon_sandbox.received("confirmations")) == 1
    assert AmazonShipment.objects.get().state == ShipmentState.CONFIRMED


def test_tracking_update_delivery_releases_a_waiting_shipment(
    post, amazon_sandbox, amazon_orders, fulfil, hooks_off
):
    (amazon,) = amazon_orders(1, seed="webhook-tracking")
    fulfillment = fulfil(amazon.saleor_order)
    body = _fulfillment_body(fulfillment)
    post("fulfillment_created", body, signature_for_payload(body, None))
    assert AmazonShipment.objects.get().state == ShipmentState.WAITING_FOR_TRACKING

    fulfillment.tracking_number = "JJD1002"
    fulfillment.save()
    body = _fulfillment_body(fulfillment)
    response = post("fulfillment_tracking_number_updated", body, signature_for_payload(body, None))

    assert response.status_code == 200, response.content
    assert AmazonShipment.objects.get().state == ShipmentState.CONFIRMED
    assert len(amazon_sandbox.received("confirmations")) == 1


@pytest.fixture
def cancelled_elsewhere(monkeypatch):
    """Cancel a Saleor order in the database only (no hook): as an instance whose
    cancellations reach the plugin through webhooks would."""
    monkeypatch.setitem(hooks.HANDLERS, "order_cancelled", "saleor_amazon.no_such_module:handler")

    def cancel(order):
        order.status = OrderStatus.CANCELED
        order.save(update_fields=["status"])
        return order

    return cancel


def test_order_cancelled_delivery_cancels_on_amazon(
    post, amazon_sandbox, amazon_orders, cancelled_elsewhere
):
    (amazon,) = amazon_orders(1, seed="webhook-cancel")
    order = cancelled_elsewhere(amazon.saleor_order)
    body = generate_order_payload(order).encode()

    response = post("order_cancelled", body, signature_for_payload(body, None))

    assert response.status_code == 200, response.content
    assert AmazonCancellation.objects.get().amazon_order == amazon
    assert len(amazon_sandbox.received("feeds")) == 1


def test_a_signed_order_cancelled_delivery_of_an_open_order_cancels_nothing(
    post, amazon_sandbox, amazon_orders
):
    """A genuine signature proves the body, not that the order is cancelled now."""
    (amazon,) = amazon_orders(1, seed="webhook-open")
    body = generate_order_payload(amazon.saleor_order).encode()  # e.g. ORDER_UPDATED's

    response = post("order_cancelled", body, signature_for_payload(body, None))

    assert response.status_code == 200, response.content
    assert response.json()["ignored"] == "The Saleor order is not cancelled."
    assert not AmazonCancellation.objects.exists()
    assert amazon_sandbox.received("feeds") == []


def _user_token(user, exp_delta):
    payload = jwt_user_payload(user, JWT_ACCESS_TYPE, exp_delta=exp_delta)
    return jwt_encode(payload)


@pytest.mark.parametrize("expired", [False, True], ids=["valid", "expired"])
def test_a_customer_access_token_is_not_a_signature(
    post, amazon_sandbox, amazon_orders, customer_user, expired
):
    """The attack: a customer's own access token (a JWS by the same key) as Saleor-Signature."""
    (amazon,) = amazon_orders(1, seed=f"webhook-token-{expired}")
    body = generate_order_payload(amazon.saleor_order).encode()
    token = _user_token(customer_user, timedelta(minutes=-5 if expired else 5))

    for event in ("order_cancelled", "fulfillment_created"):
        response = post(event, body, token)
        assert response.status_code == 401, response.content
        assert response.json()["error"]["code"] == "INVALID_SIGNATURE"
    assert not AmazonCancellation.objects.exists()
    assert amazon_sandbox.received("feeds") == []


@pytest.fixture
def remote_cancellation(amazon_orders, plugin_config, jwks_server, cancelled_elsewhere):
    """Another Saleor instance is trusted; (its private key, an Amazon order cancelled in
    Saleor, the ORDER_CANCELLED body of it)."""
    private, url = jwks_server
    plugin_config(**{conf.WEBHOOK_JWKS_URL: url})

    def make(seed):
        (amazon,) = amazon_orders(1, seed=seed)
        order = cancelled_elsewhere(amazon.saleor_order)
        return private, amazon, generate_order_payload(order).encode()

    return make


def test_a_token_of_a_trusted_other_instance_is_not_a_signature(
    post, amazon_sandbox, remote_cancellation
):
    private, _, body = remote_cancellation("webhook-remote-token")
    token = jwt.encode(
        {"token": "abc", "type": "access", "email": "someone@example.com"},
        private,
        algorithm="RS256",
        headers={"kid": "remote-key"},
    )

    response = post("order_cancelled", body, token)

    assert response.status_code == 401, response.content
    assert not AmazonCancellation.objects.exists()


def _encode(part: dict | bytes) -> str:
    raw = part if isinstance(part, bytes) else json.dumps(part).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _rs256(private, signing_input: bytes) -> str:
    return _encode(private.sign(signing_input, padding.PKCS1v15(), hashes.SHA256()))


def test_only_the_detached_unencoded_form_is_accepted(post, amazon_sandbox, remote_cancellation):
    """Every other JWS form signed by a trusted key over (a form of) the body is refused."""
    private, amazon, body = remote_cancellation("webhook-forms")
    good = {"alg": "RS256", "kid": "remote-key", "b64": False, "crit": ["b64"]}

    def detached(header, payload_for_signature):
        encoded = _encode(header)
        return f"{encoded}..{_rs256(private, encoded.encode() + b'.' + payload_for_signature)}"

    encoded_body = _encode(body).encode()
    forms = {
        # RFC 7515 appendix F: detached, but base64url-encoded payload.
        "b64-encoded": detached({"alg": "RS256", "kid": "remote-key"}, encoded_body),
        "b64-not-critical": detached({**good, "crit": []}, body),
        "unknown-critical": detached({**good, "crit": ["b64", "exp"]}, body),
        "no-kid": detached({k: v for k, v in good.items() if k != "kid"}, body),
        "attached": jwt.api_jws.encode(
            body, private, algorithm="RS256", headers={"kid": "remote-key"}
        ),
        "none-alg": f"{_encode({**good, 'alg': 'none'})}..",
        "hs256": detached({**good, "alg": "HS256"}, body),
    }
    for name, signature in forms.items():
        response = post("order_cancelled", body, signature)
        assert response.status_code == 401, (name, response.content)
    assert not AmazonCancellation.objects.exists()

    response = post("order_cancelled", body, detached(good, body))  # the one right form
    assert response.status_code == 200, response.content
    assert AmazonCancellation.objects.get().amazon_order == amazon


def test_the_unsigned_event_header_cannot_turn_a_fulfilment_into_a_cancellation(
    post, amazon_sandbox, amazon_orders, fulfil, hooks_off
):
    (amazon,) = amazon_orders(1, seed="webhook-relabel")
    fulfillment = fulfil(amazon.saleor_order, tracking="JJD1010")
    body = _fulfillment_body(fulfillment)  # embeds the order's id
    signature = signature_for_payload(body, None)

    relabelled = post("order_cancelled", body, signature)

    assert relabelled.status_code == 400, relabelled.content
    assert relabelled.json()["error"]["code"] == "EVENT_MISMATCH"
    assert not AmazonCancellation.objects.exists()
    assert amazon_sandbox.received("feeds") == []
    # A mismatch is not remembered as handled: the genuine event still goes through once.
    assert post("fulfillment_created", body, signature).status_code == 200
    assert post("fulfillment_approved", body, signature).status_code == 409
    assert len(amazon_sandbox.received("confirmations")) == 1


def test_a_fulfilment_must_belong_to_the_order_the_body_names(
    post, amazon_sandbox, amazon_orders, fulfil, hooks_off
):
    first, second = amazon_orders(2, seed="webhook-other-order")
    fulfillment = fulfil(first.saleor_order, tracking="JJD1011")
    body = json.dumps(
        {
            "__typename": "FulfillmentCreated",
            "fulfillment": {"id": graphene.Node.to_global_id("Fulfillment", fulfillment.pk)},
            "order": {"id": graphene.Node.to_global_id("Order", second.saleor_order.pk)},
        }
    ).encode()

    response = post("fulfillment_created", body, signature_for_payload(body, None))

    assert response.status_code == 200, response.content
    assert "ignored" in response.json()
    assert not AmazonShipment.objects.exists()


def test_a_subscription_typename_must_match_the_event(post, amazon_sandbox, amazon_orders, fulfil):
    (amazon,) = amazon_orders(1, seed="webhook-typename")
    body = json.dumps(
        {
            "__typename": "OrderUpdated",
            "order": {"id": graphene.Node.to_global_id("Order", amazon.saleor_order.pk)},
        }
    ).encode()

    response = post("order_cancelled", body, signature_for_payload(body, None))

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "EVENT_MISMATCH"


@pytest.mark.parametrize("depth", [100, 100_000])
def test_a_deeply_nested_signed_body_is_a_bad_request(post, depth):
    body = ("[" * depth + "]" * depth).encode()

    response = post("order_cancelled", body, signature_for_payload(body, None))

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_PAYLOAD"


def test_unsigned_forged_and_foreign_deliveries_are_rejected(
    post, amazon_sandbox, amazon_orders, fulfil, hooks_off
):
    (amazon,) = amazon_orders(1, seed="webhook-forged")
    fulfillment = fulfil(amazon.saleor_order, tracking="JJD1003")
    body = _fulfillment_body(fulfillment)
    other_body = body.replace(b"JJD1003", b"JJD9999")
    kid = get_jwt_manager().get_key_id()
    foreign, _ = _foreign_key_pair(kid)

    unsigned = post("fulfillment_created", body)
    garbage = post("fulfillment_created", body, "not-a-jws")
    forged = post("fulfillment_created", body, signature_for_payload(other_body, None))
    wrong_key = post("fulfillment_created", body, _sign_with(foreign, kid, body))
    unknown_kid = post("fulfillment_created", body, _sign_with(foreign, "other", body))
    hmac_signed = post("fulfillment_created", body, signature_for_payload(body, "s3"))

    assert unsigned.status_code == 401
    assert unsigned.json()["error"]["code"] == "UNSIGNED"
    for response in (garbage, forged, wrong_key, unknown_kid, hmac_signed):
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "INVALID_SIGNATURE"
    assert not AmazonShipment.objects.exists()
    assert amazon_sandbox.received("confirmations") == []


def test_a_replayed_delivery_is_rejected(post, amazon_sandbox, amazon_orders, fulfil, hooks_off):
    (amazon,) = amazon_orders(1, seed="webhook-replay")
    fulfillment = fulfil(amazon.saleor_order, tracking="JJD1004")
    body = _fulfillment_body(fulfillment)
    signature = signature_for_payload(body, None)

    first = post("fulfillment_created", body, signature)
    replay = post("fulfillment_created", body, signature)

    assert first.status_code == 200
    assert replay.status_code == 409
    assert replay.json()["error"]["code"] == "REPLAYED"
    assert AmazonWebhookDelivery.objects.count() == 1
    assert len(amazon_sandbox.received("confirmations")) == 1


@pytest.fixture
def jwks_server():
    """Another Saleor instance's JWKS over HTTP."""
    private, jwks = _foreign_key_pair("remote-key")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            data = json.dumps(jwks).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield private, f"http://127.0.0.1:{server.server_port}/.well-known/jwks.json"
    server.shutdown()


def test_another_instance_is_trusted_only_through_its_configured_jwks(
    post, amazon_sandbox, amazon_orders, fulfil, hooks_off, plugin_config, jwks_server
):
    private, url = jwks_server
    (amazon,) = amazon_orders(1, seed="webhook-remote")
    fulfillment = fulfil(amazon.saleor_order, tracking="JJD1005")
    body = _fulfillment_body(fulfillment)
    signature = _sign_with(private, "remote-key", body)

    assert post("fulfillment_created", body, signature).status_code == 401
    plugin_config(**{conf.WEBHOOK_JWKS_URL: url})
    response = post("fulfillment_created", body, signature)

    assert response.status_code == 200, response.content
    assert len(amazon_sandbox.received("confirmations")) == 1
