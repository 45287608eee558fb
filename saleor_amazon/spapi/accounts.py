"""An :class:`AmazonClient` for a stored seller account.

Credentials come from the account (seller, region, refresh token) and the plugin's
configuration (LWA client, endpoints). When Amazon says the authorization is revoked or
invalid, the account is flagged (``auth_failed`` with Amazon's message) and the error is
raised for the caller to stop; every successful call marks the account as used.
"""

import time

from .. import conf
from .client import AmazonClient, Credentials
from .errors import AuthError

TOUCH_EVERY = 60.0  # seconds: record last use at most this often per client


class AccountClient(AmazonClient):
    def __init__(self, account, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account
        self._touched = None

    def _call(self, *args, **kwargs):
        try:
            result = super()._call(*args, **kwargs)
        except AuthError as exc:
            self.account.mark_auth_failed(str(exc))
            raise
        now = time.monotonic()
        if self._touched is None or now - self._touched >= TOUCH_EVERY:
            self.account.touch()
            self._touched = now
        return result


def client_for_account(account, config=None, **kwargs) -> AccountClient:
    """The client for ``account`` (an ``AmazonAccount``); ``kwargs`` go to AmazonClient."""
    config = config or conf.load()
    if not config.client_id or not config.client_secret:
        raise conf.ConfigurationError(
            "The LWA client ID and client secret are not configured (plugin configuration)."
        )
    if not account.refresh_token:
        message = "The account has no refresh token: authorize it in Seller Central again."
        account.mark_auth_failed(message)
        raise AuthError(message, operation="lwa")
    credentials = Credentials(
        client_id=config.client_id,
        client_secret=config.client_secret,
        refresh_token=account.refresh_token,
        region=account.region,
        seller_id=account.seller_id,
    )
    return AccountClient(
        account,
        credentials,
        endpoint=config.endpoint_for(account.region),
        lwa_endpoint=config.lwa_endpoint or None,
        **kwargs,
    )
