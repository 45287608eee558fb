from django.http import JsonResponse
from django.views.decorators.http import require_GET

from . import __version__


@require_GET
def status(request):
    """A liveness answer for load balancers and set-up checks; reveals no data."""
    return JsonResponse({"plugin": "saleor_amazon", "version": __version__, "active": True})
