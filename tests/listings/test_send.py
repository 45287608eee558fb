"""Sending variants to Amazon on the sandbox: ASIN lookup, outcomes, feeds and reports."""

import json
from decimal import Decimal

from amazon_sandbox.generate import catalog_items
from saleor_amazon.listings import outcomes
from saleor_amazon.listings.results import poll_feeds
from saleor_amazon.listings.send import send_marketplace
from saleor_amazon.models import AmazonFeed, AmazonOffer, FeedStatus, OfferSyncState


def _offer(variant, shop):
    return AmazonOffer.objects.get(variant=variant, marketplace=shop.marketplace)


def _codes(report):
    return {o.variant_id: o.code for o in report.outcomes}


def test_asin_found_by_barcode_is_sent_and_goes_live(shop):
    variant, item = shop.pool_variant(0, price="24.90", stock=7)

    report = send_marketplace(shop.marketplace, [variant.pk], client=shop.client)

    assert _codes(report) == {variant.pk: "SUBMITTED"}
    offer = _offer(variant, shop)
    assert offer.asin == item.asin
    assert offer.sync_state == OfferSyncState.SUBMITTED
    [feed] = report.feeds
    assert feed.status == FeedStatus.SUBMITTED and feed.amazon_feed_id
    [received] = shop.sandbox.received("feeds")
    document = json.loads(received["content"])
    [message] = document["messages"]
    attributes = message["attributes"]
    assert message["requirements"] == "LISTING_OFFER_ONLY"
    assert attributes["merchant_suggested_asin"][0]["value"] == item.asin
    assert attributes["purchasable_offer"][0]["currency"] == "EUR"
    # The price is a JSON number with the cents as Saleor has them.
    assert '"value_with_tax":24.90' in received["content"]
    assert attributes["fulfillment_availability"][0]["quantity"] == 7

    shop.settle()
    assert poll_feeds() == 1

    offer.refresh_from_db()
    assert offer.sync_state == OfferSyncState.LIVE
    assert offer.last_sent_price == Decimal("24.90")
    assert offer.last_sent_quantity == 7
    assert offer.last_issues == []
    feed.refresh_from_db()
    assert feed.status == FeedStatus.DONE
    assert feed.messages_accepted == 1 and feed.messages_invalid == 0
    assert feed.processing_report["summary"]["messagesProcessed"] == 1
    listing = shop.listing(offer.seller_sku)
    assert listing["offers"][0]["price"]["amount"] in ("24.9", "24.90")
    assert "BUYABLE" in listing["summaries"][0]["status"]


def test_no_barcode_and_no_asin_for_barcode_are_reported(shop):
    bare = shop.variant("NO-CODE-1")
    unknown = shop.variant("UNKNOWN-EAN-1", ean="4006381333931")

    report = send_marketplace(shop.marketplace, [bare.pk, unknown.pk], client=shop.client)

    assert _codes(report) == {
        bare.pk: outcomes.NO_BARCODE,
        unknown.pk: outcomes.NO_ASIN_FOR_BARCODE,
    }
    for variant, code in ((bare, outcomes.NO_BARCODE), (unknown, outcomes.NO_ASIN_FOR_BARCODE)):
        offer = _offer(variant, shop)
        assert offer.sync_state == OfferSyncState.ERROR
        assert [i["code"] for i in offer.last_issues] == [code]
    assert report.feeds == []
    assert shop.sandbox.received("feeds") == []


def test_several_asins_for_one_barcode_are_reported_not_guessed(shop):
    catalog = catalog_items()
    twin = json.loads(json.dumps(catalog[0]))
    twin["asin"] = "B0SBXTWIN1"
    shop.sandbox.reset(
        seed={
            "sellerId": shop.sandbox.seller_id,
            "refreshToken": shop.sandbox.refresh_token,
            "catalog": [*catalog, twin],
        }
    )
    variant, item = shop.pool_variant(0)

    report = send_marketplace(shop.marketplace, [variant.pk], client=shop.client)

    assert _codes(report) == {variant.pk: outcomes.SEVERAL_ASINS}
    offer = _offer(variant, shop)
    assert offer.asin == ""
    assert item.asin in offer.last_issues[0]["message"]
    assert "B0SBXTWIN1" in offer.last_issues[0]["message"]
    assert shop.sandbox.received("feeds") == []


def test_asin_from_offer_or_metadata_needs_no_catalog_search(shop):
    by_meta, item = shop.pool_variant(1, ean=None, asin="B0SBX00002")
    report = send_marketplace(shop.marketplace, [by_meta.pk], client=shop.client)

    assert _codes(report) == {by_meta.pk: "SUBMITTED"}
    assert _offer(by_meta, shop).asin == "B0SBX00002"
    assert shop.sandbox.requests("searchCatalogItems") == []


