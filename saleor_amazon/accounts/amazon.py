"""The account services' calls to Amazon (through ``saleor_amazon.spapi``), with
Amazon's failures turned into validation errors a merchant can act on."""

from django.core.exceptions import ValidationError

from .. import conf, regions, spapi
from .errors import AmazonErrorCode

# Interactive calls (a mutation, the OAuth callback) give up sooner than background work.
INTERACTIVE_RETRY_SECONDS = 15.0


def _config() -> conf.AmazonConfig:
    config = conf.load()
    if not config.client_id or not config.client_secret:
        raise ValidationError(
            "Enter the LWA client ID and client secret in the Amazon plugin's configuration first.",
            code=AmazonErrorCode.NOT_CONFIGURED.value,
        )
    return config


def _as_validation_error(exc: spapi.SPAPIError, field: str, refused: str) -> ValidationError:
    if isinstance(exc, spapi.AuthError):
        code, message = AmazonErrorCode.INVALID_TOKEN, f"{refused} Amazon said: {exc.message}"
    elif isinstance(exc, spapi.RetryableError):
        code = AmazonErrorCode.AMAZON_UNAVAILABLE
        message = f"Amazon is not answering right now; try again in a minute ({exc.message})."
    else:
        code, message = AmazonErrorCode.INVALID, f"Amazon rejected the request: {exc.message}"
    return ValidationError({field: ValidationError(message, code=code.value)})


def exchange_code(code: str, field: str = "code") -> str:
    """The refresh token for an ``spapi_oauth_code`` (valid once, for minutes)."""
    config = _config()
    try:
        return spapi.exchange_authorization_code(
            config.client_id, config.client_secret, code, lwa_endpoint=config.lwa_endpoint or None
        )
    except spapi.SPAPIError as exc:
        raise _as_validation_error(
            exc, field, "The authorization code is not valid (expired or already used)."
        ) from exc


def verify_token(
    region: str, refresh_token: str, *, seller_id: str, field: str = "refreshToken"
) -> list[dict]:
    """Check a refresh token by using it: returns the seller's marketplace participations.

    The token must belong to ``seller_id``: a seller id cannot be taken from the
    merchant or from the callback's query string on trust (whoever holds a valid state
    could name another seller and overwrite that seller's token). Amazon does not say
    whose a token is, but its seller-scoped Listings path answers only for the token's
    own seller, so that is asked (needs the Product Listing role, which sending offers
    needs anyway).
    """
    config = _config()
    client = spapi.AmazonClient(
        spapi.Credentials(
            client_id=config.client_id,
            client_secret=config.client_secret,
            refresh_token=refresh_token,
            region=region,
            seller_id=seller_id,
        ),
        endpoint=config.endpoint_for(region),
        lwa_endpoint=config.lwa_endpoint or None,
        max_retry_seconds=INTERACTIVE_RETRY_SECONDS,
    )
    try:
        participations = client.get_marketplace_participations()
    except spapi.SPAPIError as exc:
        raise _as_validation_error(
            exc, field, "The refresh token is not valid for this application and region."
        ) from exc
    _confirm_seller(client, region, seller_id, participations)
    return participations


def _confirm_seller(client, region: str, seller_id: str, participations: list[dict]) -> None:
    marketplace_id = None
    for item in participations or []:
        info = regions.marketplace((item.get("marketplace") or {}).get("id") or "")
        if info is not None and info.region == region:
            marketplace_id = info.id
            break
    mismatch = ValidationError(
        {
            "sellerId": ValidationError(
                f"Amazon did not confirm that this authorization belongs to seller "
                f"{seller_id}: it refused that seller's listings with it. Check the seller "
                "id (Seller Central: Settings > Account Info > Merchant Token); the "
                "application also needs the Product Listing role.",
                code=AmazonErrorCode.SELLER_MISMATCH.value,
            )
        }
    )
    if marketplace_id is None:
        raise mismatch
    try:
        client.confirm_seller(marketplace_id)
    except spapi.AuthError as exc:
        raise mismatch from exc
    except spapi.SPAPIError as exc:
        raise _as_validation_error(exc, "sellerId", "The seller could not be confirmed.") from exc


def participations(account) -> list[dict]:
    """The stored account's marketplace participations (flags the account on auth errors)."""
    config = _config()
    try:
        client = spapi.client_for_account(
            account, config, max_retry_seconds=INTERACTIVE_RETRY_SECONDS
        )
        return client.get_marketplace_participations()
    except spapi.SPAPIError as exc:
        raise _as_validation_error(exc, "id", "The account's authorization is not valid.") from exc


def forget_access_tokens(account) -> None:
    """Drop this process's cached LWA access tokens of the account's refresh token."""
    from ..spapi import lwa

    config = conf.load()
    if account.refresh_token:
        lwa.forget(config.lwa_endpoint or None, config.client_id, account.refresh_token)
