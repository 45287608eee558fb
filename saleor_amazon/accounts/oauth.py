"""Login with Amazon website authorization: consent URL and single-use ``state``.

The ``state`` sent to Seller Central is a random token; what it stands for (the
staff user who asked, the region, the Dashboard URL to return to) is kept
server side in Django's cache (Redis in production) for ``STATE_TTL`` seconds
and can be consumed once. Only a hash of the token is used as the cache key.
Saleor's cache is shared between processes only when ``CACHE_URL`` points at Redis;
with Django's per-process default, the callback must reach the process that issued
the state.
"""

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from saleor.core.utils.url import validate_storefront_url

from .. import conf, regions
from .errors import AmazonErrorCode

STATE_TTL = 15 * 60
_KEY = "saleor_amazon:oauth-state:{}"
_USED_KEY = "saleor_amazon:oauth-state-used:{}"


@dataclass(frozen=True)
class AuthorizationRequest:
    """What a ``state`` token stands for."""

    region: str
    return_url: str = ""
    # Who asked: a staff user or an app (exactly one is set).
    user_id: int | None = None
    app_id: int | None = None


def _digest(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


def validate_region(region: str, field: str = "region") -> str:
    code = (region or "").strip().upper()
    if code not in regions.REGIONS:
        raise ValidationError(
            {
                field: ValidationError(
                    f"Unknown Amazon region {region!r}; use one of {', '.join(regions.REGIONS)}.",
                    code=AmazonErrorCode.INVALID_REGION.value,
                )
            }
        )
    return code


def validate_return_url(url: str | None, field: str = "returnUrl") -> str:
    """The Dashboard URL to come back to must be on a host in ALLOWED_CLIENT_HOSTS."""
    if not url:
        return ""
    try:
        validate_storefront_url(url)
    except ValidationError as exc:
        raise ValidationError(
            {field: ValidationError(exc.messages[0], code=AmazonErrorCode.INVALID_RETURN_URL.value)}
        ) from exc
    if not url.startswith(("https://", "http://")):
        raise ValidationError(
            {
                field: ValidationError(
                    "The return URL must be an http(s) URL.",
                    code=AmazonErrorCode.INVALID_RETURN_URL.value,
                )
            }
        )
    return url


def issue_state(request: AuthorizationRequest) -> str:
    """Remember ``request`` under a new random state token and return the token."""
    state = secrets.token_urlsafe(32)
    # The issue time travels with the data: expiry holds whatever the cache backend does.
    data = {**request.__dict__, "issued_at": time.time()}
    cache.set(_KEY.format(_digest(state)), data, timeout=STATE_TTL)
    return state


def consume_state(state: str | None) -> AuthorizationRequest:
    """Return what ``state`` stands for, once; a second use or an unknown token fails."""
    if not state:
        raise ValidationError(
            {"state": ValidationError("Missing state.", code=AmazonErrorCode.INVALID_STATE.value)}
        )
    digest = _digest(state)
    if cache.get(_USED_KEY.format(digest)):
        raise ValidationError(
            {
                "state": ValidationError(
                    "This authorization link was already used; start the connection again.",
                    code=AmazonErrorCode.INVALID_STATE.value,
                )
            }
        )
    data = cache.get(_KEY.format(digest))
    if data is not None and time.time() - data.pop("issued_at", 0) > STATE_TTL:
        data = None
    # ``add`` is atomic: of two concurrent callbacks with the same state, one wins.
    if data is None or not cache.add(_USED_KEY.format(digest), 1, timeout=STATE_TTL):
        raise ValidationError(
            {
                "state": ValidationError(
                    "Unknown or expired authorization state; start the connection again.",
                    code=AmazonErrorCode.INVALID_STATE.value,
                )
            }
        )
    cache.delete(_KEY.format(digest))
    return AuthorizationRequest(**data)


def consent_url(region: str, application_id: str, state: str, draft: bool = True) -> str:
    """Seller Central's consent page for our application (``version=beta`` for draft apps)."""
    params = {"application_id": application_id, "state": state}
    if draft:
        params["version"] = "beta"
    return f"{regions.REGIONS[region].seller_central}/apps/authorize/consent?{urlencode(params)}"


def start_authorization(
    region: str, return_url: str | None = None, *, user_id=None, app_id=None
) -> tuple[str, datetime]:
    """Validate the request, issue a state and return (consent URL, state expiry)."""
    region = validate_region(region)
    return_url = validate_return_url(return_url)
    config = conf.load()
    if not config.application_id:
        raise ValidationError(
            "Enter the SP-API application ID in the Amazon plugin's configuration first.",
            code=AmazonErrorCode.NOT_CONFIGURED.value,
        )
    state = issue_state(
        AuthorizationRequest(region=region, return_url=return_url, user_id=user_id, app_id=app_id)
    )
    expires_at = timezone.now() + timedelta(seconds=STATE_TTL)
    return consent_url(region, config.application_id, state), expires_at
