"""Confirmations survive Amazon's outages and throttling, store Amazon's refusals, are sent
once whatever Saleor repeats, and never touch orders Amazon fulfils."""

from datetime import timedelta

from django.utils import timezone
from saleor.plugins.manager import get_plugins_manager

from saleor_amazon.fulfillment import shipments
from saleor_amazon.fulfillment.models import AmazonShipment, ShipmentState


def _fast_client(monkeypatch):
    # One short attempt per send: the retry under test is ours (backoff across sends).
    monkeypatch.setitem(shipments.CLIENT_OPTIONS, "max_retry_seconds", 0.5)


def test_5xx_is_retried_with_backoff_until_confirmed(
    amazon_sandbox, amazon_orders, fulfil, monkeypatch
):
    _fast_client(monkeypatch)
    (amazon,) = amazon_orders(1, seed="retry-500")
    amazon_sandbox.set_faults("500=1,seed=1")

    fulfillment = fulfil(amazon.saleor_order, tracking="JJD0001")

    shipment = AmazonShipment.objects.get(fulfillment=fulfillment)
    assert shipment.state == ShipmentState.PENDING
    assert shipment.attempts == 1
    assert "Retrying" in shipment.error
    first_retry = shipment.next_retry_at
    assert first_retry > timezone.now()
    calls = len(amazon_sandbox.requests("confirmShipment"))
    # Not due yet: nothing is sent.
    assert shipments.process_due()["sent"] == 0
    assert len(amazon_sandbox.requests("confirmShipment")) == calls

    shipments.process_due(now=first_retry + timedelta(seconds=1))
    shipment.refresh_from_db()
    assert shipment.attempts == 2
    assert shipment.next_retry_at - first_retry >= timedelta(seconds=30)  # backoff grows

    amazon_sandbox.set_faults("")
    shipments.process_due(now=shipment.next_retry_at + timedelta(seconds=1))
    shipment.refresh_from_db()
    assert shipment.state == ShipmentState.CONFIRMED, shipment.error
    assert len(amazon_sandbox.received("confirmations")) == 1


def test_429_is_retried_and_never_fails_the_shipment(
    amazon_sandbox, amazon_orders, fulfil, monkeypatch
):
    _fast_client(monkeypatch)
    (amazon,) = amazon_orders(1, seed="retry-429")
    amazon_sandbox.set_faults("429=1,seed=1")

    fulfillment = fulfil(amazon.saleor_order, tracking="JJD0002")

    shipment = AmazonShipment.objects.get(fulfillment=fulfillment)
    assert shipment.state == ShipmentState.PENDING
    assert shipment.error.startswith("Retrying")
    assert amazon_sandbox.requests("confirmShipment")[0]["status"] == 429
    amazon_sandbox.set_faults("")
    shipments.process_due(now=shipment.next_retry_at + timedelta(seconds=1))
    shipment.refresh_from_db()
    assert shipment.state == ShipmentState.CONFIRMED
    assert len(amazon_sandbox.received("confirmations")) == 1


def test_amazons_refusal_is_stored_and_saleor_keeps_its_fulfilment(
    amazon_sandbox, amazon_orders, fulfil
):
    (amazon,) = amazon_orders(1, seed="refused")
    amazon_sandbox.set_order_status(
        amazon.amazon_order_id, "CANCELLED", cancelledBy="BUYER", reason="changed mind"
    )

    fulfillment = fulfil(amazon.saleor_order, tracking="JJD0003")

    fulfillment.refresh_from_db()  # Saleor's fulfilment stands
    shipment = AmazonShipment.objects.get(fulfillment=fulfillment)
    assert shipment.state == ShipmentState.FAILED
    assert "CANCELLED" in shipment.error
    assert shipment.error.startswith("Amazon refused")
    assert shipment.error_code
    assert amazon_sandbox.received("confirmations") == []
    # Failed shipments are not retried on their own.
    shipments.process_due(now=timezone.now() + timedelta(days=1))
    assert amazon_sandbox.received("confirmations") == []


def test_duplicated_events_confirm_once(amazon_sandbox, amazon_orders, fulfil):
    (amazon,) = amazon_orders(1, seed="dupes")
    fulfillment = fulfil(amazon.saleor_order, tracking="JJD0004")
    manager = get_plugins_manager(allow_replica=False)

    for _ in range(3):
        manager.fulfillment_created(fulfillment)
        manager.fulfillment_approved(fulfillment)
        manager.tracking_number_updated(fulfillment)
        shipments.send_shipment(fulfillment.amazon_shipment.pk)
    shipments.process_due()

    assert len(amazon_sandbox.received("confirmations")) == 1
    assert AmazonShipment.objects.filter(fulfillment=fulfillment).count() == 1


def test_a_lost_answer_is_recognised_as_confirmed(
    amazon_sandbox, amazon_orders, fulfil, sandbox_account, sandbox_client
):
    """Amazon got the package but our record did not learn it: the retry finds the
    package on Amazon instead of failing on the duplicate."""
    (amazon,) = amazon_orders(1, seed="lost")
    fulfillment = fulfil(amazon.saleor_order, tracking="JJD0005")
    shipment = AmazonShipment.objects.get(fulfillment=fulfillment)
    AmazonShipment.objects.filter(pk=shipment.pk).update(
        state=ShipmentState.PENDING, confirmed_at=None
    )

    assert shipments.send_shipment(shipment.pk) == ShipmentState.CONFIRMED
    assert len(amazon_sandbox.received("confirmations")) == 1
    assert len(amazon_sandbox.requests("getOrder")) == 1


def test_fba_orders_are_never_confirmed(amazon_sandbox, amazon_orders):
    (amazon,) = amazon_orders(1, seed="fba", statuses=["SHIPPED"], fulfilled_by="AMAZON")
    fulfillment = amazon.saleor_order.fulfillments.get()
    manager = get_plugins_manager(allow_replica=False)

    manager.fulfillment_created(fulfillment)
    manager.tracking_number_updated(fulfillment)
    shipments.process_due()

    shipment = AmazonShipment.objects.get(fulfillment=fulfillment)
    assert shipment.state == ShipmentState.SKIPPED
    assert "FBA" in shipment.error
    assert amazon_sandbox.received("confirmations") == []
    assert amazon_sandbox.requests("confirmShipment") == []


def test_staff_retry_of_a_failed_shipment_sends_it_again(
    amazon_sandbox, amazon_orders, fulfil, django_capture_on_commit_callbacks
):
    (amazon,) = amazon_orders(1, seed="retry-failed")
    amazon_sandbox.set_order_status(amazon.amazon_order_id, "PENDING")
    fulfillment = fulfil(amazon.saleor_order, tracking="JJD0006")
    shipment = AmazonShipment.objects.get(fulfillment=fulfillment)
    assert shipment.state == ShipmentState.FAILED
    # The cause goes away (here: Amazon moves the order on); staff retries.
    amazon_sandbox.set_order_status(amazon.amazon_order_id, "UNSHIPPED")

    with django_capture_on_commit_callbacks(execute=True):
        shipments.retry_shipment(shipment)

    shipment.refresh_from_db()
    assert shipment.state == ShipmentState.CONFIRMED, shipment.error
    assert shipment.error == ""
    assert len(amazon_sandbox.received("confirmations")) == 1
