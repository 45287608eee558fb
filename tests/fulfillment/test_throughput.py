"""Sustained confirmations against the sandbox's confirmShipment rate limit (Amazon's:
2 requests/s, burst 10). Prints the figure; asserts only that no 429 reached the queue
(every shipment confirmed on its first attempt) and nothing was sent twice."""

import time

from saleor_amazon.fulfillment import shipments
from saleor_amazon.fulfillment.models import AmazonShipment, ShipmentState

ORDERS = 40


def test_confirmations_throughput_without_429(amazon_sandbox, amazon_orders, fulfil, monkeypatch):
    stored = amazon_orders(ORDERS, seed="throughput")
    # Record the shipments now, send them below in one run of the beat pass.
    monkeypatch.setattr(shipments, "queue_send", lambda shipment: None)
    for index, amazon in enumerate(stored):
        fulfil(amazon.saleor_order, tracking=f"JJD{index:06d}")
    assert AmazonShipment.objects.filter(state=ShipmentState.PENDING).count() == ORDERS

    started = time.monotonic()
    shipments.process_due()
    elapsed = time.monotonic() - started

    statuses = [r["status"] for r in amazon_sandbox.requests("confirmShipment")]
    assert statuses.count(429) == 0
    assert len(amazon_sandbox.received("confirmations")) == ORDERS
    assert set(AmazonShipment.objects.values_list("state", "attempts")) == {("confirmed", 0)}
    burst = 10
    sustained = (ORDERS - burst) / max(elapsed - 0.0, 1e-9) * 60
    print(
        f"\n{ORDERS} confirmations in {elapsed:.1f}s: {ORDERS / elapsed * 60:.0f}/min overall, "
        f"about {sustained:.0f}/min after the burst of {burst}; Amazon's confirmShipment limit: "
        "2/s (120/min), burst 10; 429 responses: 0"
    )
