"""Typed errors for every call to Amazon, so callers know what to do next.

- :class:`AuthError`: the authorization is revoked or invalid. Stop and flag the account.
- :class:`InvalidInputError`: Amazon rejected what we sent. Store the message, do not retry.
- :class:`NotFoundError`: the resource does not exist.
- :class:`RetryableError` (:class:`ThrottledError`, :class:`UnavailableError`): try again
  later, no sooner than ``retry_after`` seconds. Raised once our own retries ran out of time.
"""


class SPAPIError(Exception):
    """An Amazon call that failed; carries Amazon's own code and message."""

    def __init__(self, message, *, operation="", status=None, code="", details=None):
        super().__init__(message)
        self.operation = operation
        self.status = status
        self.code = code or ""
        self.message = message or ""
        self.details = details

    def __str__(self):
        parts = [p for p in (self.operation, str(self.status or ""), self.code) if p]
        prefix = f"[{' '.join(parts)}] " if parts else ""
        return f"{prefix}{self.message}"


class AuthError(SPAPIError):
    """LWA refused the refresh token (revoked, invalid) or Amazon answered 401/403."""


class InvalidInputError(SPAPIError):
    """Amazon rejected the request (400, 409, 413, 415, 422...)."""


class NotFoundError(SPAPIError):
    """Amazon answered 404."""


class RetryableError(SPAPIError):
    """A temporary failure; ``retry_after`` is the least wait in seconds before retrying."""

    def __init__(self, message, *, retry_after=None, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ThrottledError(RetryableError):
    """Amazon answered 429, or our own rate limiter would have to wait too long."""


class UnavailableError(RetryableError):
    """5xx (JSON or not), a timeout or a connection error. ``maybe_processed`` is True when
    the request reached Amazon and the answer was lost (a read timeout, a dropped
    connection): Amazon may have acted on it."""

    def __init__(self, message, *, maybe_processed=False, **kwargs):
        super().__init__(message, **kwargs)
        self.maybe_processed = maybe_processed


def for_status(status: int):
    """The error class for an HTTP status Amazon answered with."""
    if status in (401, 403):
        return AuthError
    if status == 404:
        return NotFoundError
    if status == 429:
        return ThrottledError
    if status >= 500:
        return UnavailableError
    return InvalidInputError
