"""Import from the local Amazon sandbox over HTTP into Saleor's real models."""

import threading
from decimal import Decimal as D

import pytest
from django.db import connection
from saleor.order import OrderStatus
from saleor.order.models import Order

from amazon_sandbox.generate import generate_orders
from saleor_amazon.models import AmazonImportCursor, AmazonOrder, ProcessingState
from saleor_amazon.orders import importer
from saleor_amazon.orders.importer import OrderNotFound, import_orders, recover_order

MARKETS = ["DE", "GB", "PL", "SE", "US"]


def _orders(n, seed, **kwargs):
    kwargs.setdefault("marketplaces", MARKETS)
    return generate_orders(n, seed=seed, **kwargs)


def _check_converted(orders):
    """Every stored order is where its Amazon status puts it; totals are Amazon's."""
    by_id = {o["orderId"]: o for o in orders}
    stored = {a.amazon_order_id: a for a in AmazonOrder.objects.select_related("saleor_order")}
    assert set(stored) == set(by_id)
    for order_id, amazon in stored.items():
        payload = by_id[order_id]
        status = payload["fulfillment"]["fulfillmentStatus"]
        fba = payload["fulfillment"]["fulfilledBy"] == "AMAZON"
        if status == "CANCELLED":
            assert amazon.state == ProcessingState.SKIPPED
        elif status in ("PENDING", "PENDING_AVAILABILITY") or (fba and status != "SHIPPED"):
            assert amazon.state == ProcessingState.PENDING
        else:
            assert amazon.state == ProcessingState.PROCESSED, amazon.state_reason
            total = D(payload["proceeds"]["grandTotal"]["amount"])
            assert amazon.saleor_order.total_gross_amount == total
            assert amazon.saleor_order.external_reference == order_id
    assert Order.objects.count() == len(set(Order.objects.values_list("external_reference")))


def test_polling_imports_every_order_once_and_moves_the_cursor(
    amazon_sandbox, sandbox_account, sandbox_shop, sandbox_client
):
    orders = _orders(150, "poll")
    markets = sandbox_shop(orders)
    client = sandbox_client(sandbox_account)

    summary = import_orders(sandbox_account, client=client)

    assert summary.fetched == 150
    _check_converted(orders)
    assert summary.created == Order.objects.count() > 0
    assert summary.failed == 0
    cursors = AmazonImportCursor.objects.filter(account=sandbox_account)
    assert cursors.count() == len(markets)
    for cursor in cursors:
        assert cursor.last_updated_before and cursor.last_success_at and not cursor.last_error

    again = import_orders(sandbox_account, client=client)
    assert (again.fetched, again.created) == (0, 0)
    assert AmazonOrder.objects.count() == 150


def test_amazon_updates_reach_saleor(
    amazon_sandbox, sandbox_account, sandbox_shop, sandbox_client, site_settings
):
    orders = _orders(40, "updates", statuses=["UNSHIPPED"], fulfilled_by="MERCHANT")
    sandbox_shop(orders)
    client = sandbox_client(sandbox_account)
    import_orders(sandbox_account, client=client)
    cancelled, requested = orders[0]["orderId"], orders[1]["orderId"]
    amazon_sandbox.set_order_status(cancelled, "CANCELLED")
    amazon_sandbox.set_order_status(requested, "CANCELLATION_REQUESTED")
    amazon_sandbox.advance(300)

    summary = import_orders(sandbox_account, client=client)

    assert summary.fetched == 2 and summary.updated == 2 and summary.created == 0
    first = AmazonOrder.objects.get(amazon_order_id=cancelled)
    assert first.status == "CANCELLED"
    assert first.saleor_order.status == OrderStatus.CANCELED
    second = AmazonOrder.objects.get(amazon_order_id=requested)
    assert second.buyer_cancellation_requested and second.needs_attention
    assert second.saleor_order.status == OrderStatus.UNFULFILLED


def test_held_orders_convert_after_linking(
    amazon_sandbox, sandbox_account, sandbox_shop, sandbox_client
):
    from saleor.product.models import ProductVariant

    from saleor_amazon.models import AmazonOffer
    from saleor_amazon.orders.process import create_pending_orders

    orders = _orders(30, "held", statuses=["UNSHIPPED"], fulfilled_by="MERCHANT")
    markets = sandbox_shop(orders)
    sku = orders[0]["orderItems"][0]["product"]["sellerSku"]
    variant = ProductVariant.objects.get(sku=sku)
    variant.sku = f"SALEOR-{sku}"
    variant.save()

    summary = import_orders(sandbox_account, client=sandbox_client(sandbox_account))

    held = AmazonOrder.objects.filter(state=ProcessingState.NEEDS_LINKING)
    assert summary.held == held.count() > 0
    assert all(sku in order.state_reason for order in held)
    for market in markets.values():
        AmazonOffer.objects.create(
            account=sandbox_account, marketplace=market, seller_sku=sku, variant=variant
        )
    assert create_pending_orders().created == summary.held
    _check_converted(orders)


