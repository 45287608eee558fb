"""Feeds 2021-06-30: documents on sandbox URLs, status on the sandbox clock, processing."""

import gzip
import json

import pytest
import requests

from amazon_sandbox import validation
from amazon_sandbox.generate import SKU_POOL

FEEDS = "/feeds/2021-06-30"
GERMANY = "A1PA6795UKMFR9"


def _upload(api, content, content_type="application/json; charset=UTF-8"):
    created = api.post(f"{FEEDS}/documents", json={"contentType": content_type})
    assert created.status_code == 201, created.text
    document = created.json()
    put = requests.put(
        document["url"], data=content, headers={"Content-Type": content_type}, timeout=10
    )
    assert put.status_code == 200, put.text
    return document["feedDocumentId"]


def _submit(api, feed_type, content, content_type="application/json; charset=UTF-8", **extra):
    doc_id = _upload(api, content, content_type)
    body = {
        "feedType": feed_type,
        "marketplaceIds": [GERMANY],
        "inputFeedDocumentId": doc_id,
        **extra,
    }
    response = api.post(f"{FEEDS}/feeds", json=body)
    assert response.status_code == 202, response.text
    return response.json()["feedId"]


def _result(api, feed_id):
    feed = api.get(f"{FEEDS}/feeds/{feed_id}").json()
    document = api.get(f"{FEEDS}/documents/{feed['resultFeedDocumentId']}").json()
    raw = requests.get(document["url"], timeout=10).content
    if document.get("compressionAlgorithm") == "GZIP":
        raw = gzip.decompress(raw)
    return feed, document, raw.decode("utf-8")


def _listings_feed(seller_id, messages, report=True):
    header = {"sellerId": seller_id, "version": "2.0", "issueLocale": "de_DE"}
    if report:
        header["report"] = {
            "includedData": ["summaries", "offers", "fulfillmentAvailability", "issues"],
            "apiVersion": "2021-08-01",
        }
    return json.dumps({"header": header, "messages": messages}, ensure_ascii=False).encode("utf-8")


def _offer(message_id, product, quantity, price="19.99", currency="EUR"):
    return {
        "messageId": message_id,
        "sku": product.sku,
        "operationType": "UPDATE",
        "productType": "PRODUCT",
        "requirements": "LISTING_OFFER_ONLY",
        "attributes": {
            "merchant_suggested_asin": [{"value": product.asin, "marketplace_id": GERMANY}],
            "condition_type": [{"value": "new_new", "marketplace_id": GERMANY}],
            "purchasable_offer": [
                {
                    "currency": currency,
                    "marketplace_id": GERMANY,
                    "our_price": [{"schedule": [{"value_with_tax": float(price)}]}],
                }
            ],
            "fulfillment_availability": [
                {"fulfillment_channel_code": "DEFAULT", "quantity": quantity}
            ],
        },
    }


@pytest.fixture
def models():
    if not validation.models_available():
        pytest.fail(validation.MISSING_MESSAGE)


def test_feed_moves_through_queue_and_processing_on_the_sandbox_clock(amazon_sandbox, api):
    feed_id = _submit(
        api,
        "JSON_LISTINGS_FEED",
        _listings_feed(amazon_sandbox.seller_id, [_offer(1, SKU_POOL[0], 3)]),
    )

    statuses = [api.get(f"{FEEDS}/feeds/{feed_id}").json()["processingStatus"]]
    amazon_sandbox.advance(20)
    statuses.append(api.get(f"{FEEDS}/feeds/{feed_id}").json()["processingStatus"])
    amazon_sandbox.advance(60)
    final = api.get(f"{FEEDS}/feeds/{feed_id}").json()

    assert statuses == ["IN_QUEUE", "IN_PROGRESS"]
    assert final["processingStatus"] == "DONE"
    assert final["resultFeedDocumentId"]
    assert final["processingStartTime"] <= final["processingEndTime"]


def test_listings_feed_creates_offers_and_reports_invalid_messages(amazon_sandbox, api, models):
    good = _offer(1, SKU_POOL[0], 7, "24.90")
    wrong_currency = _offer(2, SKU_POOL[1], 1, "9.99", currency="USD")
    no_condition = _offer(3, SKU_POOL[2], 2)
    del no_condition["attributes"]["condition_type"]
    feed_id = _submit(
        api,
        "JSON_LISTINGS_FEED",
        _listings_feed(amazon_sandbox.seller_id, [good, wrong_currency, no_condition]),
    )
    amazon_sandbox.advance(60)

    feed, document, text = _result(api, feed_id)
    report = json.loads(text)

    assert feed["processingStatus"] == "DONE"
    assert document["compressionAlgorithm"] == "GZIP"
    assert validation.errors_for_schema(validation.REPORT_SCHEMA, report) == []
    assert report["summary"] | {"errors": 0} == {
        "errors": 0,
        "warnings": 0,
        "messagesProcessed": 3,
        "messagesAccepted": 1,
        "messagesInvalid": 2,
    }
    assert {(i["messageId"], i.get("attributeName")) for i in report["issues"]} == {
        (2, "purchasable_offer"),
        (3, "condition_type"),
    }
    assert [i["sku"] for i in report["items"]] == [SKU_POOL[0].sku]
    listing = api.get(
        f"/listings/2021-08-01/items/{amazon_sandbox.seller_id}/{SKU_POOL[0].sku}",
        params={
            "marketplaceIds": GERMANY,
            "includedData": "summaries,offers,fulfillmentAvailability",
        },
    ).json()
    assert listing["offers"][0]["price"] == {"currencyCode": "EUR", "amount": "24.9"}
    assert listing["fulfillmentAvailability"] == [
        {"fulfillmentChannelCode": "DEFAULT", "quantity": 7}
    ]
    assert listing["summaries"][0]["status"] == ["BUYABLE", "DISCOVERABLE"]
    assert (
        api.get(
            f"/listings/2021-08-01/items/{amazon_sandbox.seller_id}/{SKU_POOL[1].sku}",
            params={"marketplaceIds": GERMANY},
        ).status_code
        == 404
    )


