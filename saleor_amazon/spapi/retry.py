"""Retries with exponential backoff and full jitter, bounded by a time budget.

Throttling (429), 5xx answers, timeouts and connection errors are retried; everything else
is raised at once. When the next wait would end past the budget, the last error is raised
for the caller to store and retry later.
"""

import random
import time
from dataclasses import dataclass

from .errors import RetryableError


@dataclass(frozen=True)
class Backoff:
    base: float = 0.25  # seconds before the first retry (upper bound of the jitter)
    factor: float = 2.0
    cap: float = 20.0  # no single wait longer than this

    def delay(self, attempt: int, retry_after=None, rng=random) -> float:
        """Wait before retry number ``attempt`` (0-based): a uniform draw below the
        exponential ceiling ("full jitter"), never less than what Amazon asked for."""
        ceiling = min(self.cap, self.base * self.factor**attempt)
        return max(rng.uniform(0, ceiling), float(retry_after or 0))


def call_with_retry(
    fn,
    *,
    budget: float,
    backoff=None,
    sleep=time.sleep,
    clock=time.monotonic,
    retry_if=None,
):
    """Call ``fn(deadline)`` until it succeeds, raises a non-retryable error, or the budget
    (seconds) would be exceeded by the next wait. ``deadline`` is on ``clock``'s scale, so
    ``fn`` can refuse waits of its own (the rate limiter's) that would end too late.
    ``retry_if(error)`` can refuse a retry of a retryable error."""
    backoff = backoff or Backoff()
    deadline = clock() + budget
    attempt = 0
    while True:
        try:
            return fn(deadline)
        except RetryableError as exc:
            if retry_if is not None and not retry_if(exc):
                raise
            wait = backoff.delay(attempt, exc.retry_after)
            if clock() + wait > deadline:
                raise
            sleep(wait)
            attempt += 1