def test_a_worker_killed_mid_import_loses_nothing(
    amazon_sandbox, sandbox_account, sandbox_shop, sandbox_client, monkeypatch
):
    orders = _orders(60, "crash")
    sandbox_shop(orders)
    client = sandbox_client(sandbox_account)

    class Killed(BaseException):
        pass

    real = importer.process_stored
    calls = []

    def dies_on_the_tenth(stored, market, *args):
        calls.append(stored.order.amazon_order_id)
        if len(calls) == 10:
            raise Killed
        return real(stored, market, *args)

    monkeypatch.setattr(importer, "process_stored", dies_on_the_tenth)
    with pytest.raises(Killed):
        import_orders(sandbox_account, client=client)
    assert AmazonOrder.objects.count() == 10  # nine done, the tenth stored, unprocessed
    assert (
        not AmazonImportCursor.objects.exclude(last_updated_before=None)
        .filter(marketplace__orders__amazon_order_id=calls[-1])
        .exists()
    )

    monkeypatch.setattr(importer, "process_stored", real)
    summary = import_orders(sandbox_account, client=client)

    assert summary.failed == 0
    _check_converted(orders)


def test_repeated_pages_create_no_duplicates(
    amazon_sandbox, sandbox_account, sandbox_shop, sandbox_client
):
    orders = _orders(250, "repeat", marketplaces=["DE"])
    sandbox_shop(orders)
    amazon_sandbox.set_faults("repeat_page=0.5,seed=3")
    summary = import_orders(sandbox_account, client=sandbox_client(sandbox_account))
    assert amazon_sandbox.stats()["faults"]["fired"].get("repeat_page")
    assert summary.fetched == 250
    _check_converted(orders)


def test_malformed_orders_are_stored_with_reasons(
    amazon_sandbox, sandbox_account, sandbox_shop, sandbox_client
):
    orders = _orders(12, "bad", statuses=["UNSHIPPED"], fulfilled_by="MERCHANT")
    orders[0]["proceeds"]["grandTotal"]["amount"] = "0.01"
    orders[1]["orderItems"][0]["proceeds"]["breakdowns"][0]["subtotal"]["amount"] = "n/a"
    del orders[2]["recipient"]
    sandbox_shop(orders)

    summary = import_orders(sandbox_account, client=sandbox_client(sandbox_account))

    assert summary.failed == 3 and summary.created == 9
    codes = {a.amazon_order_id: a.error_code for a in AmazonOrder.objects.filter(state="failed")}
    assert codes == {
        orders[0]["orderId"]: "TOTAL_MISMATCH",
        orders[1]["orderId"]: "INVALID_AMOUNT",
        orders[2]["orderId"]: "MISSING_ADDRESS",
    }
    assert all(a.state_reason and a.raw for a in AmazonOrder.objects.filter(state="failed"))


def test_recover_one_order_by_its_number(
    amazon_sandbox, sandbox_account, sandbox_shop, sandbox_client
):
    orders = _orders(5, "recover", statuses=["UNSHIPPED"], fulfilled_by="MERCHANT")
    sandbox_shop(orders)
    client = sandbox_client(sandbox_account)
    order, outcome = recover_order(sandbox_account, orders[3]["orderId"], client=client)
    assert outcome == "created" and order.saleor_order_id
    assert AmazonOrder.objects.count() == 1
    with pytest.raises(OrderNotFound):
        recover_order(sandbox_account, "999-0000000-0000000", client=client)


def test_fetch_a_date_range_on_demand_leaves_the_cursor(
    amazon_sandbox, sandbox_account, sandbox_shop, sandbox_client
):
    orders = _orders(30, "range")
    sandbox_shop(orders)
    created = sorted(o["createdTime"] for o in orders)
    since, until = created[10], created[19]
    from saleor_amazon.orders.mapping import parse_time

    summary = import_orders(
        sandbox_account, since=parse_time(since), until=parse_time(until),
        client=sandbox_client(sandbox_account),
    )  # fmt: skip
    assert summary.fetched == 10
    assert not AmazonImportCursor.objects.exclude(last_updated_before=None).exists()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_imports_of_the_same_window_create_no_duplicates(
    amazon_sandbox, sandbox_account, sandbox_shop, sandbox_client
):
    orders = _orders(80, "concurrent", statuses=["UNSHIPPED", "SHIPPED"])
    sandbox_shop(orders)
    clients = [sandbox_client(sandbox_account), sandbox_client(sandbox_account)]
    barrier = threading.Barrier(2)
    errors = []

    def worker(client):
        try:
            barrier.wait()
            import_orders(sandbox_account, client=client)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert AmazonOrder.objects.count() == 80
    _check_converted(orders)


