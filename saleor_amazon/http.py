"""Routes ``/plugins/saleor_amazon/<path>`` (Saleor's plugin webhook) to views."""

from django.http import JsonResponse
from django.urls import Resolver404, resolve

URLCONF = "saleor_amazon.urls"


def not_found(message="Not found."):
    return JsonResponse({"error": {"code": "NOT_FOUND", "message": message}}, status=404)


def dispatch(request, path: str, plugin):
    if not plugin.active:
        return not_found("The Amazon plugin is not active.")
    if not path.startswith("/"):
        path = "/" + path
    try:
        match = resolve(path, urlconf=URLCONF)
    except Resolver404:
        return not_found(f"No Amazon plugin endpoint at {path}.")
    request.amazon_plugin = plugin
    return match.func(request, *match.args, **match.kwargs)
