"""amazonOffers, amazonOfferLink, amazonOfferUnlink."""

import graphene
import pytest
from saleor.permission.enums import ProductPermissions

from saleor_amazon.models import AmazonOffer

OFFERS = """
query ($filter: AmazonOfferFilterInput, $sortBy: AmazonOfferSortingInput) {
  amazonOffers(first: 20, filter: $filter, sortBy: $sortBy) {
    totalCount
    edges { node {
      id sellerSku asin syncState price { amount currency } quantity
      variant { sku productName } marketplaceCode lastIssues { code severity message }
    } }
  }
}
"""

LINK = """
mutation ($input: AmazonOfferLinkInput!) {
  amazonOfferLink(input: $input) {
    offer { id sellerSku asin variant { sku } }
    errors { field code message }
  }
}
"""

UNLINK = """
mutation ($id: ID!) {
  amazonOfferUnlink(id: $id) { offer { id sellerSku variant { sku } } errors { field code } }
}
"""


def gid(type_name, obj):
    return graphene.Node.to_global_id(type_name, obj.pk)


@pytest.fixture
def products_staff(staff_api):
    return staff_api.grant(ProductPermissions.MANAGE_PRODUCTS)


def _link(api, **input_):
    return api.post_graphql(LINK, {"input": input_}).json()["data"]["amazonOfferLink"]


def test_link_defaults_the_seller_sku_to_the_variant_sku(
    products_staff, amazon_marketplace_de, variant
):
    payload = _link(
        products_staff,
        variant=gid("ProductVariant", variant),
        marketplace=gid("AmazonMarketplace", amazon_marketplace_de),
    )
    assert payload["errors"] == []
    assert payload["offer"]["sellerSku"] == variant.sku
    offer = AmazonOffer.objects.get()
    assert (offer.account, offer.marketplace, offer.variant) == (
        amazon_marketplace_de.account,
        amazon_marketplace_de,
        variant,
    )


def test_relinking_a_sku_moves_it_to_the_new_variant(
    products_staff, amazon_marketplace_de, variant, product_variant_list
):
    first = _link(
        products_staff,
        variant=gid("ProductVariant", variant),
        marketplace=gid("AmazonMarketplace", amazon_marketplace_de),
        sellerSku="AMZ-1",
        asin="B00TEST001",
    )
    other = product_variant_list[1]
    second = _link(
        products_staff,
        variant=gid("ProductVariant", other),
        marketplace=gid("AmazonMarketplace", amazon_marketplace_de),
        sellerSku="AMZ-1",
    )
    assert second["offer"]["id"] == first["offer"]["id"]
    assert second["offer"]["variant"]["sku"] == other.sku
    assert second["offer"]["asin"] == "B00TEST001"  # kept when not given again
    assert AmazonOffer.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"sellerSku": "X" * 41}, "sellerSku", "INVALID"),
        ({"asin": "B00"}, "asin", "INVALID"),
        ({"asin": "B00-TEST-1"}, "asin", "INVALID"),
    ],
)
def test_link_validation(products_staff, amazon_marketplace_de, variant, changes, field, code):
    payload = _link(
        products_staff,
        variant=gid("ProductVariant", variant),
        marketplace=gid("AmazonMarketplace", amazon_marketplace_de),
        **changes,
    )
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [(field, code)]
    assert not AmazonOffer.objects.exists()


def test_link_needs_a_sku_when_the_variant_has_none(products_staff, amazon_marketplace_de, variant):
    variant.sku = None
    variant.save(update_fields=["sku"])
    payload = _link(
        products_staff,
        variant=gid("ProductVariant", variant),
        marketplace=gid("AmazonMarketplace", amazon_marketplace_de),
    )
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("sellerSku", "REQUIRED")]


def test_unlink_keeps_the_offer(products_staff, amazon_marketplace_de, variant):
    offer = AmazonOffer.objects.create(
        variant=variant,
        account=amazon_marketplace_de.account,
        marketplace=amazon_marketplace_de,
        seller_sku="AMZ-2",
    )
    payload = products_staff.post_graphql(UNLINK, {"id": gid("AmazonOffer", offer)}).json()["data"][
        "amazonOfferUnlink"
    ]
    assert payload["errors"] == []
    assert payload["offer"]["variant"] is None
    offer.refresh_from_db()
    assert offer.variant is None
    assert offer.seller_sku == "AMZ-2"


def test_offers_list_filters_and_sorting(
    products_staff, amazon_marketplace_de, amazon_marketplace_uk, variant
):
    from decimal import Decimal

    account = amazon_marketplace_de.account
    AmazonOffer.objects.create(
        variant=variant,
        account=account,
        marketplace=amazon_marketplace_de,
        seller_sku="B-SKU",
        asin="B00000000B",
        price=Decimal("19.99"),
        last_issues=[{"code": "8541", "severity": "ERROR", "message": "ASIN mismatch"}],
    )
    AmazonOffer.objects.create(
        account=account, marketplace=amazon_marketplace_uk, seller_sku="A-SKU"
    )
    AmazonOffer.objects.create(
        account=account,
        marketplace=amazon_marketplace_uk,
        seller_sku="C-SKU",
        sync_state="error",
        last_issues=[{"code": "AMAZON_UNAVAILABLE", "severity": "ERROR", "message": "503"}],
    )
    AmazonOffer.objects.create(
        account=account,
        marketplace=amazon_marketplace_uk,
        seller_sku="D-SKU",
        last_issues=[{"code": "ZERO_STOCK", "severity": "WARNING", "message": "no stock"}],
    )

    def skus(**variables):
        content = products_staff.post_graphql(OFFERS, variables).json()
        return [e["node"]["sellerSku"] for e in content["data"]["amazonOffers"]["edges"]]

    ordered = {"field": "SELLER_SKU", "direction": "ASC"}
    assert skus(sortBy=ordered) == ["A-SKU", "B-SKU", "C-SKU", "D-SKU"]
    assert skus(filter={"isLinked": False}, sortBy=ordered) == ["A-SKU", "C-SKU", "D-SKU"]
    # An ERROR issue or the error state counts; a warning does not.
    assert skus(filter={"hasErrors": True}, sortBy=ordered) == ["B-SKU", "C-SKU"]
    assert skus(filter={"hasErrors": False}, sortBy=ordered) == ["A-SKU", "D-SKU"]
    assert skus(filter={"products": [gid("Product", variant.product)]}) == ["B-SKU"]
    assert skus(filter={"search": "b00000000b"}) == ["B-SKU"]
    assert skus(filter={"variants": [gid("ProductVariant", variant)]}) == ["B-SKU"]
    uk = gid("AmazonMarketplace", amazon_marketplace_uk)
    assert skus(filter={"marketplaces": [uk]}, sortBy=ordered) == ["A-SKU", "C-SKU", "D-SKU"]
    node = products_staff.post_graphql(OFFERS, {"filter": {"search": "B-SKU"}}).json()["data"][
        "amazonOffers"
    ]["edges"][0]["node"]
    assert node["price"] == {"amount": 19.99, "currency": "EUR"}
    assert node["syncState"] == "NOT_SENT"
    assert node["lastIssues"] == [{"code": "8541", "severity": "ERROR", "message": "ASIN mismatch"}]
    assert node["variant"]["productName"] == variant.product.name