def _sandbox_now(amazon_sandbox):
    from saleor_amazon.orders.mapping import parse_time

    return parse_time(amazon_sandbox.now())


def _shop_for_later(amazon_sandbox, sandbox_shop, orders):
    """Marketplaces and variants for ``orders``; the sandbox itself starts empty."""
    from amazon_sandbox.generate import seed_document

    markets = sandbox_shop(orders)
    amazon_sandbox.reset(
        seed=seed_document(
            [], seller_id=amazon_sandbox.seller_id, refresh_token=amazon_sandbox.refresh_token
        )
    )
    return markets


def test_orders_amazon_shows_late_are_imported_by_later_polls(
    amazon_sandbox, sandbox_account, sandbox_shop, sandbox_client
):
    """The late fault hides an order from searchOrders for 15 sandbox minutes after it was
    last updated: the next polls' overlap still reaches back to it; none is lost."""
    from datetime import timedelta

    batches, step = 6, timedelta(minutes=4)
    start = _sandbox_now(amazon_sandbox)
    plan = [
        _orders(
            12,
            f"late-{k}",
            marketplaces=["DE", "FR"],
            statuses=["UNSHIPPED"],
            fulfilled_by="MERCHANT",
            start=start + k * step - timedelta(minutes=14),
            spacing_minutes=1,
            until=start + k * step,
        )
        for k in range(batches)
    ]
    orders = [order for batch in plan for order in batch]
    _shop_for_later(amazon_sandbox, sandbox_shop, orders)
    client = sandbox_client(sandbox_account)
    amazon_sandbox.set_faults("late=0.4,late_seconds=900,seed=11")
    hidden = []
    for batch in plan:
        hidden += amazon_sandbox.add_orders(batch)["late"]
        amazon_sandbox.advance(step.total_seconds())
        import_orders(sandbox_account, client=client)
    amazon_sandbox.set_faults("")
    amazon_sandbox.advance(900)
    import_orders(sandbox_account, client=client)

    assert len(hidden) >= 10  # the fault really hid orders past a poll
    _check_converted(orders)
    assert AmazonOrder.objects.count() == len(orders)


def test_a_deep_recheck_finds_an_order_shown_hours_late(
    amazon_sandbox, sandbox_account, sandbox_shop, sandbox_client
):
    from datetime import timedelta

    from django.utils import timezone

    first = _orders(3, "deep-a", marketplaces=["DE"], statuses=["UNSHIPPED"])
    _shop_for_later(amazon_sandbox, sandbox_shop, first)
    client = sandbox_client(sandbox_account)
    now = _sandbox_now(amazon_sandbox)
    early = _orders(
        3, "deep-b", marketplaces=["DE"], statuses=["UNSHIPPED"], fulfilled_by="MERCHANT",
        start=now - timedelta(hours=2, minutes=10), spacing_minutes=1,
        until=now - timedelta(hours=2),
    )  # fmt: skip
    for sku_source, order in zip(first, early, strict=True):
        order["orderItems"] = sku_source["orderItems"]  # SKUs the shop has
    amazon_sandbox.add_orders(early[:2])
    amazon_sandbox.add_orders(early[2:], late_seconds=3 * 3600)  # five hours after its update
    amazon_sandbox.advance(300)
    import_orders(sandbox_account, client=client)
    assert AmazonOrder.objects.count() == 2

    amazon_sandbox.advance(4 * 3600)  # now visible, but far behind the overlap
    import_orders(sandbox_account, client=client)
    assert AmazonOrder.objects.count() == 2
    cursor = AmazonImportCursor.objects.get()
    cursor.last_deep_check_at = timezone.now() - timedelta(hours=7)  # a deep re-check is due
    cursor.save()

    import_orders(sandbox_account, client=client)

    assert AmazonOrder.objects.filter(amazon_order_id=early[2]["orderId"]).exists()
    cursor.refresh_from_db()
    assert cursor.last_deep_check_at > timezone.now() - timedelta(minutes=1)
    assert cursor.deep_checked_from <= cursor.last_updated_before - timedelta(hours=24)


def test_one_search_per_poll_covers_every_marketplace_of_the_account(
    amazon_sandbox, sandbox_account, sandbox_shop, sandbox_client
):
    orders = _orders(40, "grouped", marketplaces=["DE", "FR", "IT", "PL", "SE"])
    markets = sandbox_shop(orders)

    summary = import_orders(sandbox_account, client=sandbox_client(sandbox_account))

    searches = amazon_sandbox.requests("searchOrders")
    first_pages = [r for r in searches if "paginationToken" not in r["query"]]
    assert len(first_pages) == 1
    assert summary.fetched == 40
    _check_converted(orders)
    cursors = AmazonImportCursor.objects.filter(account=sandbox_account)
    assert cursors.count() == len(markets) == 5
    assert len({c.last_updated_before for c in cursors}) == 1  # moved together
