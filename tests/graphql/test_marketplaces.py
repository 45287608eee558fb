"""amazonMarketplaces and amazonMarketplaceUpdate."""

from datetime import timedelta

import graphene
import pytest
from django.utils import timezone
from prices import Money
from saleor.permission.enums import ChannelPermissions
from saleor.shipping.models import ShippingMethodChannelListing

from saleor_amazon.models import AmazonAccount, AmazonMarketplace

MARKETPLACES = """
query ($filter: AmazonMarketplaceFilterInput) {
  amazonMarketplaces(first: 20, filter: $filter) {
    totalCount
    edges { node { id code currency domain isActive channel { id slug currencyCode } } }
  }
}
"""

UPDATE = """
mutation ($id: ID!, $input: AmazonMarketplaceUpdateInput!) {
  amazonMarketplaceUpdate(id: $id, input: $input) {
    marketplace {
      id code isActive importOrders importSince pricesIncludeTax
      unmatchedLinePolicy customerPolicy
      channel { id slug currencyCode }
      defaultWarehouse { id name }
      placeholderVariant { id sku productName }
      shippingMethods { serviceLevel shippingMethod { id name } }
    }
    errors { field code message }
  }
}
"""


def gid(type_name, obj):
    return graphene.Node.to_global_id(type_name, obj.pk)


@pytest.fixture
def manager(staff_api):
    return staff_api.grant(ChannelPermissions.MANAGE_CHANNELS)


def _update(api, marketplace, **changes):
    response = api.post_graphql(
        UPDATE, {"id": gid("AmazonMarketplace", marketplace), "input": changes}
    )
    return response.json()["data"]["amazonMarketplaceUpdate"]


def test_map_and_activate_marketplace(
    manager, amazon_marketplace_de, channel_eur, warehouse, variant
):
    warehouse.channels.add(channel_eur)
    since = (timezone.now() - timedelta(days=30)).replace(microsecond=0)
    payload = _update(
        manager,
        amazon_marketplace_de,
        channel=gid("Channel", channel_eur),
        isActive=True,
        defaultWarehouse=gid("Warehouse", warehouse),
        importOrders=True,
        importSince=since.isoformat(),
        pricesIncludeTax=True,
        unmatchedLinePolicy="PLACEHOLDER",
        placeholderVariant=gid("ProductVariant", variant),
        customerPolicy="ATTACH",
    )
    assert payload["errors"] == []
    result = payload["marketplace"]
    assert result["isActive"] is True
    assert result["channel"] == {
        "id": gid("Channel", channel_eur),
        "slug": "amazon-de",
        "currencyCode": "EUR",
    }
    assert result["defaultWarehouse"]["name"] == warehouse.name
    assert result["placeholderVariant"]["sku"] == variant.sku
    assert result["unmatchedLinePolicy"] == "PLACEHOLDER"
    assert result["customerPolicy"] == "ATTACH"
    stored = AmazonMarketplace.objects.get(pk=amazon_marketplace_de.pk)
    assert stored.channel == channel_eur
    assert stored.default_warehouse == warehouse
    assert stored.placeholder_variant == variant
    assert stored.import_since == since
    assert stored.unmatched_line_policy == "placeholder"
    assert stored.customer_policy == "attach"


def test_channel_currency_must_match_marketplace(manager, amazon_marketplace_uk, channel_eur):
    payload = _update(manager, amazon_marketplace_uk, channel=gid("Channel", channel_eur))
    assert payload["marketplace"] is None
    [error] = payload["errors"]
    assert error["field"] == "channel"
    assert error["code"] == "CURRENCY_MISMATCH"
    assert "GBP" in error["message"] and "EUR" in error["message"]
    assert AmazonMarketplace.objects.get(pk=amazon_marketplace_uk.pk).channel is None


def test_activation_needs_a_channel(manager, amazon_marketplace_de):
    payload = _update(manager, amazon_marketplace_de, isActive=True)
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("channel", "REQUIRED")]
    assert AmazonMarketplace.objects.get(pk=amazon_marketplace_de.pk).is_active is False


def test_removing_the_channel_of_an_active_marketplace_is_refused(
    manager, amazon_marketplace_de, channel_eur
):
    assert (
        _update(manager, amazon_marketplace_de, channel=gid("Channel", channel_eur), isActive=True)[
            "errors"
        ]
        == []
    )
    payload = _update(manager, amazon_marketplace_de, channel=None)
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("channel", "REQUIRED")]
    payload = _update(manager, amazon_marketplace_de, channel=None, isActive=False)
    assert payload["errors"] == []
    assert payload["marketplace"]["channel"] is None


def test_placeholder_policy_needs_a_variant(manager, amazon_marketplace_de):
    payload = _update(manager, amazon_marketplace_de, unmatchedLinePolicy="PLACEHOLDER")
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("placeholderVariant", "REQUIRED")
    ]