def test_feed_that_breaks_the_schema_is_fatal(amazon_sandbox, api, models):
    feed_id = _submit(
        api,
        "JSON_LISTINGS_FEED",
        json.dumps(
            {"header": {"sellerId": amazon_sandbox.seller_id, "version": "1.0"}, "messages": []}
        ).encode(),
    )
    amazon_sandbox.advance(60)

    feed, _, text = _result(api, feed_id)

    assert feed["processingStatus"] == "FATAL"
    assert json.loads(text)["summary"]["errors"] >= 1


def test_non_ascii_and_gzip_uploads_arrive_intact(amazon_sandbox, api):
    message = _offer(1, SKU_POOL[5], 1)
    message["attributes"]["item_name"] = [
        {"value": "Kubek „Łódź” Größe M", "marketplace_id": GERMANY}
    ]
    raw = _listings_feed(amazon_sandbox.seller_id, [message])

    _submit(api, "JSON_LISTINGS_FEED", gzip.compress(raw))

    content = amazon_sandbox.received("feeds")[0]["content"]
    assert "Kubek „Łódź” Größe M" in content


def test_order_acknowledgement_failure_cancels_the_order(amazon_sandbox, api):
    search = {"createdAfter": "2020-01-01T00:00:00Z", "fulfillmentStatuses": "UNSHIPPED"}
    order = api.get("/orders/2026-01-01/orders", params=search).json()["orders"][0]
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><AmazonEnvelope>'
        "<Header><DocumentVersion>1.01</DocumentVersion>"
        f"<MerchantIdentifier>{amazon_sandbox.seller_id}</MerchantIdentifier></Header><MessageType>OrderAcknowledgement</MessageType>"
        f"<Message><MessageID>1</MessageID><OrderAcknowledgement><AmazonOrderID>{order['orderId']}</AmazonOrderID>"
        "<StatusCode>Failure</StatusCode>"
        + "".join(
            f"<Item><AmazonOrderItemCode>{i['orderItemId']}</AmazonOrderItemCode><CancelReason>NoInventory</CancelReason></Item>"
            for i in order["orderItems"]
        )
        + "</OrderAcknowledgement></Message></AmazonEnvelope>"
    ).encode()
    feed_id = _submit(api, "POST_ORDER_ACKNOWLEDGEMENT_DATA", xml, "text/xml; charset=UTF-8")
    amazon_sandbox.advance(60)

    feed, document, report = _result(api, feed_id)
    cancelled = amazon_sandbox.order(order["orderId"])

    assert feed["processingStatus"] == "DONE"
    assert "<MessagesSuccessful>1</MessagesSuccessful>" in report
    assert cancelled["fulfillment"]["fulfillmentStatus"] == "CANCELLED"
    assert {
        i["cancellation"]["cancellationExecution"]["cancelReason"] for i in cancelled["orderItems"]
    } == {"NoInventory"}
    assert amazon_sandbox.received("cancellations")[0]["orderId"] == order["orderId"]


def test_upload_needs_the_signed_url_and_the_same_content_type(api):
    document = api.post(
        f"{FEEDS}/documents", json={"contentType": "text/xml; charset=UTF-8"}
    ).json()

    unsigned = requests.put(
        document["url"].split("?")[0],
        data=b"<x/>",
        headers={"Content-Type": "text/xml"},
        timeout=10,
    )
    wrong_type = requests.put(
        document["url"], data=b"<x/>", headers={"Content-Type": "application/json"}, timeout=10
    )

    assert unsigned.status_code == 403
    assert wrong_type.status_code == 403


def test_feed_needs_an_uploaded_document_and_can_be_cancelled_in_queue(api):
    empty = api.post(f"{FEEDS}/documents", json={"contentType": "text/xml"}).json()[
        "feedDocumentId"
    ]
    refused = api.post(
        f"{FEEDS}/feeds",
        json={
            "feedType": "POST_ORDER_ACKNOWLEDGEMENT_DATA",
            "marketplaceIds": [GERMANY],
            "inputFeedDocumentId": empty,
        },
    )
    feed_id = _submit(api, "POST_ORDER_FULFILLMENT_DATA", b"<AmazonEnvelope/>", "text/xml")

    cancelled = api.call("DELETE", f"{FEEDS}/feeds/{feed_id}")
    listed = api.get(f"{FEEDS}/feeds", params={"feedTypes": "POST_ORDER_FULFILLMENT_DATA"}).json()[
        "feeds"
    ]

    assert refused.status_code == 400
    assert cancelled.status_code == 200
    assert [(f["feedId"], f["processingStatus"]) for f in listed] == [(feed_id, "CANCELLED")]


