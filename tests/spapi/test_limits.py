"""The Redis token bucket and the table of Amazon's usage plans."""

import json
import multiprocessing
import os
import re
from pathlib import Path

import pytest

from saleor_amazon.spapi.limits import LIMITS, RateLimiter, limit_for, parse_rate_header

SELLER, REGION = "A1SELLER", "EU"
MODELS_COMMIT = "34dc93fe45f37c9a0b2e56823c808f68b4f81754"


def models_dir() -> Path:
    default = Path(__file__).resolve().parents[2].parent / "shared" / "amazon-models"
    path = Path(os.environ.get("SALEOR_AMAZON_MODELS_DIR") or default)
    if not (path / "models").is_dir():
        pytest.fail(
            f"Amazon's SP-API models are missing at {path}: check out "
            "https://github.com/amzn/selling-partner-api-models at commit "
            f"{MODELS_COMMIT} and point SALEOR_AMAZON_MODELS_DIR at it."
        )
    return path


def documented_limits() -> dict[str, tuple[float, int]]:
    """operationId -> (rate, burst) from the usage-plan tables in the models."""
    found = {}
    for model in sorted((models_dir() / "models").glob("*/*.json")):
        spec = json.loads(model.read_text())
        for ops in spec.get("paths", {}).values():
            for op in ops.values():
                if not isinstance(op, dict) or "operationId" not in op:
                    continue
                match = re.search(r"\|\s*([\d.]+)\s*\|\s*(\d+)\s*\|", op.get("description", ""))
                if match:
                    found.setdefault(op["operationId"], set()).add((float(match[1]), int(match[2])))
    return found


def test_table_matches_amazons_models():
    documented = documented_limits()
    for operation, limit in LIMITS.items():
        assert operation in documented, f"{operation} is not an operation in Amazon's models"
        assert (limit.rate, limit.burst) in documented[operation], (
            f"{operation}: table says {limit}, Amazon documents {documented[operation]}"
        )


def test_burst_is_free_then_tokens_come_at_the_documented_rate(limiter):
    limit = limit_for("getOrder")  # 0.5/s, burst 30
    for _ in range(limit.burst):
        reservation = limiter.reserve(SELLER, REGION, "getOrder", max_wait=0)
        assert reservation.granted and reservation.wait == 0
    nxt = limiter.reserve(SELLER, REGION, "getOrder", max_wait=60)
    assert nxt.granted
    assert 0.5 / limit.rate < nxt.wait <= 1 / limit.rate
    # Reservations queue: the one after waits one more interval.
    after = limiter.reserve(SELLER, REGION, "getOrder", max_wait=60)
    assert 1.5 / limit.rate < after.wait <= 2 / limit.rate


def test_a_wait_longer_than_allowed_reserves_nothing(limiter):
    for _ in range(limit_for("searchOrders").burst):
        assert limiter.reserve(SELLER, REGION, "searchOrders", max_wait=0).granted
    refused = limiter.reserve(SELLER, REGION, "searchOrders", max_wait=60)
    assert not refused.granted
    assert refused.wait > 170  # about 1 / 0.0056 s
    # Nothing was reserved: the next caller is told (about) the same wait, not twice it.
    again = limiter.reserve(SELLER, REGION, "searchOrders", max_wait=600)
    assert again.granted and again.wait <= refused.wait


def test_buckets_are_per_seller_region_and_operation(limiter):
    for _ in range(limit_for("searchCatalogItems").burst):
        assert limiter.reserve(SELLER, REGION, "searchCatalogItems", max_wait=0).granted
    assert not limiter.reserve(SELLER, REGION, "searchCatalogItems", max_wait=0).granted
    assert limiter.reserve("A2OTHER", REGION, "searchCatalogItems", max_wait=0).granted
    assert limiter.reserve(SELLER, "NA", "searchCatalogItems", max_wait=0).granted
    assert limiter.reserve(SELLER, REGION, "getOrder", max_wait=0).granted