def test_warehouse_must_serve_the_channel(manager, amazon_marketplace_de, channel_eur, warehouse):
    payload = _update(
        manager,
        amazon_marketplace_de,
        channel=gid("Channel", channel_eur),
        defaultWarehouse=gid("Warehouse", warehouse),
    )
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("defaultWarehouse", "INVALID")]


def test_import_start_cannot_be_in_the_future(manager, amazon_marketplace_de):
    tomorrow = (timezone.now() + timedelta(days=1)).isoformat()
    payload = _update(manager, amazon_marketplace_de, importSince=tomorrow)
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("importSince", "INVALID")]


def test_wrong_id_types_are_reported_on_their_field(
    manager, amazon_marketplace_de, channel_eur, warehouse
):
    payload = _update(manager, amazon_marketplace_de, channel=gid("Warehouse", warehouse))
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("channel", "GRAPHQL_ERROR")]
    missing = graphene.Node.to_global_id("Channel", channel_eur.pk + 999)
    payload = _update(manager, amazon_marketplace_de, channel=missing)
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("channel", "NOT_FOUND")]


@pytest.fixture
def shipping_method_eur(shipping_method, channel_eur):
    ShippingMethodChannelListing.objects.create(
        shipping_method=shipping_method,
        channel=channel_eur,
        minimum_order_price=Money(0, "EUR"),
        price=Money(5, "EUR"),
    )
    return shipping_method


def test_shipping_methods_per_service_level(
    manager, amazon_marketplace_de, channel_eur, shipping_method_eur
):
    method_id = gid("ShippingMethodType", shipping_method_eur)
    payload = _update(
        manager,
        amazon_marketplace_de,
        channel=gid("Channel", channel_eur),
        shippingMethods=[
            {"serviceLevel": "DEFAULT", "shippingMethod": method_id},
            {"serviceLevel": "EXPEDITED", "shippingMethod": method_id},
        ],
    )
    assert payload["errors"] == []
    assert payload["marketplace"]["shippingMethods"] == [
        {"serviceLevel": "EXPEDITED", "shippingMethod": {"id": method_id, "name": "DHL"}},
        {"serviceLevel": "DEFAULT", "shippingMethod": {"id": method_id, "name": "DHL"}},
    ]
    stored = AmazonMarketplace.objects.get(pk=amazon_marketplace_de.pk)
    assert stored.shipping_methods == {
        "*": shipping_method_eur.pk,
        "EXPEDITED": shipping_method_eur.pk,
    }

    # Entries merge; a null shipping method removes its level.
    payload = _update(
        manager,
        amazon_marketplace_de,
        shippingMethods=[{"serviceLevel": "EXPEDITED", "shippingMethod": None}],
    )
    assert payload["errors"] == []
    stored.refresh_from_db()
    assert stored.shipping_methods == {"*": shipping_method_eur.pk}


def test_shipping_method_must_be_available_in_the_channel(
    manager, amazon_marketplace_de, channel_eur, shipping_method
):
    payload = _update(
        manager,
        amazon_marketplace_de,
        channel=gid("Channel", channel_eur),
        shippingMethods=[
            {
                "serviceLevel": "STANDARD",
                "shippingMethod": gid("ShippingMethodType", shipping_method),
            }
        ],
    )
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("shippingMethods", "INVALID")]
    assert AmazonMarketplace.objects.get(pk=amazon_marketplace_de.pk).shipping_methods == {}


def test_marketplaces_filter(
    manager, amazon_account, amazon_marketplace_de, amazon_marketplace_uk, channel_eur
):
    other = AmazonAccount.objects.create(seller_id="A2", name="Other", region="NA")
    AmazonMarketplace.objects.create(
        account=other, marketplace_id="ATVPDKIKX0DER", country="US", currency="USD"
    )
    amazon_marketplace_de.channel = channel_eur
    amazon_marketplace_de.is_active = True
    amazon_marketplace_de.save()

    def codes(filter_):
        data = manager.post_graphql(MARKETPLACES, {"filter": filter_}).json()["data"]
        return sorted(e["node"]["code"] for e in data["amazonMarketplaces"]["edges"])

    assert codes({}) == ["DE", "UK", "US"]
    assert codes({"accounts": [gid("AmazonAccount", amazon_account)]}) == ["DE", "UK"]
    assert codes({"isActive": True}) == ["DE"]
    assert codes({"channels": [gid("Channel", channel_eur)]}) == ["DE"]
    assert codes({"codes": ["uk", "US"]}) == ["UK", "US"]
    node = manager.post_graphql(MARKETPLACES, {"filter": {"codes": ["DE"]}}).json()["data"][
        "amazonMarketplaces"
    ]["edges"][0]["node"]
    assert node["domain"] == "amazon.de"
    assert node["currency"] == "EUR"
