"""Amazon's usage plans: a token bucket per (seller, operation) on the sandbox clock.

Rates and bursts are Amazon's documented defaults (requests per second / burst), as the
models' operation descriptions give them; ``RATES`` is the fallback when the models folder
is missing. Every reply carries ``x-amzn-RateLimit-Limit`` with the rate.
"""

import re
import threading

RATES = {
    "searchOrders": (0.0056, 20),
    "getOrder": (0.5, 30),
    "confirmShipment": (2.0, 10),
    "getMarketplaceParticipations": (0.016, 15),
    "createFeedDocument": (0.5, 15),
    "createFeed": (0.0083, 15),
    "getFeed": (2.0, 15),
    "getFeeds": (0.0222, 10),
    "cancelFeed": (2.0, 15),
    "getFeedDocument": (0.0222, 10),
    "putListingsItem": (5.0, 10),
    "patchListingsItem": (5.0, 5),
    "getListingsItem": (5.0, 10),
    "deleteListingsItem": (5.0, 5),
    "searchListingsItems": (5.0, 5),
    "searchCatalogItems": (2.0, 2),
    "getCatalogItem": (2.0, 2),
    "getInventorySummaries": (2.0, 2),
    "createFulfillmentOrder": (2.0, 30),
    "getFulfillmentOrder": (2.0, 30),
    "cancelFulfillmentOrder": (2.0, 30),
    "getFulfillmentPreview": (2.0, 30),
    "listAllFulfillmentOrders": (2.0, 30),
    "getPackageTrackingDetails": (2.0, 30),
    "createDestination": (1.0, 5),
    "getDestinations": (1.0, 5),
    "getDestination": (1.0, 5),
    "deleteDestination": (1.0, 5),
    "createSubscription": (1.0, 5),
    "getSubscription": (1.0, 5),
    "getSubscriptionById": (1.0, 5),
    "deleteSubscriptionById": (1.0, 5),
}
DEFAULT_RATE = (1.0, 5)
_TABLE = re.compile(r"\|\s*([0-9.]+)\s*\|\s*([0-9]+)\s*\|")


def rate_from_description(description):
    """(rate, burst) from an operation description's usage-plan table, or None."""
    if not description:
        return None
    match = _TABLE.search(description)
    if not match:
        return None
    return float(match.group(1)), int(match.group(2))


class Limiter:
    def __init__(self, clock, rates=None):
        self.clock = clock
        self.rates = dict(RATES)
        self.rates.update(rates or {})
        self._lock = threading.Lock()
        self._buckets = {}  # (seller, operation) -> [tokens, timestamp]
        self.enabled = True

    def rate(self, operation):
        return self.rates.get(operation, DEFAULT_RATE)

    def reset(self):
        with self._lock:
            self._buckets.clear()

    def take(self, seller, operation):
        """Take a token; True if allowed, False if throttled."""
        if not self.enabled:
            return True
        rate, burst = self.rate(operation)
        now = self.clock.timestamp()
        with self._lock:
            tokens, stamp = self._buckets.get((seller, operation), (float(burst), now))
            tokens = min(float(burst), tokens + (now - stamp) * rate)
            if tokens >= 1:
                self._buckets[(seller, operation)] = (tokens - 1, now)
                return True
            self._buckets[(seller, operation)] = (tokens, now)
            return False

    def header(self, operation):
        rate, _ = self.rate(operation)
        return f"{rate:g}"
