"""Beat schedule, the polling task and the amazon_import_orders command."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from saleor.celeryconf import app

from amazon_sandbox.generate import generate_orders
from saleor_amazon.models import AmazonImportCursor, AmazonOrder
from saleor_amazon.tasks import orders as order_tasks


def test_beat_schedule_registers_every_periodic_task():
    import saleor_amazon.tasks  # noqa: F401 - what Saleor's autodiscovery imports

    for name in (
        "saleor-amazon-poll-orders",
        "saleor-amazon-retry-failed-orders",
        "saleor-amazon-purge-buyer-data",
        "saleor-amazon-process-fulfillment",
        "saleor-amazon-poll-listings-feeds",
        "saleor-amazon-sync-listings",
    ):
        entry = app.conf.beat_schedule[name]
        assert entry["task"] in app.tasks
        assert entry["options"]["expires"] < entry["schedule"].total_seconds()


def test_accounts_are_due_after_the_configured_interval(sandbox_account, sandbox_shop):
    sandbox_shop(generate_orders(3, seed="due", marketplaces=["DE"]))
    assert order_tasks.due_accounts(interval_minutes=10) == [sandbox_account.pk]
    AmazonImportCursor.objects.create(
        account=sandbox_account,
        marketplace=sandbox_account.marketplaces.get(),
        last_attempt_at=timezone.now(),
    )
    assert order_tasks.due_accounts(interval_minutes=10) == []
    later = timezone.now() + timedelta(minutes=11)
    assert order_tasks.due_accounts(now=later, interval_minutes=10) == [sandbox_account.pk]


def test_polling_task_imports_due_accounts(sandbox_account, sandbox_shop):
    orders = generate_orders(8, seed="task", marketplaces=["DE", "PL"])
    sandbox_shop(orders)
    order_tasks.poll_orders_task()  # Saleor's test settings run Celery tasks eagerly
    assert AmazonOrder.objects.count() == 8
    assert order_tasks.due_accounts(interval_minutes=10) == []


def test_command_prints_a_summary(sandbox_account, sandbox_shop):
    orders = generate_orders(
        6, seed="command", marketplaces=["SE"], statuses=["UNSHIPPED"], fulfilled_by="MERCHANT"
    )
    sandbox_shop(orders)
    out = StringIO()
    call_command("amazon_import_orders", "--account", str(sandbox_account.pk), stdout=out)
    assert out.getvalue().strip() == "fetched 6, created 6, updated 0, held 0, failed 0"

    out = StringIO()
    call_command("amazon_import_orders", "--order-id", orders[2]["orderId"], stdout=out)
    assert orders[2]["orderId"] in out.getvalue()


def test_command_rejects_bad_input(sandbox_account):
    with pytest.raises(CommandError, match="not an ISO 8601"):
        call_command("amazon_import_orders", "--since", "yesterday")
    with pytest.raises(CommandError, match="Unknown marketplace"):
        call_command("amazon_import_orders", "--marketplace", "XX")
    with pytest.raises(CommandError, match="No Amazon account"):
        call_command("amazon_import_orders", "--account", "999999")
