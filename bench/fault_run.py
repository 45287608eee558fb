"""Fault run: every convertible Amazon order is imported exactly once, whatever goes wrong.

Amazon is played by the sandbox in its own process, its clock sped up, with faults: 429s,
non-JSON 500s, replies held past the client's timeout, pages repeated under a new token,
and orders that become visible to searchOrders minutes after their last update. Orders
arrive in batches over the run. The "worker" is a process of its own that polls every
account in a loop (the plugin's ``import_orders``, as Celery beat and a worker would); in
a share of its polls it is killed with SIGKILL after a random number of stored orders, and
started again. When the last batch is in, the faults stop, the late orders surface, and
``manage.py amazon_import_orders`` polls until nothing changes. Then every generated order
is checked: each convertible one has exactly one Saleor order (total = Amazon's), no other
has one, and no Amazon order is stored twice. Prints the figures; exits 1 when an order is
missing or duplicated.

It runs on a throwaway, freshly migrated database (see ``devtools.fresh_database``).

    python bench/fault_run.py [--orders 400] [--batches 8] [--kill-share 0.5] [--seed faults]
"""

import argparse
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import django
import requests
from common import on_fresh_database, shop, start_sandbox

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor.settings")
os.environ.setdefault("SECRET_KEY", "saleor-amazon-bench")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1")

# One real second is a sandbox minute: searchOrders' three-minute refill takes 3 s, and the
# plugin's limiter runs at the same speed. The poll overlap (30 sandbox minutes) is then
# 30 real seconds, and a late order (10 sandbox minutes) surfaces after 10 real seconds.
SPEED = 60
FAULTS = "429=0.15,500=0.05,slow=0.03,repeat_page=0.2,late=0.2,late_seconds=600,slow_seconds=35"
CONVERTIBLE = {"UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED"}


def import_command():
    """The plugin's import command in Saleor's manage.py, as a process of its own."""
    import saleor

    manage = os.path.join(os.path.dirname(os.path.dirname(saleor.__file__)), "manage.py")
    return [sys.executable, manage, "amazon_import_orders"]


def worker_loop():
    """The worker process: poll every active account again and again, as Celery beat and
    a worker would, telling the parent (stdout) when a poll starts and each order it
    stores."""
    django.setup()
    from saleor_amazon.models import AccountStatus, AmazonAccount
    from saleor_amazon.orders.importer import import_orders

    def stored(_summary):
        print("order", flush=True)

    while True:
        print("poll", flush=True)
        for account in AmazonAccount.objects.filter(status=AccountStatus.ACTIVE):
            try:
                import_orders(account, progress=stored)
            except Exception as exc:  # a poll that failed is retried by the next one
                print(f"error {type(exc).__name__}: {exc}"[:300], flush=True)
        print("done", flush=True)
        time.sleep(0.5)


class Worker:
    """The worker process, killed with SIGKILL in the middle of some of its polls (after a
    random number of stored orders) and started again."""

    def __init__(self, env, kill_share, rng):
        self.command = [sys.executable, os.path.abspath(__file__), "--worker"]
        self.env, self.kill_share, self.rng = env, kill_share, rng
        self.polls = self.kills = self.errors = self.starts = 0
        self.stop = threading.Event()
        self.changed = threading.Condition()

    def _count(self, name):
        with self.changed:
            setattr(self, name, getattr(self, name) + 1)
            self.changed.notify_all()

    def wait_for_a_poll(self, timeout=300):
        """Until one more poll ended (completed or killed); False on timeout."""
        with self.changed:
            seen = self.polls + self.kills
            return self.changed.wait_for(lambda: self.polls + self.kills > seen, timeout)

    def run(self):
        while not self.stop.is_set():
            self.starts += 1
            process = subprocess.Popen(  # noqa: S603 - our own interpreter and script
                self.command, env=self.env, stdout=subprocess.PIPE, text=True
            )
            target = None
            for line in process.stdout:
                word = line.split(" ", 1)[0].strip()
                if self.stop.is_set():
                    break
                if word == "poll":
                    kill = self.rng.random() < self.kill_share
                    target, count = (self.rng.randint(1, 25) if kill else None), 0
                elif word == "order":
                    count += 1
                    if target is not None and count >= target:
                        process.send_signal(signal.SIGKILL)
                        self._count("kills")
                        break
                elif word == "done":
                    self._count("polls")
                elif word == "error":
                    self._count("errors")
            process.kill()
            process.wait()

    def start(self):
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()
        return self

    def finish(self):
        self.stop.set()
        self.thread.join()


