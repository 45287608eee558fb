"""Injected faults (``--faults``), e.g. ``"429=0.2,500=0.05,slow=0.01,repeat_page=0.05,late=0.1"``.

Each name maps to the probability that a request (or, for ``late``, an added order) is hit:

- ``429``: throttled with Amazon's error body, before the operation runs;
- ``500`` / ``503``: a server error with a non-JSON (HTML) body, before the operation runs;
- ``slow``: the reply is held back ``slow_seconds`` real seconds (default 15), past a client
  timeout; the operation still runs;
- ``repeat_page``: searchOrders answers a follow-up page request with the previous page again
  under a new token (a known Amazon quirk);
- ``late``: an order added through ``/_sandbox/orders`` becomes visible to searchOrders only
  ``late_seconds`` sandbox seconds later (default 300).

``seed=N`` makes the dice deterministic.
"""

import random
import threading

KNOWN = {"429", "500", "503", "slow", "repeat_page", "late"}
SETTINGS = {"slow_seconds": 15.0, "late_seconds": 300.0, "seed": None}


def parse(spec):
    """A dict of fault rates and settings from a spec string or a dict. ValueError if bad."""
    if not spec:
        return {}
    if isinstance(spec, dict):
        items = list(spec.items())
    else:
        items = []
        for part in str(spec).split(","):
            part = part.strip()
            if not part:
                continue
            if "=" not in part:
                raise ValueError(f"fault {part!r} needs a rate, e.g. {part}=0.1")
            name, value = part.split("=", 1)
            items.append((name.strip(), value.strip()))
    parsed = {}
    for name, value in items:
        name = str(name)
        if name not in KNOWN and name not in SETTINGS:
            raise ValueError(
                f"unknown fault {name!r}; known: {', '.join(sorted(KNOWN | set(SETTINGS)))}"
            )
        number = float(value)
        if name in KNOWN and not 0 <= number <= 1:
            raise ValueError(f"fault rate {name}={value} must be between 0 and 1")
        parsed[name] = number
    return parsed


class Faults:
    def __init__(self, spec=None):
        self._lock = threading.Lock()
        self.set(spec)

    def set(self, spec):
        config = parse(spec)
        with self._lock:
            self.rates = {k: v for k, v in config.items() if k in KNOWN}
            self.settings = {k: config.get(k, default) for k, default in SETTINGS.items()}
            seed = self.settings["seed"]
            self._rng = random.Random(None if seed is None else int(seed))  # noqa: S311
            self.fired = {}

    def describe(self):
        with self._lock:
            return {
                "rates": dict(self.rates),
                "settings": dict(self.settings),
                "fired": dict(self.fired),
            }

    def fire(self, name):
        """Roll the dice for a fault; True (and counted) when it hits."""
        with self._lock:
            rate = self.rates.get(name, 0)
            if rate <= 0 or self._rng.random() >= rate:
                return False
            self.fired[name] = self.fired.get(name, 0) + 1
            return True

    def setting(self, name):
        return self.settings[name]
