"""python-amazon-sp-api, wrapped once: its traps fixed, its answers checked.

The library builds paths, query strings and JSON bodies and fetches access tokens. We
change what it gets wrong for us:

- Host header: the library sends ``endpoint[8:]`` (it assumes ``https://``), so an
  ``http://`` endpoint gets a mangled Host. We drop its Host; httpx derives the right one.
- Non-JSON 5xx: the library returns an empty response without raising. Every answer
  >= 400 becomes a typed error here, JSON or not.
- Marketplace keys: the library adds ``marketplaceIds``/``MarketplaceIds`` (and two more
  spellings) to bodies and queries. We never let it: every call names its marketplaces.
  The feeds calls also leak their ``path`` into the body; it is removed.
- Timeouts and connection errors become :class:`UnavailableError`.
"""

import json
import threading

import httpx
from sp_api.base import Marketplaces
from sp_api.base.credential_provider import FromCodeCredentialProvider
from sp_api.base.exceptions import SellingApiException

from . import errors

DEFAULT_TIMEOUT = 30.0
# The library needs a marketplace to start from; only its region matters (we set the
# endpoint and name marketplaces explicitly).
_REGION_MARKETPLACE = {"NA": Marketplaces.US, "EU": Marketplaces.DE, "FE": Marketplaces.JP}


_ssl_context = None
_ssl_lock = threading.Lock()


def ssl_context():
    """One verifying TLS context for every HTTP client: building one loads the CA bundle,
    which costs more than most calls to Amazon."""
    global _ssl_context
    with _ssl_lock:
        if _ssl_context is None:
            _ssl_context = httpx.create_ssl_context()
    return _ssl_context


class Transport:
    """The httpx client every library client shares (thread-safe, keeps connections)."""

    def __init__(self, timeout=DEFAULT_TIMEOUT):
        self._client = httpx.Client(timeout=timeout, verify=ssl_context())

    def request(self, method, url, *, params=None, data=None, content=None, headers=None):
        headers = {k: v for k, v in (headers or {}).items() if k.lower() != "host"}
        try:
            return self._client.request(
                method, url, params=params, data=data, content=content, headers=headers
            )
        except httpx.TimeoutException as exc:
            raise errors.UnavailableError(
                f"Timed out: {exc or type(exc).__name__}", maybe_processed=_maybe_sent(exc)
            ) from exc
        except httpx.TransportError as exc:
            raise errors.UnavailableError(
                f"Connection failed: {exc or type(exc).__name__}", maybe_processed=_maybe_sent(exc)
            ) from exc

    def get(self, url, **kwargs):
        return self.request("GET", url, **kwargs)

    def put(self, url, **kwargs):
        return self.request("PUT", url, **kwargs)

    def close(self):
        self._client.close()


def _maybe_sent(exc) -> bool:
    """Whether the request may have reached the server (not a failure to connect)."""
    return not isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)


def raise_for_response(response, operation=""):
    """Raise the typed error for an answer >= 400 (JSON ``errors`` or not)."""
    status = response.status_code
    if status < 400:
        return
    try:
        body = response.json()
    except ValueError:
        body = None
    first = {}
    if isinstance(body, dict) and isinstance(body.get("errors"), list) and body["errors"]:
        first = body["errors"][0] if isinstance(body["errors"][0], dict) else {}
    message = first.get("message") or _snippet(response) or f"HTTP {status}"
    raise _typed(
        status,
        message,
        operation=operation,
        code=first.get("code") or "",
        details=first.get("details") if first else body,
        retry_after=_retry_after(response),
    )


def _typed(status, message, *, retry_after=None, **kwargs):
    cls = errors.for_status(status)
    if issubclass(cls, errors.RetryableError):
        return cls(message, status=status, retry_after=retry_after, **kwargs)
    return cls(message, status=status, **kwargs)


def _snippet(response) -> str:
    try:
        return " ".join(response.text.split())[:300]
    except Exception:  # undecodable body
        return ""


def _retry_after(response):
    try:
        return float(response.headers.get("retry-after"))
    except (TypeError, ValueError):
        return None


class DoorMixin:
    """Put before a library client class: ``class _X(DoorMixin, LibraryClient)``."""

    last_response = None

    def _request(self, path, *, data=None, params=None, headers=None, **kwargs):
        kwargs["add_marketplace"] = False
        if isinstance(data, dict) and data.get("path") == path:
            data = {k: v for k, v in data.items() if k != "path"}
        return super()._request(path, data=data, params=params, headers=headers, **kwargs)

    def _check_response(self, res, *args, **kwargs):
        self.last_response = res
        raise_for_response(res)
        try:
            return super()._check_response(res, *args, **kwargs)
        except SellingApiException as exc:  # a 2xx answer carrying ``errors``
            raise _typed(
                res.status_code if res.status_code >= 400 else 400,
                getattr(exc, "message", "") or str(exc.error),
                code=getattr(exc, "amzn_code", "") or "",
                details=exc.error,
            ) from exc


_classes: dict[type, type] = {}


def door_class(library_class: type) -> type:
    cls = _classes.get(library_class)
    if cls is None:
        cls = type(f"Door{library_class.__name__}", (DoorMixin, library_class), {})
        _classes[library_class] = cls
    return cls


def library_client(library_class, *, credentials, endpoint, token_client_class, transport):
    """A fresh library client (they keep per-request state: one per call)."""
    client = door_class(library_class)(
        _REGION_MARKETPLACE.get(credentials.region, Marketplaces.US),
        refresh_token=credentials.refresh_token,
        credentials={
            "lwa_app_id": credentials.client_id,
            "lwa_client_secret": credentials.client_secret,
            "refresh_token": credentials.refresh_token,
        },
        credential_providers=(FromCodeCredentialProvider,),
        auth_token_client_class=token_client_class,
        verify=ssl_context(),  # the transport it opens is replaced below; make it cheap
    )
    client.endpoint = endpoint.rstrip("/")
    client._transport.close()
    client._transport = transport
    return client


def json_or_bytes(content: bytes):
    """A downloaded document: parsed JSON when it is JSON, else the bytes."""
    try:
        return json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return content