def quiet_polls(env, needed=2, limit=20):
    """Poll until ``needed`` polls in a row change no Amazon order; returns the polls."""
    from saleor_amazon.models import AmazonOrder

    quiet = polls = 0
    while quiet < needed and polls < limit:
        before = AmazonOrder.objects.count(), _latest_update()
        subprocess.run(import_command(), env=env, check=True, capture_output=True)  # noqa: S603
        polls += 1
        quiet = quiet + 1 if (AmazonOrder.objects.count(), _latest_update()) == before else 0
        time.sleep(1)
    return polls


def _latest_update():
    from django.db.models import Max

    from saleor_amazon.models import AmazonOrder

    return AmazonOrder.objects.aggregate(last=Max("updated_at"))["last"]


def expected_outcome(order):
    status = order["fulfillment"]["fulfillmentStatus"]
    if order["fulfillment"]["fulfilledBy"] == "AMAZON":
        return status == "SHIPPED"
    return status in CONVERTIBLE


def check(orders):
    """(figures, problems) of the final state against the generated orders."""
    from saleor.order.models import Order

    from saleor_amazon.models import AmazonOrder

    stored = Counter(AmazonOrder.objects.values_list("amazon_order_id", flat=True))
    saleor = Counter(
        Order.objects.exclude(external_reference=None).values_list("external_reference", flat=True)
    )
    totals = dict(Order.objects.values_list("external_reference", "total_gross_amount"))
    problems = []
    convertible = [o for o in orders if expected_outcome(o)]
    for order in orders:
        order_id = order["orderId"]
        if stored[order_id] != 1:
            problems.append(f"{order_id}: stored {stored[order_id]} times")
        want = 1 if expected_outcome(order) else 0
        if saleor[order_id] != want:
            problems.append(f"{order_id}: {saleor[order_id]} Saleor orders, expected {want}")
        elif want and totals[order_id] != Decimal(order["proceeds"]["grandTotal"]["amount"]):
            problems.append(f"{order_id}: total {totals[order_id]} is not Amazon's")
    figures = {
        "generated": len(orders),
        "convertible": len(convertible),
        "stored": sum(stored.values()),
        "saleor_orders": sum(saleor.values()),
        "duplicates": sum(n - 1 for n in saleor.values() if n > 1),
        "missing": sum(1 for o in convertible if saleor[o["orderId"]] == 0),
        "failed": AmazonOrder.objects.filter(state="failed").count(),
    }
    return figures, problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=400)
    parser.add_argument("--batches", type=int, default=8)
    parser.add_argument("--batch-seconds", type=float, default=6.0, help="real seconds apart")
    parser.add_argument(
        "--kill-share", type=float, default=0.5, help="share of polls killed mid-import"
    )
    parser.add_argument("--seed", default="faults")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker_loop()

    return on_fresh_database("faults", run, args)


