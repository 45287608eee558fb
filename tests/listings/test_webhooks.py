"""PRODUCT_VARIANT_STOCK_UPDATED deliveries schedule the variant's marketplace sync."""

import json

import graphene
import pytest
from saleor.webhook.transport import signature_for_payload

from saleor_amazon.models import AmazonOffer

URL = "/plugins/saleor_amazon/webhooks/stock/"


def _variant_id(offer):
    return graphene.Node.to_global_id("ProductVariant", offer.variant_id)


@pytest.fixture
def scheduled(monkeypatch):
    from saleor_amazon.tasks import listings as tasks

    calls = []
    monkeypatch.setattr(
        tasks.sync_marketplace_task, "apply_async", lambda args, countdown: calls.append(args)
    )
    return calls


def _post(client, body, signature=None, event="PRODUCT_VARIANT_STOCK_UPDATED"):
    headers = {"HTTP_SALEOR_EVENT": event}
    if signature:
        headers["HTTP_SALEOR_SIGNATURE"] = signature
    return client.post(URL, data=body, content_type="application/json", **headers)


@pytest.fixture
def live_offer(shop):
    variant, _ = shop.pool_variant(0)
    return AmazonOffer.objects.create(
        variant=variant,
        account=shop.account,
        marketplace=shop.marketplace,
        seller_sku="HOOKED-1",
        last_sent_quantity=5,
        sync_state="live",
    )


def test_signed_stock_delivery_schedules_the_marketplace_sync(
    client, live_offer, scheduled, django_capture_on_commit_callbacks
):
    body = json.dumps(
        {
            "productVariant": {
                "id": graphene.Node.to_global_id("ProductVariant", live_offer.variant_id)
            },
            "warehouse": {"id": graphene.Node.to_global_id("Warehouse", 1)},
        }
    ).encode()

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, body, signature_for_payload(body, None))

    assert response.status_code == 200, response.content
    assert response.json()["syncsScheduled"] == 1
    assert scheduled == [(live_offer.marketplace_id,)]


def test_unsigned_or_forged_deliveries_are_refused(client, live_offer, scheduled):
    body = json.dumps(
        {
            "productVariant": {
                "id": graphene.Node.to_global_id("ProductVariant", live_offer.variant_id)
            }
        }
    ).encode()

    assert _post(client, body).status_code == 401
    other = json.dumps({"productVariant": {"id": "UHJvZHVjdFZhcmlhbnQ6OTk5"}}).encode()
    assert _post(client, body, signature_for_payload(other, None)).status_code == 401
    assert scheduled == []


def test_a_customer_access_token_is_not_a_signature(client, live_offer, scheduled, customer_user):
    from saleor.core.jwt import create_access_token

    body = json.dumps(
        {
            "productVariant": {
                "id": graphene.Node.to_global_id("ProductVariant", live_offer.variant_id)
            }
        }
    ).encode()

    response = _post(client, body, create_access_token(customer_user))

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "INVALID_SIGNATURE"
    assert scheduled == []
