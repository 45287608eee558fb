"""Fixtures that run the local Amazon sandbox (amazon_sandbox) on loopback.

``amazon_sandbox_server`` (session): one SandboxServer on a free 127.0.0.1 port, demo seed.

``amazon_sandbox`` (function): resets the sandbox before the test (demo seller, speed 1, no
faults, empty records and rate-limit buckets) and returns a ``SandboxHandle``:

- ``.url`` SP-API base URL (``http://127.0.0.1:PORT``), ``.lwa_url`` full LWA token URL;
- ``.seller_id`` (``A2SANDBOXDEMO1``), ``.refresh_token`` (``Atzr|sandbox-demo``); any
  client id/secret is accepted;
- ``.reset(seed=None)``: back to the demo seller, or to a seed document (state.py format);
- ``.add_orders(orders, seller_id=None, late_seconds=None)``; ``.order(order_id)`` (stored,
  complete); ``.set_order_status(order_id, status, **extra)`` (see control.py: e.g.
  ``"CANCELLATION_REQUESTED"``, ``"CANCELLED"``, ``"SHIPPED"``); ``.make_late(order_id, s)``;
- ``.mint_auth_code(seller_id=None)`` -> code; ``.revoke(refresh_token)``;
- ``.set_faults(spec)`` (``"429=0.2,500=0.05,seed=1"``), ``.set_speed(factor)``,
  ``.advance(seconds)`` (move the sandbox clock), ``.now()``;
- ``.received(kind)`` -> list (``"confirmations"``, ``"feeds"``, ``"listings"``,
  ``"cancellations"``, ``"invoices"``, ``"outbound"``, ``"outbound_cancellations"``,
  ``"destinations"``, ``"subscriptions"``); ``.requests(operation=None)`` -> request log;
  ``.stats()``;
- ``.set_inventory(sku, fulfillable_quantity, seller_id=None)`` (FBA inventory);
- ``.access_token(refresh_token=None)``: an LWA access token, for raw HTTP calls;
  ``.grantless_token(scope)``: an application token for grantless operations
  (notification destinations, getSubscriptionById, deleteSubscriptionById).

A response that failed validation against Amazon's models is a sandbox bug: the fixture
fails the test at teardown when ``stats()["problems"]`` is not empty.
"""

import pytest
import requests

from amazon_sandbox.demo import DEMO_REFRESH_TOKEN, DEMO_SELLER_ID
from amazon_sandbox.server import SandboxServer


class SandboxHandle:
    def __init__(self, server):
        self.server = server
        self.url = server.url
        self.lwa_url = server.lwa_url
        self.seller_id = DEMO_SELLER_ID
        self.refresh_token = DEMO_REFRESH_TOKEN
        self.http = requests.Session()

    def _control(self, method, path, payload=None):
        response = self.http.request(
            method, f"{self.url}/_sandbox/{path}", json=payload, timeout=30
        )
        if response.status_code >= 400:
            raise AssertionError(f"sandbox control {path}: {response.status_code} {response.text}")
        return response.json()

    def reset(self, seed=None):
        return self._control("POST", "reset", seed)

    def add_orders(self, orders, seller_id=None, late_seconds=None):
        payload = {"orders": list(orders)}
        if seller_id:
            payload["sellerId"] = seller_id
        if late_seconds is not None:
            payload["lateSeconds"] = late_seconds
        return self._control("POST", "orders", payload)

    def order(self, order_id):
        return self._control("GET", f"orders/{order_id}")["order"]

    def set_order_status(self, order_id, status, **extra):
        return self._control("POST", f"orders/{order_id}/status", {"status": status, **extra})[
            "order"
        ]

    def make_late(self, order_id, seconds):
        return self._control("POST", f"orders/{order_id}/late", {"seconds": seconds})

    def mint_auth_code(self, seller_id=None):
        return self._control("POST", "auth-codes", {"sellerId": seller_id} if seller_id else {})[
            "code"
        ]

    def revoke(self, refresh_token):
        return self._control("POST", "revoke", {"refreshToken": refresh_token})

    def set_faults(self, spec):
        return self._control("POST", "faults", {"spec": spec})

    def set_speed(self, factor):
        return self._control("POST", "speed", {"factor": factor})

    def advance(self, seconds):
        return self._control("POST", "clock/advance", {"seconds": seconds})

    def now(self):
        return self._control("GET", "clock")["now"]

    def received(self, kind):
        return self._control("GET", f"received/{kind}")["items"]

    def set_inventory(self, seller_sku, fulfillable_quantity, seller_id=None):
        payload = {"sellerSku": seller_sku, "fulfillableQuantity": fulfillable_quantity}
        if seller_id:
            payload["sellerId"] = seller_id
        return self._control("POST", "inventory", payload)["row"]

    def requests(self, operation=None):
        log = self._control("GET", "requests")["requests"]
        return [r for r in log if operation is None or r["operation"] == operation]

    def stats(self):
        return self._control("GET", "stats")

    def access_token(self, refresh_token=None):
        response = self.http.post(
            self.lwa_url,
            data={
                "grant_type": "refresh_token",
                "refresh_token": refresh_token or self.refresh_token,
                "client_id": "sandbox-client",
                "client_secret": "sandbox-secret",
            },
            timeout=30,
        )
        response.raise_for_status()
        return response.json()["access_token"]

    def grantless_token(self, scope="sellingpartnerapi::notifications"):
        """An application (client_credentials) token, for grantless operations."""
        response = self.http.post(
            self.lwa_url,
            data={
                "grant_type": "client_credentials",
                "scope": scope,
                "client_id": "sandbox-client",
                "client_secret": "sandbox-secret",
            },
            timeout=30,
        )
        response.raise_for_status()
        return response.json()["access_token"]


@pytest.fixture(scope="session")
def amazon_sandbox_server():
    server = SandboxServer(host="127.0.0.1", port=0).start()
    yield server
    server.stop()


@pytest.fixture
def amazon_sandbox(amazon_sandbox_server):
    handle = SandboxHandle(amazon_sandbox_server)
    handle.reset()
    yield handle
    problems = handle.stats()["problems"]
    handle.http.close()
    if problems:
        pytest.fail(f"the sandbox sent responses that break Amazon's models: {problems}")
