"""Login with Amazon: the authorization-code grant and access tokens for SP-API calls.

Built on the library's ``AccessTokenClient`` with three changes: the token URL is ours to
choose (a sandbox or a proxy, ``http://`` included); access tokens are cached per token URL,
client id and refresh token (the library keys its cache on the refresh token alone) and can
be dropped when Amazon says one is no longer valid; LWA's errors become typed errors
(``invalid_grant`` and friends: :class:`AuthError`; 5xx, timeouts, non-JSON answers:
:class:`UnavailableError`).
"""

import threading
import time
from types import SimpleNamespace
from urllib.parse import urlsplit

import httpx
from sp_api.auth import AccessTokenClient, Credentials
from sp_api.auth._core import build_auth_code_request_body

from ..regions import LWA_TOKEN_URL
from .errors import AuthError, ThrottledError, UnavailableError
from .transport import ssl_context

DEFAULT_TIMEOUT = 30.0
# OAuth errors that mean the grant (refresh token, code) or the client is not valid.
AUTH_ERRORS = {"invalid_grant", "invalid_client", "unauthorized_client", "access_denied"}
EXPIRY_MARGIN = 120  # seconds: renew a token this long before LWA says it expires

_cache: dict[tuple, tuple[str, float]] = {}
_lock = threading.Lock()
_http = None


def _client():
    global _http
    if _http is None:
        _http = httpx.Client(timeout=DEFAULT_TIMEOUT, verify=ssl_context())
    return _http


def _post(url: str, data: dict) -> dict:
    """POST a token request; the parsed JSON answer, or a typed error."""
    try:
        response = _client().post(
            url,
            data=data,
            headers={"content-type": "application/x-www-form-urlencoded;charset=UTF-8"},
        )
    except httpx.TimeoutException as exc:
        raise UnavailableError(f"LWA timed out: {exc}", operation="lwa") from exc
    except httpx.TransportError as exc:
        raise UnavailableError(f"LWA unreachable: {exc}", operation="lwa") from exc
    try:
        body = response.json()
    except ValueError:
        body = None
    status = response.status_code
    if status == 200 and isinstance(body, dict) and body.get("access_token"):
        return body
    body = body if isinstance(body, dict) else {}
    code = body.get("error") or ""
    message = body.get("error_description") or response.text[:300] or f"HTTP {status}"
    if status == 429:
        raise ThrottledError(message, operation="lwa", status=status, code=code)
    if status >= 500 or not code:
        raise UnavailableError(message, operation="lwa", status=status, code=code)
    raise AuthError(message, operation="lwa", status=status, code=code, details=body)


class TokenClient(AccessTokenClient):
    """The library's token client, pointed at ``token_url`` (set on a subclass)."""

    token_url = LWA_TOKEN_URL

    def __init__(self, refresh_token=None, credentials=None, proxies=None, verify=True):
        # The library opens an HTTP client here; we post through one shared client.
        self.cred = Credentials(refresh_token, credentials)

    def _key(self, flavor=""):
        return (self.token_url, self.cred.client_id, self.cred.refresh_token or "", flavor)

    def _cached(self, key, data):
        now = time.monotonic()
        with _lock:
            hit = _cache.get(key)
        if hit and hit[1] > now:
            return hit[0]
        body = _post(self.token_url, data)
        lifetime = max(float(body.get("expires_in") or 3600) - EXPIRY_MARGIN, 1.0)
        with _lock:
            _cache[key] = (body["access_token"], now + lifetime)
        return body["access_token"]

    def get_auth(self):
        token = self._cached(self._key(), self.data)
        return _Token(token)

    def get_grantless_auth(self, scope="sellingpartnerapi::notifications"):
        token = self._cached(self._key(scope), self.grantless_data(scope))
        return _Token(token)

    def forget(self):
        """Drop this refresh token's cached access tokens (Amazon refused one)."""
        forget(self.token_url, self.cred.client_id, self.cred.refresh_token)


class _Token:
    def __init__(self, access_token):
        self.access_token = access_token


_classes: dict[str, type] = {}


def token_client_class(token_url: str | None) -> type:
    """A :class:`TokenClient` subclass for ``token_url`` (Amazon's when None)."""
    url = (token_url or LWA_TOKEN_URL).rstrip("/")
    with _lock:
        cls = _classes.get(url)
        if cls is None:
            parts = urlsplit(url)
            cls = type(
                "TokenClient",
                (TokenClient,),
                {
                    "token_url": url,
                    "scheme": f"{parts.scheme}://",
                    "host": parts.netloc,
                    "path": parts.path,
                },
            )
            _classes[url] = cls
    return cls


def forget(token_url, client_id, refresh_token):
    url = (token_url or LWA_TOKEN_URL).rstrip("/")
    with _lock:
        for key in [k for k in _cache if k[:3] == (url, client_id, refresh_token or "")]:
            del _cache[key]


def exchange_authorization_code(
    client_id, client_secret, code, lwa_endpoint=None, redirect_uri=None
) -> str:
    """Trade the ``spapi_oauth_code`` Amazon sent to our redirect URL for the seller's
    refresh token. Raises :class:`AuthError` for a used, expired or unknown code."""

    cred = SimpleNamespace(client_id=client_id, client_secret=client_secret)
    data = build_auth_code_request_body(cred, code)
    if redirect_uri:
        data["redirect_uri"] = redirect_uri
    body = _post((lwa_endpoint or LWA_TOKEN_URL).rstrip("/"), data)
    refresh_token = body.get("refresh_token")
    if not refresh_token:
        raise AuthError("LWA granted no refresh token.", operation="lwa", details=body)
    return refresh_token
