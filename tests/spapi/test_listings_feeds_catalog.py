"""Feeds, Listings Items and Catalog Items through spapi/ against the sandbox over HTTP."""

import json

import pytest

from amazon_sandbox.generate import SKU_POOL
from saleor_amazon.spapi import InvalidInputError, NotFoundError

pytestmark = pytest.mark.sandbox

DE = "A1PA6795UKMFR9"
JSON_TYPE = "application/json; charset=UTF-8"


def offer(sku, quantity=5, price=19.99, title="Größe M, Łódź"):
    """An offer on an existing ASIN, in Amazon's listing attribute format."""
    return {
        "productType": "PRODUCT",
        "requirements": "LISTING_OFFER_ONLY",
        "attributes": {
            "merchant_suggested_asin": [{"value": sku.asin, "marketplace_id": DE}],
            "condition_type": [{"value": "new_new"}],
            "item_name": [{"value": title, "language_tag": "de_DE", "marketplace_id": DE}],
            "purchasable_offer": [
                {
                    "currency": "EUR",
                    "marketplace_id": DE,
                    "our_price": [{"schedule": [{"value_with_tax": price}]}],
                }
            ],
            "fulfillment_availability": [
                {"fulfillment_channel_code": "DEFAULT", "quantity": quantity}
            ],
        },
    }


def finish_feeds(sandbox):
    sandbox.advance(120)  # past the queue and processing time on the sandbox clock


def test_feed_text_arrives_as_utf8_and_the_report_comes_back(amazon_sandbox, client):
    sku = SKU_POOL[0]
    feed = {
        "header": {"sellerId": amazon_sandbox.seller_id, "version": "2.0", "issueLocale": "de_DE"},
        "messages": [
            {"messageId": 1, "sku": sku.sku, "operationType": "UPDATE", **offer(sku)},
        ],
    }
    text = json.dumps(feed, ensure_ascii=False)
    assert "Łódź" in text and "Größe" in text  # Ł is not even encodable in Latin-1
    feed_id = client.submit_feed("JSON_LISTINGS_FEED", [DE], text, JSON_TYPE)

    received = amazon_sandbox.received("feeds")
    assert [r["feedId"] for r in received] == [feed_id]
    assert received[0]["content"] == text
    assert received[0]["marketplaceIds"] == [DE]
    assert client.get_feed(feed_id)["processingStatus"] in ("IN_QUEUE", "IN_PROGRESS")
    assert client.get_feed_result(feed_id) is None  # no report before processing ends

    finish_feeds(amazon_sandbox)
    done = client.get_feed(feed_id)
    assert done["processingStatus"] == "DONE"
    report = client.get_feed_result(feed_id)  # downloaded and gunzipped (GZIP report)
    assert report["header"]["feedId"] == feed_id
    assert report["summary"]["messagesProcessed"] == 1
    assert report["summary"]["errors"] == 0, report.get("issues")
    listing = client.get_listing(sku.sku, [DE], included_data=["summaries", "attributes"])
    assert listing["attributes"]["item_name"][0]["value"] == "Größe M, Łódź"


def test_feed_steps_one_by_one_with_a_gzipped_upload(amazon_sandbox, client):
    document = client.create_feed_document(JSON_TYPE)
    assert set(document) >= {"feedDocumentId", "url"}
    content = json.dumps(
        {
            "header": {
                "sellerId": amazon_sandbox.seller_id,
                "version": "2.0",
                "issueLocale": "en_US",
            },
            "messages": [{"messageId": 1, "sku": "NO-SUCH-SKU", "operationType": "DELETE"}],
        }
    ).encode("utf-8")
    client.upload_feed_document(document["url"], content, JSON_TYPE, gzip=True)
    feed_id = client.create_feed(
        "JSON_LISTINGS_FEED", [DE], document["feedDocumentId"], feed_options=None
    )
    assert amazon_sandbox.received("feeds")[0]["content"] == content.decode("utf-8")
    finish_feeds(amazon_sandbox)
    feed = client.get_feed(feed_id)
    raw = client.get_feed_document(feed["resultFeedDocumentId"])
    assert isinstance(raw, bytes) and json.loads(raw)["header"]["feedId"] == feed_id


