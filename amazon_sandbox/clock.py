"""The sandbox clock: wall time, optionally running faster (``--speed``).

At speed 60 one real second is one sandbox minute, so rate limits refill, feeds progress
and late orders appear sixty times sooner. Changing the speed keeps the current sandbox
time and continues from it.
"""

import threading
import time
from datetime import UTC, datetime


class Clock:
    def __init__(self, speed=1.0, start=None):
        self._lock = threading.Lock()
        self._anchor_real = time.monotonic()
        self._anchor_sandbox = (start or datetime.now(UTC)).timestamp()
        self._speed = float(speed)

    @property
    def speed(self):
        return self._speed

    def timestamp(self):
        """Sandbox time as a POSIX timestamp (float seconds)."""
        with self._lock:
            elapsed = time.monotonic() - self._anchor_real
            return self._anchor_sandbox + elapsed * self._speed

    def now(self):
        return datetime.fromtimestamp(self.timestamp(), UTC)

    def restart(self, speed=1.0):
        """Back to wall-clock time at ``speed``."""
        with self._lock:
            self._anchor_real = time.monotonic()
            self._anchor_sandbox = datetime.now(UTC).timestamp()
            self._speed = float(speed)

    def set_speed(self, speed):
        if speed <= 0:
            raise ValueError("speed must be positive")
        current = self.timestamp()
        with self._lock:
            self._anchor_real = time.monotonic()
            self._anchor_sandbox = current
            self._speed = float(speed)

    def advance(self, seconds):
        """Jump the sandbox clock forward (tests use it instead of waiting)."""
        with self._lock:
            self._anchor_sandbox += seconds

    def real_seconds(self, sandbox_seconds):
        """How long a real sleep lasts to let ``sandbox_seconds`` pass."""
        return sandbox_seconds / self._speed


def iso(dt):
    """Amazon's timestamp format: ISO 8601 in UTC with a Z."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value):
    """Parse an ISO 8601 timestamp; naive values are taken as UTC. Raises ValueError."""
    if not isinstance(value, str) or not value:
        raise ValueError(f"not a date-time: {value!r}")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)
