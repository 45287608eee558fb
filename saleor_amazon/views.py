"""HTTP endpoints under /plugins/saleor_amazon/ (routed by urls.py)."""

import logging

import graphene
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.views.decorators.http import require_GET
from saleor.core.utils.url import prepare_url

from . import __version__
from .accounts import oauth, services
from .accounts.errors import AmazonErrorCode

logger = logging.getLogger(__name__)


@require_GET
def status(request):
    """A liveness answer for load balancers and set-up checks; reveals no data."""
    return JsonResponse({"plugin": "saleor_amazon", "version": __version__, "active": True})


def graphql(request):
    """The Amazon GraphQL API (Saleor's GraphQL view with the Amazon schema)."""
    from .graphql.view import graphql_view

    return graphql_view()(request)


def _error_code(exc: ValidationError) -> tuple[str, str]:
    errors = exc.error_dict.values() if hasattr(exc, "error_dict") else [exc.error_list]
    for error_list in errors:
        for error in error_list:
            code = error.code or AmazonErrorCode.INVALID.value
            return str(code).upper(), error.messages[0]
    return AmazonErrorCode.INVALID.name, "The connection failed."


def _requestor_allowed(request: oauth.AuthorizationRequest) -> bool:
    """The staff user (or app) who started the connection may still manage accounts."""
    from saleor.account.models import User
    from saleor.app.models import App

    from .graphql.permissions import ACCOUNTS

    if request.user_id:
        requestor = User.objects.filter(pk=request.user_id, is_active=True, is_staff=True).first()
    elif request.app_id:
        requestor = App.objects.filter(pk=request.app_id, is_active=True).first()
    else:
        requestor = None
    return requestor is not None and any(requestor.has_perm(perm) for perm in ACCOUNTS)


def _finish(request: oauth.AuthorizationRequest, *, account=None, error=None):
    if account is not None:
        account_id = graphene.Node.to_global_id("AmazonAccount", account.pk)
        params = f"amazonConnect=success&amazonAccount={account_id}"
        body, status = {"account": {"id": account_id, "sellerId": account.seller_id}}, 200
    else:
        code, message = error
        params = f"amazonConnect=error&amazonError={code}"
        body, status = {"error": {"code": code, "message": message}}, 400
    if request.return_url:
        return HttpResponseRedirect(prepare_url(params, request.return_url))
    return JsonResponse(body, status=status)


@require_GET
def oauth_callback(request):
    """Amazon's redirect after the seller's consent (website authorization workflow).

    ``state`` must be one this shop issued (single use, not expired); the code is traded
    for a refresh token, the account and its marketplaces are stored, and the browser
    goes back to the Dashboard URL given when the connection started.
    """
    params = request.GET
    try:
        auth = oauth.consume_state(params.get("state"))
    except ValidationError as exc:
        code, message = _error_code(exc)
        return JsonResponse({"error": {"code": code, "message": message}}, status=400)
    if not _requestor_allowed(auth):
        return _finish(
            auth,
            error=(
                "PERMISSION_DENIED",
                "The user who started the connection may no longer manage Amazon accounts.",
            ),
        )
    if params.get("error"):
        # Amazon sends the seller back with an error when consent was not given.
        message = params.get("error_description") or params["error"]
        return _finish(auth, error=(AmazonErrorCode.INVALID_TOKEN.name, message[:300]))
    try:
        account = services.connect_account(
            auth,
            selling_partner_id=params.get("selling_partner_id", ""),
            code=params.get("spapi_oauth_code", ""),
        )
    except ValidationError as exc:
        code, message = _error_code(exc)
        logger.warning("Amazon connection failed: %s %s", code, message)
        return _finish(auth, error=(code, message))
    return _finish(auth, account=account)
