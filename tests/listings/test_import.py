"""amazonListingsImport on the sandbox: link by SKU, create missing products, inactive ones."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from saleor.product.models import Product, ProductVariant, ProductVariantChannelListing
from saleor.warehouse.models import Stock

from amazon_sandbox.generate import SKU_POOL
from saleor_amazon.listings.importer import import_listings
from saleor_amazon.models import AmazonOffer, OfferSyncState

TITLE = "Żółta łódź – „Gänsefüßchen“ 日本語 ✓"  # noqa: RUF001 - UTF-8 on purpose


def _put(shop, sku, index, price="12.34", quantity=5, title=None):
    """A listing of the seller on Amazon (through the Listings Items API)."""
    marketplace_id = shop.marketplace.marketplace_id
    attributes = {
        "condition_type": [{"value": "new_new", "marketplace_id": marketplace_id}],
        "merchant_suggested_asin": [
            {"value": SKU_POOL[index].asin, "marketplace_id": marketplace_id}
        ],
        "purchasable_offer": [
            {
                "marketplace_id": marketplace_id,
                "currency": "EUR",
                "our_price": [{"schedule": [{"value_with_tax": float(price)}]}],
            }
        ],
        "fulfillment_availability": [{"fulfillment_channel_code": "DEFAULT", "quantity": quantity}],
    }
    if title:
        attributes["item_name"] = [{"value": title, "marketplace_id": marketplace_id}]
    result = shop.client.put_listing(
        sku,
        [marketplace_id],
        {"productType": "PRODUCT", "requirements": "LISTING_OFFER_ONLY", "attributes": attributes},
    )
    assert result["status"] == "ACCEPTED", result


@pytest.fixture
def amazon_listings(shop):
    _put(shop, "KNOWN-SKU", 0, price="10.00", quantity=3)
    _put(shop, "NEW-SKU", 1, price="12.34", quantity=5, title=TITLE)
    _put(shop, "SLEEPING-SKU", 2, quantity=0, title="Inactive one")
    return shop


def _actions(report):
    return {line.sku: line.action for line in report.lines}


def test_import_links_by_sku_and_skips_unknown_and_inactive(amazon_listings):
    shop = amazon_listings
    known = shop.variant("KNOWN-SKU", price="11.00", stock=8)

    report = import_listings(shop.marketplace, client=shop.client)

    assert _actions(report) == {
        "KNOWN-SKU": "linked",
        "NEW-SKU": "skipped",
        "SLEEPING-SKU": "skipped",
    }
    assert (report.created, report.linked, report.skipped) == (0, 1, 2)
    offer = AmazonOffer.objects.get(seller_sku="KNOWN-SKU")
    assert offer.variant == known
    assert offer.asin == SKU_POOL[0].asin
    assert offer.sync_state == OfferSyncState.LIVE
    # What Amazon shows now; the diff sync will correct it to Saleor's values.
    assert (offer.last_sent_price, offer.last_sent_quantity) == (Decimal("10.00"), 3)
    assert not Product.objects.filter(name=TITLE).exists()

    # A second run changes nothing.
    again = import_listings(shop.marketplace, client=shop.client)
    assert again.linked == 0 and AmazonOffer.objects.count() == 1


def test_import_creates_missing_products_with_amazon_titles(
    amazon_listings, product_type, category
):
    shop = amazon_listings
    shop.configure(import_product_type=product_type.pk, import_category=category.pk)

    report = import_listings(shop.marketplace, create_missing=True, client=shop.client)

    assert _actions(report) == {
        "KNOWN-SKU": "created",
        "NEW-SKU": "created",
        "SLEEPING-SKU": "skipped",
    }
    variant = ProductVariant.objects.get(sku="NEW-SKU")
    assert variant.product.name == TITLE
    assert variant.product.product_type == product_type
    assert variant.product.category == category
    listing = ProductVariantChannelListing.objects.get(variant=variant)
    assert listing.channel == shop.marketplace.channel
    assert listing.price_amount == Decimal("12.34")
    assert Stock.objects.get(product_variant=variant).quantity == 5
    assert AmazonOffer.objects.get(seller_sku="NEW-SKU").variant == variant
    # Amazon's title without one: the SKU names the product.
    assert ProductVariant.objects.get(sku="KNOWN-SKU").product.name == "KNOWN-SKU"


def test_include_inactive_imports_inactive_listings(amazon_listings, product_type, category):
    shop = amazon_listings
    shop.configure(import_product_type=product_type.pk, import_category=category.pk)

    report = import_listings(
        shop.marketplace, create_missing=True, include_inactive=True, client=shop.client
    )

    assert report.created == 3
    assert ProductVariant.objects.get(sku="SLEEPING-SKU").product.name == "Inactive one"


def test_create_missing_needs_a_product_type_and_category(amazon_listings):
    with pytest.raises(ValidationError) as error:
        import_listings(amazon_listings.marketplace, create_missing=True)
    assert "createMissing" in error.value.message_dict
    assert not amazon_listings.sandbox.requests("searchListingsItems")
