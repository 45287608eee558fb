"""Login with Amazon: ``POST /auth/o2/token`` and access-token checks for SP-API calls.

LWA answers errors with OAuth bodies (``{"error": ..., "error_description": ...}``), not
with SP-API ``errors`` lists. Any client id and secret are accepted, but both must be sent.
"""

import secrets

from werkzeug.wrappers import Response

from .errors import json_response, unauthorized

ACCESS_TOKEN_LIFETIME = 3600
AUTH_CODE_LIFETIME = 300


def _oauth_error(status, error, description):
    return json_response({"error_description": description, "error": error}, status)


def _granted(state, seller_id, refresh_token, include_refresh=True):
    access = state.mint_access_token(seller_id, refresh_token, ACCESS_TOKEN_LIFETIME)
    body = {"access_token": access, "token_type": "bearer", "expires_in": ACCESS_TOKEN_LIFETIME}
    if include_refresh:
        body["refresh_token"] = refresh_token
    return json_response(body)


def token_endpoint(state, request) -> Response:
    form = request.form
    grant_type = form.get("grant_type")
    if not form.get("client_id") or not form.get("client_secret"):
        return _oauth_error(401, "invalid_client", "Client authentication failed")
    with state.lock:
        if grant_type == "refresh_token":
            token = form.get("refresh_token")
            if not token:
                return _oauth_error(
                    400,
                    "invalid_request",
                    "The request is missing a required parameter : refresh_token",
                )
            seller_id = state.refresh_tokens.get(token)
            if seller_id is None:
                return _oauth_error(
                    400,
                    "invalid_grant",
                    "The request has an invalid grant parameter : refresh_token",
                )
            return _granted(state, seller_id, token)
        if grant_type == "authorization_code":
            code = form.get("code")
            entry = state.auth_codes.pop(code, None) if code else None
            if entry is None or entry["expires"] < state.clock.timestamp():
                return _oauth_error(
                    400, "invalid_grant", "The request has an invalid grant parameter : code"
                )
            refresh = state.mint_refresh_token(entry["seller"])
            return _granted(state, entry["seller"], refresh)
        if grant_type == "client_credentials":
            if not form.get("scope"):
                return _oauth_error(
                    400, "invalid_request", "The request is missing a required parameter : scope"
                )
            # Grantless tokens belong to the application, not to a seller.
            access = state.mint_access_token(None, None, ACCESS_TOKEN_LIFETIME)
            return json_response(
                {
                    "access_token": access,
                    "scope": form.get("scope"),
                    "token_type": "bearer",
                    "expires_in": ACCESS_TOKEN_LIFETIME,
                }
            )
    return _oauth_error(
        400,
        "unsupported_grant_type",
        f"The authorization grant type is not supported: {grant_type}",
    )


def mint_auth_code(state, seller_id):
    """An ``spapi_oauth_code`` as Amazon sends to the app's redirect URL."""
    with state.lock:
        code = "ANsandbox" + secrets.token_urlsafe(18)
        state.auth_codes[code] = {
            "seller": seller_id,
            "expires": state.clock.timestamp() + AUTH_CODE_LIFETIME,
        }
        return code


def authenticate(state, request, grantless=False):
    """The seller id behind the request's ``x-amz-access-token`` (None for a grantless
    token on a grantless operation). Raises a 403 ApiError otherwise."""
    token = request.headers.get("x-amz-access-token")
    if not token:
        raise unauthorized("Access to requested resource is denied.")
    with state.lock:
        problem = state.access_token_problem(token, grantless)
        if not problem and grantless and state.access_tokens[token]["seller"] is not None:
            problem = "This operation needs a grantless token (client_credentials)."
        if problem:
            raise unauthorized(problem)
        return state.access_tokens[token]["seller"]
