"""The one door to Amazon's Selling Partner API.

Nothing outside this package imports ``sp_api``. Use :func:`client_for_account` for a
stored account, or :class:`AmazonClient` with :class:`Credentials`; catch the errors in
:mod:`.errors`.
"""

from .accounts import client_for_account
from .client import AmazonClient, Credentials
from .errors import (
    AuthError,
    InvalidInputError,
    NotFoundError,
    RetryableError,
    SPAPIError,
    ThrottledError,
    UnavailableError,
)
from .lwa import exchange_authorization_code

__all__ = [
    "AmazonClient",
    "AuthError",
    "Credentials",
    "InvalidInputError",
    "NotFoundError",
    "RetryableError",
    "SPAPIError",
    "ThrottledError",
    "UnavailableError",
    "client_for_account",
    "exchange_authorization_code",
]
