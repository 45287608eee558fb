"""Amazon's rate limits and a token bucket per (seller, region, operation) in Redis.

Every process and Celery worker shares the buckets, so together they never send more than
Amazon allows. Each bucket starts full (``burst`` tokens) and refills at ``rate`` tokens
per second. Taking a token *reserves* it: when the bucket is empty the caller gets the time
to wait for its token, sleeps that long and goes; callers queue up in order instead of
polling. A caller that would have to wait longer than it may is refused without reserving.

The rate starts from Amazon's documented default (the table below, read from the usage
plans in Amazon's models) and follows the ``x-amzn-RateLimit-Limit`` header Amazon sends
with each answer (a seller's real plan may differ). A 429 empties the bucket, so a bucket
that drifted from Amazon's falls back in step.

``speed`` is for a sandbox whose clock runs faster than real time: buckets refill
``speed`` times faster, exactly as the sandbox's do.
"""

import math
import os
from dataclasses import dataclass

import redis

ENV_REDIS_URL = "SALEOR_AMAZON_REDIS_URL"
ENV_PREFIX = "SALEOR_AMAZON_RATELIMIT_PREFIX"
ENV_SPEED = "SALEOR_AMAZON_RATELIMIT_SPEED"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/3"
DEFAULT_PREFIX = "saleor_amazon:ratelimit"


@dataclass(frozen=True)
class Limit:
    rate: float  # requests per second
    burst: int


# Default usage plans (rate / burst) from the operations' descriptions in Amazon's models.
LIMITS = {
    # Orders 2026-01-01
    "searchOrders": Limit(0.0056, 20),
    "getOrder": Limit(0.5, 30),
    # Orders v0
    "confirmShipment": Limit(2, 10),
    # Feeds 2021-06-30
    "createFeedDocument": Limit(0.5, 15),
    "createFeed": Limit(0.0083, 15),
    "getFeed": Limit(2, 15),
    "getFeedDocument": Limit(0.0222, 10),
    # Listings Items 2021-08-01
    "putListingsItem": Limit(5, 10),
    "patchListingsItem": Limit(5, 5),
    "getListingsItem": Limit(5, 10),
    "deleteListingsItem": Limit(5, 5),
    "searchListingsItems": Limit(5, 5),
    # Catalog Items 2022-04-01
    "searchCatalogItems": Limit(2, 2),
    # Sellers v1
    "getMarketplaceParticipations": Limit(0.016, 15),
    # Fulfillment Outbound 2020-07-01
    "getFulfillmentPreview": Limit(2, 30),
    "createFulfillmentOrder": Limit(2, 30),
    "getFulfillmentOrder": Limit(2, 30),
    "cancelFulfillmentOrder": Limit(2, 30),
    # FBA Inventory v1
    "getInventorySummaries": Limit(2, 2),
    # Notifications v1
    "createDestination": Limit(1, 5),
    "getDestinations": Limit(1, 5),
    "createSubscription": Limit(1, 5),
    "getSubscription": Limit(1, 5),
}
# For an operation missing from the table: one call per second, no burst.
FALLBACK = Limit(1, 1)


def limit_for(operation: str) -> Limit:
    return LIMITS.get(operation, FALLBACK)


def parse_rate_header(value) -> float | None:
    """The rate from an ``x-amzn-RateLimit-Limit`` header, or None when absent or bad."""
    try:
        rate = float(str(value).strip())
    except (TypeError, ValueError):
        return None
    return rate if rate > 0 and math.isfinite(rate) else None


