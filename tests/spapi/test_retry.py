"""Backoff with jitter and the bounded retry loop (pure logic, a fake clock)."""

import random

import pytest

from saleor_amazon.spapi.errors import (
    AuthError,
    InvalidInputError,
    ThrottledError,
    UnavailableError,
)
from saleor_amazon.spapi.retry import Backoff, call_with_retry


class FakeClock:
    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def test_delays_grow_exponentially_with_jitter_and_a_cap():
    backoff = Backoff(base=0.5, factor=2, cap=8)
    rng = random.Random(7)
    for attempt in range(10):
        ceiling = min(8, 0.5 * 2**attempt)
        draws = [backoff.delay(attempt, rng=rng) for _ in range(200)]
        assert all(0 <= d <= ceiling for d in draws)
        # Jitter: the draws spread over the range instead of all waiting the same.
        assert max(draws) - min(draws) > ceiling / 2


def test_delay_respects_amazons_retry_after():
    assert Backoff(base=0.1).delay(0, retry_after=3) >= 3


def test_retries_retryable_errors_until_success():
    clock = FakeClock()
    answers = iter([ThrottledError("429"), UnavailableError("503"), "ok"])

    def fn(deadline):
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert call_with_retry(fn, budget=60, sleep=clock.sleep, clock=clock) == "ok"
    assert len(clock.sleeps) == 2


@pytest.mark.parametrize("error", [AuthError("revoked"), InvalidInputError("bad sku")])
def test_non_retryable_errors_are_raised_at_once(error):
    clock = FakeClock()
    calls = []

    def fn(deadline):
        calls.append(deadline)
        raise error

    with pytest.raises(type(error)):
        call_with_retry(fn, budget=60, sleep=clock.sleep, clock=clock)
    assert len(calls) == 1 and clock.sleeps == []


def test_gives_up_with_the_typed_error_when_the_budget_is_spent():
    clock = FakeClock()
    calls = []

    def fn(deadline):
        calls.append(clock())
        raise UnavailableError("500 not json")

    with pytest.raises(UnavailableError):
        call_with_retry(
            fn, budget=10, backoff=Backoff(base=1, cap=4), sleep=clock.sleep, clock=clock
        )
    assert len(calls) > 2
    assert clock.now - 1000.0 <= 10  # never slept past the budget


def test_a_retry_after_beyond_the_budget_is_not_waited_for():
    clock = FakeClock()

    def fn(deadline):
        raise ThrottledError("limiter", retry_after=300)

    with pytest.raises(ThrottledError) as info:
        call_with_retry(fn, budget=60, sleep=clock.sleep, clock=clock)
    assert info.value.retry_after == 300 and clock.sleeps == []


def test_fn_sees_the_deadline():
    clock = FakeClock()
    seen = []
    call_with_retry(lambda d: seen.append(d), budget=42, sleep=clock.sleep, clock=clock)
    assert seen == [1042.0]


def test_retry_if_can_refuse_a_retry():
    clock = FakeClock()
    calls = []

    def fn(deadline):
        calls.append(deadline)
        raise UnavailableError("read timeout", maybe_processed=True)

    with pytest.raises(UnavailableError):
        call_with_retry(
            fn,
            budget=60,
            sleep=clock.sleep,
            clock=clock,
            retry_if=lambda exc: not exc.maybe_processed,
        )
    assert len(calls) == 1