def test_drain_after_a_429_empties_the_bucket(limiter):
    assert limiter.reserve(SELLER, REGION, "createFeedDocument", max_wait=0).granted
    limiter.drain(SELLER, REGION, "createFeedDocument")
    nxt = limiter.reserve(SELLER, REGION, "createFeedDocument", max_wait=10)
    assert nxt.granted and 1.0 < nxt.wait <= 2.0  # refills at 0.5/s


def test_rate_follows_amazons_header(limiter):
    limiter.observe_rate(SELLER, REGION, "searchOrders", 0.1)
    assert limiter.state(SELLER, REGION, "searchOrders")["rate"] == 0.1
    limiter.drain(SELLER, REGION, "searchOrders")
    nxt = limiter.reserve(SELLER, REGION, "searchOrders", max_wait=60)
    assert nxt.granted and 5 < nxt.wait <= 10  # 1 / 0.1, not 1 / 0.0056


def test_speed_scales_refill_like_a_faster_sandbox_clock(make_limiter):
    fast = make_limiter(speed=100)
    for _ in range(20):
        fast.reserve(SELLER, REGION, "searchOrders", max_wait=0)
    nxt = fast.reserve(SELLER, REGION, "searchOrders", max_wait=5)
    assert nxt.granted and 1.0 < nxt.wait <= 1 / (0.0056 * 100)


def test_limiters_share_buckets_through_redis(make_limiter):
    first = make_limiter()
    second = RateLimiter(prefix=first.prefix)  # another connection, e.g. another worker
    for _ in range(15):
        assert first.reserve(SELLER, REGION, "createFeed", max_wait=0).granted
    assert not second.reserve(SELLER, REGION, "createFeed", max_wait=0).granted


def _take_all(prefix, queue):
    rl = RateLimiter(prefix=prefix)
    granted = sum(rl.reserve(SELLER, REGION, "createFeed", max_wait=0).granted for _ in range(10))
    queue.put(granted)


def test_processes_never_take_more_than_the_burst_together(limiter):
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    workers = [ctx.Process(target=_take_all, args=(limiter.prefix, queue)) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    granted = sum(queue.get(timeout=5) for _ in workers)
    # createFeed: burst 15, then one token per two minutes; 40 attempts get the burst.
    assert granted == 15


@pytest.mark.parametrize(
    ("header", "expected"),
    [("0.0056", 0.0056), (" 2 ", 2.0), ("", None), (None, None), ("-1", None), ("abc", None)],
)
def test_parse_rate_header(header, expected):
    assert parse_rate_header(header) == expected


def test_default_limiter_follows_the_environment(monkeypatch):
    from saleor_amazon.spapi.limits import ENV_PREFIX, ENV_SPEED, default_limiter

    monkeypatch.setenv(ENV_PREFIX, "test-spapi:env-a")
    monkeypatch.setenv(ENV_SPEED, "60")
    first = default_limiter()
    assert (first.prefix, first.speed) == ("test-spapi:env-a", 60.0)
    assert default_limiter() is first
    monkeypatch.setenv(ENV_PREFIX, "test-spapi:env-b")
    assert default_limiter().prefix == "test-spapi:env-b"


def test_quota_of_a_sandbox_is_kept_apart_from_amazons(limiter):
    from saleor_amazon.spapi import AmazonClient, Credentials

    credentials = Credentials("id", "secret", "Atzr|x", "EU", "A1SELLER")
    amazon = AmazonClient(credentials, limiter=limiter)
    sandbox = AmazonClient(credentials, endpoint="http://127.0.0.1:8100", limiter=limiter)
    assert amazon.quota_owner() == "A1SELLER"
    assert sandbox.quota_owner() == "A1SELLER@127.0.0.1:8100"
    assert sandbox.quota_owner(grantless=True) == "application@127.0.0.1:8100"
    assert "secret" not in repr(amazon) and "Atzr|x" not in repr(amazon)
