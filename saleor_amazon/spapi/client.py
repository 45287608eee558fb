"""``AmazonClient``: every SP-API operation the plugin uses, behind one set of rules.

Each call takes a token from the shared rate limiter, goes through the wrapped library
(see :mod:`.transport`), retries throttling and outages with backoff inside a time budget
(``max_retry_seconds``) and answers plain JSON (dicts, lists) or raises a typed error from
:mod:`.errors`. Safe to share between threads.
"""

import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..crypto import mask
from ..regions import LWA_TOKEN_URL, REGIONS
from . import errors, lwa, transport
from .fba import FbaOperations
from .feeds import FeedsOperations
from .limits import default_limiter, parse_rate_header
from .listings import ListingsOperations
from .notifications import NotificationsOperations
from .orders import OrdersOperations
from .retry import Backoff, call_with_retry

DEFAULT_MAX_RETRY_SECONDS = 60.0
ARRIVAL_MARGIN = 0.025  # seconds added to a rate-limit wait
# Sent twice, these would confirm a package twice (Amazon then refuses the duplicate), or
# create a second feed, destination or subscription. After a lost answer they are not
# resent: the caller gets UnavailableError(maybe_processed=True) and checks Amazon's state.
NOT_REPEATABLE = {"confirmShipment", "createFeed", "createDestination", "createSubscription"}


@dataclass(frozen=True)
class Credentials:
    client_id: str
    client_secret: str = field(repr=False)
    refresh_token: str = field(repr=False)
    region: str = "EU"
    seller_id: str = ""

    def __repr__(self):
        return (
            f"Credentials(client_id={self.client_id!r}, region={self.region!r}, "
            f"seller_id={self.seller_id!r}, refresh_token={mask(self.refresh_token)!r})"
        )


class AmazonClient(
    OrdersOperations,
    FeedsOperations,
    ListingsOperations,
    FbaOperations,
    NotificationsOperations,
):
    """The client for one seller account in one region (see the module docstring); the
    operations come from the mixins, one per Amazon API."""

    def __init__(
        self,
        credentials: Credentials,
        endpoint=None,
        lwa_endpoint=None,
        limiter=None,
        max_retry_seconds=DEFAULT_MAX_RETRY_SECONDS,
        timeout=transport.DEFAULT_TIMEOUT,
        backoff=None,
    ):
        self.credentials = credentials
        self.endpoint = (endpoint or REGIONS[credentials.region].endpoint).rstrip("/")
        self.lwa_endpoint = (lwa_endpoint or LWA_TOKEN_URL).rstrip("/")
        self.limiter = limiter or default_limiter()
        self.max_retry_seconds = float(max_retry_seconds)
        self.backoff = backoff or Backoff()
        self._transport = transport.Transport(timeout=timeout)
        self._token_class = lwa.token_client_class(self.lwa_endpoint)
        self._local = threading.local()
        self._rates: dict[str, float] = {}
        # A sandbox or proxy is not Amazon: its quota is counted apart from Amazon's.
        default = REGIONS[credentials.region].endpoint
        self._quota_scope = "" if self.endpoint == default else f"@{urlsplit(self.endpoint).netloc}"

    def quota_owner(self, grantless=False) -> str:
        """Whose rate-limit buckets a call uses: the seller (the application for grantless
        operations), scoped to the endpoint when it is not Amazon's."""
        owner = "application" if grantless else (self.credentials.seller_id or "seller")
        return owner + self._quota_scope

    def __repr__(self):
        return f"<AmazonClient {self.credentials!r} endpoint={self.endpoint}>"

    def close(self):
        """Close the client's HTTP connections (it is also a context manager)."""
        self._transport.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    # -- the one way every operation is called ------------------------------------------

    def _library(self, library_class):
        clients = self._local.__dict__.setdefault("clients", {})
        client = clients.get(library_class)
        if client is None:
            client = transport.library_client(
                library_class,
                credentials=self.credentials,
                endpoint=self.endpoint,
                token_client_class=self._token_class,
                transport=self._transport,
            )
            clients[library_class] = client
        return client

    def _call(self, operation, library_class, fn, *, grantless=False):
        """Run ``fn(library_client)`` under the limiter and the retry budget; return the
        answer's JSON body (None when empty). Operations that must not happen twice are not
        resent when Amazon may have acted on a request whose answer was lost."""
        seller = self.quota_owner(grantless)
        region = self.credentials.region
        clock = self._clock

        def attempt(deadline):
            # Fetch the access token first (usually cached), so that the time between
            # taking a token and reaching Amazon does not include a call to LWA.
            self._authorize(library_class, grantless)
            reservation = self.limiter.reserve(
                seller, region, operation, max(0.0, deadline - clock())
            )
            if not reservation.granted:
                raise errors.ThrottledError(
                    f"Rate limit: next {operation} call allowed in {reservation.wait:.1f}s.",
                    operation=operation,
                    retry_after=reservation.wait,
                )
            if reservation.wait:
                # Land a little after the token is due: a request that travels faster than
                # the first one of the burst would otherwise reach Amazon a hair too early.
                self._sleep(reservation.wait + ARRIVAL_MARGIN)
            return self._send(operation, library_class, fn, seller, region)

        once = operation in NOT_REPEATABLE

        def retry_if(exc):
            return not (once and getattr(exc, "maybe_processed", False))

        return call_with_retry(
            attempt,
            budget=self.max_retry_seconds,
            backoff=self.backoff,
            clock=clock,
            retry_if=retry_if,
        )

    def _authorize(self, library_class, grantless):
        client = self._library(library_class)
        return client.grantless_auth if grantless else client.auth

    def _send(self, operation, library_class, fn, seller, region, renewed=False):
        client = self._library(library_class)
        client.last_response = None
        try:
            fn(client)
        except errors.SPAPIError as exc:
            exc.operation = exc.operation or operation
            if isinstance(exc, errors.ThrottledError) and exc.status == 429:
                self.limiter.drain(seller, region, operation)
            if isinstance(exc, errors.AuthError) and exc.operation != "lwa" and not renewed:
                # Amazon refused the access token: get a fresh one once, then give up.
                client._auth.forget()
                return self._send(operation, library_class, fn, seller, region, renewed=True)
            raise
        finally:
            self._observe_rate(client.last_response, seller, region, operation)
        response = client.last_response
        if response is None or not response.content:
            return None
        try:
            return response.json()
        except ValueError as exc:
            raise errors.UnavailableError(
                f"Amazon answered {response.status_code} with a body that is not JSON.",
                operation=operation,
                status=response.status_code,
            ) from exc

    def _observe_rate(self, response, seller, region, operation):
        if response is None:
            return
        rate = parse_rate_header(response.headers.get("x-amzn-RateLimit-Limit"))
        key = f"{seller}:{region}:{operation}"
        if rate is not None and self._rates.get(key) != rate:
            self.limiter.observe_rate(seller, region, operation, rate)
            self._rates[key] = rate

    _clock = staticmethod(time.monotonic)
    _sleep = staticmethod(time.sleep)


def exchange_authorization_code(*args, **kwargs) -> str:
    """See :func:`.lwa.exchange_authorization_code`."""
    return lwa.exchange_authorization_code(*args, **kwargs)


__all__ = ["AmazonClient", "Credentials", "exchange_authorization_code"]