def test_feed_calls_send_only_the_models_keys(amazon_sandbox, client):
    sent = []
    client._transport._client.event_hooks["request"].append(sent.append)
    client.submit_feed("JSON_LISTINGS_FEED", [DE], '{"header": {}, "messages": []}', JSON_TYPE)
    bodies = [json.loads(r.content) for r in sent if r.method == "POST"]
    # The library adds its "path" and marketplace keys to these bodies; ours stay clean.
    assert bodies[0] == {"contentType": JSON_TYPE}
    assert set(bodies[1]) == {"feedType", "marketplaceIds", "inputFeedDocumentId"}
    assert bodies[1]["marketplaceIds"] == [DE]
    (feed,) = amazon_sandbox.received("feeds")
    assert feed["feedType"] == "JSON_LISTINGS_FEED"


def test_listing_put_patch_get_search_delete(amazon_sandbox, client):
    sku = SKU_POOL[1]
    put = client.put_listing(sku.sku, [DE], offer(sku, quantity=3))
    assert put["status"] == "ACCEPTED", put.get("issues")
    (record,) = amazon_sandbox.received("listings")
    # Exactly the body we gave: no marketplaceIds/MarketplaceIds/MarketplaceId/marketplace_ids.
    assert record["body"] == offer(sku, quantity=3)
    assert record["marketplaceId"] == DE

    patch = client.patch_listing(
        sku.sku,
        [DE],
        {
            "productType": "PRODUCT",
            "patches": [
                {
                    "op": "replace",
                    "path": "/attributes/fulfillment_availability",
                    "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 9}],
                }
            ],
        },
    )
    assert patch["status"] == "ACCEPTED", patch.get("issues")
    got = client.get_listing(sku.sku, [DE], included_data=["summaries", "fulfillmentAvailability"])
    assert got["sku"] == sku.sku
    assert got["fulfillmentAvailability"][0]["quantity"] == 9

    found = [
        item["sku"]
        for page in client.iter_listings([DE], identifiers=[sku.sku], identifiersType="SKU")
        for item in page.items
    ]
    assert found == [sku.sku]

    deleted = client.delete_listing(sku.sku, [DE])
    assert deleted["status"] == "ACCEPTED"
    assert amazon_sandbox.received("listings")[-1]["marketplaceId"] == DE
    with pytest.raises(NotFoundError):
        client.get_listing(sku.sku, [DE])


def test_listing_validation_preview_writes_nothing(amazon_sandbox, client):
    sku = SKU_POOL[2]
    bad = offer(sku)
    bad["attributes"]["condition_type"] = [{"value": "shiny"}]
    preview = client.put_listing(sku.sku, [DE], bad, mode="VALIDATION_PREVIEW")
    assert preview["status"] == "INVALID" and preview["issues"]
    assert amazon_sandbox.received("listings") == []


def test_listing_pages_follow_the_page_token(amazon_sandbox, client):
    skus = SKU_POOL[:7]
    for sku in skus:
        assert client.put_listing(sku.sku, [DE], offer(sku))["status"] == "ACCEPTED"
    pages = list(client.iter_listings([DE], pageSize=3))
    assert [len(p.items) for p in pages] == [3, 3, 1]
    assert sorted(i["sku"] for p in pages for i in p.items) == sorted(s.sku for s in skus)


def test_catalog_search_by_ean_in_chunks_of_twenty(amazon_sandbox, client):
    unknown = ["4099999999990", "4099999999983", "4099999999976"]
    eans = [sku.ean for sku in SKU_POOL] + unknown
    assert len(eans) > 20
    items = client.search_catalog_items(eans, "EAN", DE)
    assert sorted(i["asin"] for i in items) == sorted(s.asin for s in SKU_POOL)
    assert all(i.get("summaries") and i.get("identifiers") for i in items)
    calls = amazon_sandbox.requests("searchCatalogItems")
    assert len(calls) == 2  # 20 identifiers, then the rest
    assert calls[0]["path"].startswith("/catalog/2022-04-01/")


def test_catalog_search_rejects_a_bad_identifier_type(amazon_sandbox, client):
    with pytest.raises(InvalidInputError):
        client.search_catalog_items(["123"], "NOPE", DE)