def test_zero_stock_is_skipped_unless_allowed(shop):
    empty, _ = shop.pool_variant(2, stock=0)

    report = send_marketplace(shop.marketplace, [empty.pk], client=shop.client)
    assert _codes(report) == {empty.pk: outcomes.ZERO_STOCK}
    assert shop.sandbox.received("feeds") == []

    shop.configure(allow_zero_stock=True)
    report = send_marketplace(shop.marketplace, [empty.pk], client=shop.client)
    assert _codes(report) == {empty.pk: "SUBMITTED"}
    [received] = shop.sandbox.received("feeds")
    message = json.loads(received["content"])["messages"][0]
    assert message["attributes"]["fulfillment_availability"][0]["quantity"] == 0


def test_allocations_reduce_the_quantity(shop, order_line):
    from saleor.warehouse.models import Allocation, Stock

    variant, _ = shop.pool_variant(3, stock=10)
    stock = Stock.objects.get(product_variant=variant)
    Allocation.objects.create(order_line=order_line, stock=stock, quantity_allocated=4)

    send_marketplace(shop.marketplace, [variant.pk], client=shop.client)

    message = json.loads(shop.sandbox.received("feeds")[0]["content"])["messages"][0]
    assert message["attributes"]["fulfillment_availability"][0]["quantity"] == 6


def test_overrides_replace_saleor_values(shop):
    variant, _ = shop.pool_variant(4, price="30.00", stock=50)
    offer = AmazonOffer.objects.create(
        variant=variant,
        account=shop.account,
        marketplace=shop.marketplace,
        seller_sku="OVERRIDE-SKU",
        price=Decimal("19.99"),
        quantity=3,
        handling_time=4,
        condition="used_like_new",
    )

    send_marketplace(shop.marketplace, [variant.pk], client=shop.client)

    message = json.loads(shop.sandbox.received("feeds")[0]["content"])["messages"][0]
    assert message["sku"] == "OVERRIDE-SKU"
    assert message["attributes"]["condition_type"][0]["value"] == "used_like_new"
    availability = message["attributes"]["fulfillment_availability"][0]
    assert availability == {
        "fulfillment_channel_code": "DEFAULT",
        "quantity": 3,
        "lead_time_to_ship_max_days": 4,
    }
    shop.settle()
    poll_feeds()
    offer.refresh_from_db()
    assert offer.sync_state == OfferSyncState.LIVE
    assert offer.last_sent_price == Decimal("19.99")
    assert shop.listing("OVERRIDE-SKU")["offers"][0]["price"]["amount"] == "19.99"


def test_net_channel_prices_are_sent_with_vat_in_de(shop):
    from saleor.tax.models import TaxClassCountryRate

    config = shop.marketplace.channel.tax_configuration
    config.prices_entered_with_tax = False
    config.charge_taxes = True
    config.save()
    TaxClassCountryRate.objects.update_or_create(
        country="DE", tax_class=None, defaults={"rate": Decimal("19")}
    )
    variant, _ = shop.pool_variant(5, price="10.00")

    send_marketplace(shop.marketplace, [variant.pk], client=shop.client)

    assert '"value_with_tax":11.90' in shop.sandbox.received("feeds")[0]["content"]


def test_amazon_issues_are_stored_per_sku(shop):
    good, _ = shop.pool_variant(6)
    bad = shop.variant("BAD-ASIN-SKU")
    AmazonOffer.objects.create(
        variant=bad,
        account=shop.account,
        marketplace=shop.marketplace,
        seller_sku="BAD-ASIN-SKU",
        asin="B0NOTTHERE",
    )

    report = send_marketplace(shop.marketplace, [good.pk, bad.pk], client=shop.client)
    assert _codes(report) == {good.pk: "SUBMITTED", bad.pk: "SUBMITTED"}
    shop.settle()
    poll_feeds()

    good_offer, bad_offer = _offer(good, shop), _offer(bad, shop)
    assert good_offer.sync_state == OfferSyncState.LIVE
    assert bad_offer.sync_state == OfferSyncState.ERROR
    assert bad_offer.last_sent_price is None
    [found] = bad_offer.last_issues
    assert found["code"] == "8541" and found["severity"] == "ERROR"
    assert "B0NOTTHERE" in found["message"]
    feed = AmazonFeed.objects.get()
    assert (feed.messages_accepted, feed.messages_invalid) == (1, 1)


def test_feeds_are_split_at_the_message_limit(shop):
    variants = [shop.pool_variant(i)[0] for i in range(5)]

    report = send_marketplace(
        shop.marketplace, [v.pk for v in variants], client=shop.client, limit=2
    )

    assert [len(f.sent_messages) for f in report.feeds] == [2, 2, 1]
    received = shop.sandbox.received("feeds")
    assert len(received) == 3
    for entry in received:
        ids = [m["messageId"] for m in json.loads(entry["content"])["messages"]]
        assert ids == list(range(1, len(ids) + 1))
    shop.settle()
    assert poll_feeds() == 3
    assert set(AmazonOffer.objects.values_list("sync_state", flat=True)) == {OfferSyncState.LIVE}


def test_variant_without_sku_is_reported(shop):
    variant = shop.variant("TEMP")
    variant.sku = None
    variant.save(update_fields=["sku"])

    report = send_marketplace(shop.marketplace, [variant.pk], client=shop.client)

    assert _codes(report) == {variant.pk: outcomes.NO_SKU}
    assert not AmazonOffer.objects.filter(variant=variant).exists()
