"""Clients for the Amazon GraphQL API at /plugins/saleor_amazon/graphql/.

Saleor's own ``ApiClient`` (staff JWTs, app tokens) posting to the plugin's path.
"""

import pytest
from saleor.graphql.tests.fixtures import ApiClient
from saleor.permission.models import Permission

from tests.accounts.conftest import (  # noqa: F401 - fixtures shared with the account tests
    _clear_oauth_states,
    amazon_marketplace_de,
    amazon_marketplace_uk,
    amazon_sandbox_config,
    channel_eur,
    channel_gbp,
    two_sellers,
)
from tests.orders.conftest import marketplace_for, variant_for  # noqa: F401

AMAZON_GRAPHQL_PATH = "/plugins/saleor_amazon/graphql/"


def permission(enum_member) -> Permission:
    app_label, codename = enum_member.value.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


class AmazonApiClient(ApiClient):
    def grant(self, *permissions):
        perms = [permission(p) for p in permissions]
        if self.app:
            self.app.permissions.add(*perms)
        else:
            self.user.user_permissions.add(*perms)
        return self


@pytest.fixture
def amazon_api(amazon_plugin_configuration, staff_user, customer_user, app):
    """Factory of API clients by role: anonymous, customer, staff, app."""

    def make(role: str) -> AmazonApiClient:
        kwargs = {
            "anonymous": {"user": None},
            "customer": {"user": customer_user},
            "staff": {"user": staff_user},
            "app": {"app": app},
        }[role]
        return AmazonApiClient(api_path=AMAZON_GRAPHQL_PATH, **kwargs)

    return make


@pytest.fixture
def staff_api(amazon_api):
    return amazon_api("staff")


@pytest.fixture
def manager_api(staff_api):
    """Staff allowed everything the Amazon API offers (orders, products, accounts)."""
    from saleor.permission.enums import ChannelPermissions, OrderPermissions, ProductPermissions

    return staff_api.grant(
        OrderPermissions.MANAGE_ORDERS,
        ProductPermissions.MANAGE_PRODUCTS,
        ChannelPermissions.MANAGE_CHANNELS,
    )


@pytest.fixture
def stored_order(amazon_account):
    """Store an Amazon Order payload and process it, as the import does."""
    from saleor_amazon.orders.process import process_stored
    from saleor_amazon.orders.store import store_order

    def store(marketplace, payload):
        stored = store_order(amazon_account, marketplace, payload)
        process_stored(stored, marketplace)
        stored.order.refresh_from_db()
        return stored.order

    return store