def run(args):
    django.setup()

    from saleor.plugins.models import PluginConfiguration

    from amazon_sandbox.demo import DEMO_REFRESH_TOKEN, DEMO_SELLER_ID
    from amazon_sandbox.generate import generate_orders, seed_document
    from saleor_amazon import conf
    from saleor_amazon.orders.mapping import parse_time
    from saleor_amazon.spapi.limits import RateLimiter

    rng = random.Random(args.seed)  # noqa: S311 - dice, not secrets
    seed = seed_document([], seller_id=DEMO_SELLER_ID, refresh_token=DEMO_REFRESH_TOKEN)
    sandbox, url = start_sandbox(seed, speed=SPEED, faults=FAULTS + f",seed={rng.randrange(99)}")
    http = requests.Session()

    def control(method, path, payload=None):
        response = http.request(method, f"{url}/_sandbox/{path}", json=payload, timeout=30)
        response.raise_for_status()
        return response.json()

    per_batch = max(args.orders // args.batches, 1)
    markets = ["DE", "FR", "IT", "ES", "GB", "PL"]

    def batch(k, now):
        """Batch k: one order a sandbox minute from just before ``now`` on, each visible
        to searchOrders once the sandbox clock passes its last update, as on Amazon (the
        same orders whatever ``now``: only their times move)."""
        return generate_orders(
            per_batch,
            seed=f"{args.seed}-{k}",
            marketplaces=markets,
            start=now - timedelta(minutes=2),
            spacing_minutes=1,
            until=now + timedelta(minutes=per_batch),
        )

    start = parse_time(control("GET", "clock")["now"])
    shop(
        [order for k in range(args.batches) for order in batch(k, start)],
        import_since=start - timedelta(days=3),
    )
    PluginConfiguration.objects.create(
        identifier=conf.PLUGIN_ID,
        active=True,
        configuration=[
            {"name": conf.CLIENT_ID, "value": "fault-run"},
            {"name": conf.CLIENT_SECRET, "value": "fault-run"},
        ],
    )
    prefix = f"fault-run:{uuid.uuid4().hex}"
    env = {
        **os.environ,
        conf.ENV_SPAPI_ENDPOINT: url,
        conf.ENV_LWA_ENDPOINT: f"{url}/auth/o2/token",
        "SALEOR_AMAZON_RATELIMIT_SPEED": str(SPEED),
        "SALEOR_AMAZON_RATELIMIT_PREFIX": prefix,
    }
    print(
        f"{per_batch * args.batches} orders in {args.batches} batches on {', '.join(markets)}; "
        f"faults {FAULTS}; sandbox x{SPEED}; {args.kill_share:.0%} of polls killed mid-import"
    )
    began = time.monotonic()
    worker = Worker(env, args.kill_share, rng).start()
    late, orders = 0, []
    try:
        worker.wait_for_a_poll()  # the worker is up (starting Saleor takes a while)
        for k in range(args.batches):
            # As on Amazon, an order appears around the time it was last updated.
            added = batch(k, parse_time(control("GET", "clock")["now"]))
            late += len(control("POST", "orders", {"orders": added})["late"])
            orders += added
            time.sleep(args.batch_seconds)
            worker.wait_for_a_poll()
        worker.wait_for_a_poll()
    finally:
        worker.finish()
    faults = control("GET", "stats")["faults"]["fired"]
    during = check(orders)[0]
    control("POST", "faults", {"spec": ""})
    time.sleep((per_batch + 12) * 60 / SPEED)  # the last orders and the late ones surface
    settle = quiet_polls(env)
    elapsed = time.monotonic() - began
    RateLimiter(prefix=prefix).clear()
    sandbox.kill()

    figures, problems = check(orders)
    print(
        f"worker: {worker.polls} complete polls, {worker.kills} killed mid-import and "
        f"restarted, {worker.errors} failed polls; then {settle} polls to settle; "
        f"{elapsed:.0f} s in all"
    )
    print(f"faults fired: {dict(sorted(faults.items()))}; orders hidden late: {late}")
    print(
        f"while faults and kills went on: {during['stored']} stored, "
        f"{during['saleor_orders']} Saleor orders, {during['duplicates']} duplicates"
    )
    print(
        "orders: {generated} generated, {convertible} convertible, {stored} stored, "
        "{saleor_orders} Saleor orders, {duplicates} duplicates, {missing} missing, "
        "{failed} failed".format(**figures)
    )
    for problem in problems[:20]:
        print(f"  PROBLEM {problem}")
    print("every convertible order imported exactly once" if not problems else "FAILED")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
