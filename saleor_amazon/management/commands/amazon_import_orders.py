"""``manage.py amazon_import_orders``: fetch Amazon orders now and convert them.

Without options every active account polls from its cursor, as the periodic task does.
``--since``/``--until`` fetch the orders created in that window instead (the cursor stays);
``--order-id`` recovers one order by its Amazon number.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from ...models import AccountStatus, AmazonAccount
from ...orders.importer import OrderNotFound, import_orders, recover_order
from ...orders.mapping import MappingError, parse_time
from ...orders.process import Summary
from ...regions import MARKETPLACES_BY_CODE


class Progress:
    """A one-line progress indicator on a terminal, silent otherwise."""

    def __init__(self, stream, label):
        self.stream, self.label = stream, label
        self.tty = hasattr(stream, "isatty") and stream.isatty()

    def __call__(self, summary: Summary):
        if self.tty and summary.fetched % 10 == 0:
            self.stream.write(
                f"\r{self.label}: {summary.fetched} fetched, {summary.created} created, "
                f"{summary.failed} failed"
            )
            self.stream.flush()

    def done(self):
        if self.tty:
            self.stream.write("\n")


class Command(BaseCommand):
    help = "Import Amazon orders now (all active accounts, or one account/marketplace)."

    def add_arguments(self, parser):
        parser.add_argument("--account", type=int, help="AmazonAccount id")
        parser.add_argument("--marketplace", help="marketplace code, e.g. DE, UK, PL")
        parser.add_argument("--since", help="ISO date-time: orders created from then")
        parser.add_argument("--until", help="ISO date-time: orders created until then")
        parser.add_argument("--order-id", help="recover one order by its Amazon number")

    def handle(self, *args, **options):
        since, until = self._time(options["since"]), self._time(options["until"])
        if until and not since:
            raise CommandError("--until needs --since.")
        accounts = AmazonAccount.objects.filter(status=AccountStatus.ACTIVE)
        if options["account"]:
            accounts = AmazonAccount.objects.filter(pk=options["account"])
            if not accounts.exists():
                raise CommandError(f"No Amazon account with id {options['account']}.")
        if options["order_id"]:
            return self._recover(accounts, options["order_id"])
        total = Summary()
        for account in accounts:
            marketplace = self._marketplace(account, options["marketplace"])
            if options["marketplace"] and marketplace is None:
                continue
            progress = Progress(sys.stderr, account.name)
            summary = import_orders(account, marketplace, since, until, progress=progress)
            progress.done()
            for key, value in summary.as_dict().items():
                setattr(total, key, getattr(total, key) + value)
        self.stdout.write(
            f"fetched {total.fetched}, created {total.created}, updated {total.updated}, "
            f"held {total.held}, failed {total.failed}"
        )

    def _time(self, value):
        if not value:
            return None
        try:
            moment = parse_time(value)
        except MappingError as exc:
            raise CommandError(exc.message) from exc
        if moment.tzinfo is None:
            raise CommandError(f"{value!r} needs a time zone (e.g. 2026-11-01T00:00:00Z).")
        return moment

    def _marketplace(self, account, code):
        if not code:
            return None
        info = MARKETPLACES_BY_CODE.get(code.upper())
        if info is None:
            raise CommandError(f"Unknown marketplace code {code!r}.")
        return account.marketplaces.filter(marketplace_id=info.id).first()

    def _recover(self, accounts, order_id):
        for account in accounts:
            try:
                order, outcome = recover_order(account, order_id)
            except OrderNotFound:
                continue
            number = order.saleor_order.number if order.saleor_order_id else "-"
            self.stdout.write(
                f"Amazon order {order_id}: {outcome} (state {order.state}, Saleor order "
                f"{number}) {order.state_reason}".rstrip()
            )
            return
        raise CommandError(f"No account found Amazon order {order_id}.")
