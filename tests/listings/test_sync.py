"""The diff sync on the sandbox: only changed offers are sent; unlinked ones are zeroed."""

import json
from decimal import Decimal

from saleor_amazon.accounts.offers import unlink_offer
from saleor_amazon.listings import hooks
from saleor_amazon.listings.results import poll_feeds
from saleor_amazon.listings.send import send_marketplace
from saleor_amazon.listings.sync import sync_marketplace
from saleor_amazon.models import AmazonFeed, AmazonOffer, OfferSyncState


def _live(shop, count):
    variants = [shop.pool_variant(i, price="20.00", stock=10)[0] for i in range(count)]
    send_marketplace(shop.marketplace, [v.pk for v in variants], client=shop.client)
    shop.settle()
    poll_feeds()
    offers = [AmazonOffer.objects.get(variant=v) for v in variants]
    assert {o.sync_state for o in offers} == {OfferSyncState.LIVE}
    return variants, offers


def _last_feed_messages(shop):
    return json.loads(shop.sandbox.received("feeds")[-1]["content"])["messages"]


def test_sync_sends_only_offers_that_changed(shop):
    (priced, stocked, same), (priced_offer, stocked_offer, same_offer) = _live(shop, 3)
    shop.set_price(priced, "21.50")
    shop.set_stock(stocked, 4)
    feeds_before = len(shop.sandbox.received("feeds"))

    result = sync_marketplace(shop.marketplace, client=shop.client)

    assert (result.checked, result.price_updates, result.quantity_updates) == (3, 1, 1)
    assert len(shop.sandbox.received("feeds")) == feeds_before + 1
    messages = {m["sku"]: m for m in _last_feed_messages(shop)}
    assert set(messages) == {priced_offer.seller_sku, stocked_offer.seller_sku}
    price_patch = messages[priced_offer.seller_sku]
    assert price_patch["operationType"] == "PATCH"
    assert [p["path"] for p in price_patch["patches"]] == ["/attributes/purchasable_offer"]
    stock_patch = messages[stocked_offer.seller_sku]
    assert [p["path"] for p in stock_patch["patches"]] == ["/attributes/fulfillment_availability"]
    assert stock_patch["patches"][0]["value"][0]["quantity"] == 4

    shop.settle()
    poll_feeds()
    priced_offer.refresh_from_db()
    stocked_offer.refresh_from_db()
    assert priced_offer.last_sent_price == Decimal("21.50")
    assert stocked_offer.last_sent_quantity == 4
    assert shop.listing(priced_offer.seller_sku)["offers"][0]["price"]["amount"] == "21.5"
    assert shop.listing(stocked_offer.seller_sku)["fulfillmentAvailability"][0]["quantity"] == 4

    # Nothing differs any more: no feed at all.
    again = sync_marketplace(shop.marketplace, client=shop.client)
    assert again.feeds == [] and again.checked == 3
    assert len(shop.sandbox.received("feeds")) == feeds_before + 1


def test_offers_with_a_feed_in_flight_wait_for_its_verdict(shop):
    (variant,), (offer,) = _live(shop, 1)
    shop.set_stock(variant, 2)
    sync_marketplace(shop.marketplace, client=shop.client)
    shop.set_stock(variant, 1)

    result = sync_marketplace(shop.marketplace, client=shop.client)

    assert result.checked == 0 and result.feeds == []


def test_unlinking_an_offer_sets_its_amazon_quantity_to_zero(shop):
    (variant,), (offer,) = _live(shop, 1)
    assert "BUYABLE" in shop.listing(offer.seller_sku)["summaries"][0]["status"]

    unlink_offer(offer)
    result = sync_marketplace(shop.marketplace, client=shop.client)

    assert result.zeroed == 1
    [message] = _last_feed_messages(shop)
    assert message["patches"][0]["value"][0]["quantity"] == 0
    shop.settle()
    poll_feeds()
    offer.refresh_from_db()
    assert offer.last_sent_quantity == 0
    listing = shop.listing(offer.seller_sku)
    assert listing["fulfillmentAvailability"][0]["quantity"] == 0
    assert "BUYABLE" not in listing["summaries"][0]["status"]
    # Zeroed once: later runs leave it alone.
    assert sync_marketplace(shop.marketplace, client=shop.client).feeds == []


def test_deleted_variant_listing_is_deleted_when_configured(shop):
    shop.configure(unlink_action="delete")
    (variant,), (offer,) = _live(shop, 1)

    variant.delete()
    result = sync_marketplace(shop.marketplace, client=shop.client)

    assert result.deleted == 1
    assert _last_feed_messages(shop)[0]["operationType"] == "DELETE"
    shop.settle()
    poll_feeds()
    offer.refresh_from_db()
    assert offer.variant_id is None
    assert offer.last_sent_quantity is None and offer.sync_state == OfferSyncState.NOT_SENT
    listings = list(shop.client.iter_listings([shop.marketplace.marketplace_id]))
    assert all(item["sku"] != offer.seller_sku for page in listings for item in page.items)


def test_run_out_of_price_in_channel_zeroes_the_offer(shop):
    from saleor.product.models import ProductVariantChannelListing

    (variant,), (offer,) = _live(shop, 1)
    ProductVariantChannelListing.objects.filter(variant=variant).delete()

    result = sync_marketplace(shop.marketplace, client=shop.client)

    assert result.quantity_updates == 1 and result.price_updates == 0
    assert _last_feed_messages(shop)[0]["patches"][0]["value"][0]["quantity"] == 0


def test_variant_hook_schedules_one_debounced_sync(
    shop, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from saleor_amazon.tasks import listings as tasks

    calls = []
    monkeypatch.setattr(
        tasks.sync_marketplace_task, "apply_async", lambda args, countdown: calls.append(args)
    )
    (variant, other), _ = _live(shop, 2)
    cache.delete(f"saleor-amazon:listings-sync:{shop.marketplace.pk}")

    with django_capture_on_commit_callbacks(execute=True):
        hooks.on_product_variant_updated(variant)
        hooks.on_product_variant_updated(other)
        hooks.on_product_updated(variant.product)

    assert calls == [(shop.marketplace.pk,)]
    assert AmazonFeed.objects.count() == 1  # the hooks themselves send nothing