# KEYS[1] bucket. ARGV: default rate, burst, speed, max wait (real seconds), mode, new rate.
# Modes: "take" reserves a token unless the wait would exceed max wait; "drain" empties the
# bucket (after a 429); "rate" sets the rate (from Amazon's header).
# Returns {reserved 0/1, wait in real seconds as a string}. Redis's clock is the one clock
# every process shares.
_SCRIPT = """
local rate_default = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local speed = tonumber(ARGV[3])
local max_wait = tonumber(ARGV[4])
local mode = ARGV[5]
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local h = redis.call('HMGET', KEYS[1], 'tokens', 'ts', 'rate')
local rate = tonumber(h[3]) or rate_default
local tokens = tonumber(h[1]) or burst
local ts = tonumber(h[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate * speed)
local reserved = 1
local wait = 0
if mode == 'take' then
  if tokens < 1 then
    wait = (1 - tokens) / (rate * speed)
  end
  if wait > max_wait then
    reserved = 0
  else
    tokens = tokens - 1
  end
elseif mode == 'drain' then
  tokens = math.min(tokens, 0)
elseif mode == 'rate' then
  rate = tonumber(ARGV[6])
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now),
           'rate', tostring(rate))
local ttl = math.ceil((burst - tokens) / (rate * speed)) + 60
redis.call('EXPIRE', KEYS[1], math.min(ttl, 7 * 86400))
return {reserved, tostring(wait)}
"""


@dataclass(frozen=True)
class Reservation:
    granted: bool
    wait: float  # real seconds until the token is ours (or would be, when not granted)


class RateLimiter:
    """Token buckets in Redis, keyed ``<prefix>:<seller>:<region>:<operation>``."""

    def __init__(self, url=None, prefix=None, speed=None, client=None):
        self.redis = client or redis.Redis.from_url(
            url or os.environ.get(ENV_REDIS_URL) or DEFAULT_REDIS_URL
        )
        self.prefix = prefix or os.environ.get(ENV_PREFIX) or DEFAULT_PREFIX
        self.speed = float(speed or os.environ.get(ENV_SPEED) or 1.0)
        self._script = self.redis.register_script(_SCRIPT)

    def key(self, seller_id, region, operation) -> str:
        return f"{self.prefix}:{seller_id}:{region}:{operation}"

    def _run(self, key, operation, mode, max_wait=0.0, rate=0.0) -> Reservation:
        limit = limit_for(operation)
        reserved, wait = self._script(
            keys=[key], args=[limit.rate, limit.burst, self.speed, max_wait, mode, rate]
        )
        return Reservation(bool(int(reserved)), float(wait))

    def reserve(self, seller_id, region, operation, max_wait) -> Reservation:
        """Reserve the next token if it is free within ``max_wait`` real seconds."""
        key = self.key(seller_id, region, operation)
        return self._run(key, operation, "take", max_wait=max_wait)

    def drain(self, seller_id, region, operation):
        """Amazon answered 429: our bucket was fuller than Amazon's; empty it."""
        self._run(self.key(seller_id, region, operation), operation, "drain")

    def observe_rate(self, seller_id, region, operation, rate: float):
        """Follow the rate Amazon announced in ``x-amzn-RateLimit-Limit``."""
        self._run(self.key(seller_id, region, operation), operation, "rate", rate=rate)

    def state(self, seller_id, region, operation) -> dict:
        """The stored bucket (tokens, ts, rate) as floats; empty when never used."""
        raw = self.redis.hgetall(self.key(seller_id, region, operation))
        return {k.decode(): float(v) for k, v in raw.items()}

    def clear(self):
        """Delete every bucket under this limiter's prefix (tests, a fresh start)."""
        for key in self.redis.scan_iter(match=f"{self.prefix}:*", count=500):
            self.redis.delete(key)


_defaults: dict[tuple, RateLimiter] = {}


def default_limiter() -> RateLimiter:
    """The limiter for the current settings: Redis ``SALEOR_AMAZON_REDIS_URL``, key prefix
    ``SALEOR_AMAZON_RATELIMIT_PREFIX``, clock speed ``SALEOR_AMAZON_RATELIMIT_SPEED`` (read
    on each call, so a test can give itself fresh buckets with a prefix of its own)."""
    settings = (
        os.environ.get(ENV_REDIS_URL) or DEFAULT_REDIS_URL,
        os.environ.get(ENV_PREFIX) or DEFAULT_PREFIX,
        float(os.environ.get(ENV_SPEED) or 1.0),
    )
    limiter = _defaults.get(settings)
    if limiter is None:
        limiter = _defaults[settings] = RateLimiter(*settings)
    return limiter