def test_a_latin1_upload_declared_utf8_does_not_arrive_intact(amazon_sandbox, api):
    message = _offer(1, SKU_POOL[0], 1)
    message["attributes"]["item_name"] = [{"value": "Größe M", "marketplace_id": GERMANY}]
    text = json.dumps(
        {"header": {"sellerId": amazon_sandbox.seller_id, "version": "2.0"}, "messages": [message]},
        ensure_ascii=False,
    )

    feed_id = _submit(api, "JSON_LISTINGS_FEED", text.encode("latin-1"))
    amazon_sandbox.advance(60)

    assert "Größe M" not in amazon_sandbox.received("feeds")[0]["content"]
    assert "\ufffd" in amazon_sandbox.received("feeds")[0]["content"]
    assert _result(api, feed_id)[0]["processingStatus"] == "FATAL"


def _fulfilment_message(number, order_id, package, items, tracking=""):
    data = "<FulfillmentData><CarrierName>Kurier Nord</CarrierName>"
    if tracking:
        data += f"<ShipperTrackingNumber>{tracking}</ShipperTrackingNumber>"
    data += "</FulfillmentData>"
    return (
        f"<Message><MessageID>{number}</MessageID><OrderFulfillment>"
        f"<AmazonOrderID>{order_id}</AmazonOrderID>"
        f"<MerchantFulfillmentID>{package}</MerchantFulfillmentID>"
        f"<FulfillmentDate>2026-11-20T10:00:00Z</FulfillmentDate>{data}"
        + "".join(
            f"<Item><AmazonOrderItemCode>{item_id}</AmazonOrderItemCode>"
            f"<Quantity>{quantity}</Quantity></Item>"
            for item_id, quantity in items
        )
        + "</OrderFulfillment></Message>"
    )


def test_order_fulfilment_feed_ships_packages_like_confirm_shipment(amazon_sandbox, api):
    search = {"createdAfter": "2020-01-01T00:00:00Z", "fulfillmentStatuses": "UNSHIPPED"}
    orders = api.get("/orders/2026-01-01/orders", params=search).json()["orders"]
    partly = next(o for o in orders if sum(i["quantityOrdered"] for i in o["orderItems"]) >= 2)
    whole = next(o for o in orders if o["orderId"] != partly["orderId"])
    first = partly["orderItems"][0]
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><AmazonEnvelope><Header>'
        f"<DocumentVersion>1.01</DocumentVersion><MerchantIdentifier>{amazon_sandbox.seller_id}"
        "</MerchantIdentifier></Header><MessageType>OrderFulfillment</MessageType>"
        + _fulfilment_message(1, partly["orderId"], "11", [(first["orderItemId"], 1)])
        # No items: every unshipped unit of the order.
        + _fulfilment_message(2, whole["orderId"], "12", [], tracking="JJD01")
        + _fulfilment_message(3, "999-0000000-0000000", "13", [])
        # Too many units: refused, nothing changes.
        + _fulfilment_message(4, partly["orderId"], "14", [(first["orderItemId"], 99)])
        + "</AmazonEnvelope>"
    ).encode()

    feed_id = _submit(api, "POST_ORDER_FULFILLMENT_DATA", xml, "text/xml; charset=UTF-8")
    amazon_sandbox.advance(60)
    feed, _, report = _result(api, feed_id)

    assert feed["processingStatus"] == "DONE"
    assert "<MessagesProcessed>4</MessagesProcessed>" in report
    assert "<MessagesWithError>2</MessagesWithError>" in report
    assert "<MessageID>3</MessageID>" in report and "not found" in report
    assert "<MessageID>4</MessageID>" in report and "exceeds the unshipped" in report
    shipped = amazon_sandbox.order(whole["orderId"])
    assert shipped["fulfillment"]["fulfillmentStatus"] == "SHIPPED"
    assert shipped["packages"][0]["trackingNumber"] == "JJD01"
    part = amazon_sandbox.order(partly["orderId"])
    item = next(i for i in part["orderItems"] if i["orderItemId"] == first["orderItemId"])
    assert item["fulfillment"]["quantityFulfilled"] == 1
    assert part["fulfillment"]["fulfillmentStatus"] == "PARTIALLY_SHIPPED"
    received = amazon_sandbox.received("confirmations")
    assert [(c["orderId"], c["source"]) for c in received] == [
        (partly["orderId"], "feed"),
        (whole["orderId"], "feed"),
    ]
    # The orders read back through the Orders API stay valid against Amazon's model.
    fetched = api.get(f"/orders/2026-01-01/orders/{whole['orderId']}")
    assert fetched.status_code == 200
