"""Error codes shared by the account/marketplace services and the GraphQL API.

Services raise ``django.core.exceptions.ValidationError`` with one of these
codes; the GraphQL layer turns them into ``errors { field code message }``.
"""

from enum import Enum


class AmazonErrorCode(Enum):
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    UNIQUE = "unique"
    INVALID_REGION = "invalid_region"
    CURRENCY_MISMATCH = "currency_mismatch"
    INVALID_TOKEN = "invalid_token"  # noqa: S105 - an error code
    INVALID_STATE = "invalid_state"
    INVALID_RETURN_URL = "invalid_return_url"
    NOT_CONFIGURED = "not_configured"
    AMAZON_UNAVAILABLE = "amazon_unavailable"
    MARKETPLACE_INACTIVE = "marketplace_inactive"
    NOT_RETRYABLE = "not_retryable"
    SELLER_MISMATCH = "seller_mismatch"
    INVALID_CHARACTERS = "invalid_characters"
    OUT_OF_RANGE = "out_of_range"
