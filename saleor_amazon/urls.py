"""Paths under /plugins/saleor_amazon/ (resolved by http.dispatch, not by Saleor's root URLconf)."""

from django.urls import path

from . import views
from .fulfillment import webhooks as fulfillment_webhooks
from .listings import webhooks as listings_webhooks

urlpatterns = [
    path("status", views.status, name="status"),
    path("graphql/", views.graphql, name="graphql"),
    path("oauth/callback", views.oauth_callback, name="oauth-callback"),
    path("webhooks/saleor/", fulfillment_webhooks.receive, name="saleor-webhooks"),
    path("webhooks/stock/", listings_webhooks.receive_stock, name="stock-webhooks"),
]
