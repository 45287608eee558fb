"""Saleor's signed webhook deliveries reach the same services as the hooks."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from saleor.core.jwt_manager import get_jwt_manager
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


def test_order_cancelled_delivery_cancels_on_amazon(post, amazon_sandbox, amazon_orders):
    (amazon,) = amazon_orders(1, seed="webhook-cancel")
    body = generate_order_payload(amazon.saleor_order).encode()

    response = post("order_cancelled", body, signature_for_payload(body, None))

    assert response.status_code == 200, response.content
    assert AmazonCancellation.objects.get().amazon_order == amazon
    assert len(amazon_sandbox.received("feeds")) == 1


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
