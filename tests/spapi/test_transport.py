"""The library's traps, fixed in our layer, shown against the sandbox over HTTP."""

from urllib.parse import urlsplit

import pytest

from saleor_amazon.spapi import NotFoundError, ThrottledError, UnavailableError

pytestmark = pytest.mark.sandbox


def sent_requests(client):
    """Record the requests our client really puts on the wire."""
    sent = []
    client._transport._client.event_hooks["request"].append(sent.append)
    return sent


def test_plain_http_endpoint_gets_the_right_host_header(amazon_sandbox, client):
    sent = sent_requests(client)
    assert client.get_marketplace_participations()
    netloc = urlsplit(amazon_sandbox.url).netloc
    # The library derives Host as endpoint[8:], which for http:// cuts into the address.
    assert amazon_sandbox.url[8:] != netloc
    assert [r.headers["host"] for r in sent] == [netloc]


@pytest.mark.parametrize("status", [500, 503])
def test_non_json_5xx_raises_unavailable_after_retrying(amazon_sandbox, make_client, status):
    client = make_client(max_retry_seconds=1.5)
    amazon_sandbox.set_faults(f"{status}=1")
    with pytest.raises(UnavailableError) as info:
        client.get_marketplace_participations()
    error = info.value
    assert error.status == status and error.operation == "getMarketplaceParticipations"
    assert "Internal Server Error" in error.message or "Service Unavailable" in error.message
    counts = amazon_sandbox.stats()["operations"]["getMarketplaceParticipations"]
    assert counts[str(status)] >= 2  # retried before giving up


def test_429_is_retried_then_raised_as_throttled_when_it_never_ends(
    amazon_sandbox, make_client, limiter
):
    client = make_client(max_retry_seconds=1.5)
    amazon_sandbox.set_faults("429=1")
    with pytest.raises(ThrottledError) as info:
        client.get_order("028-0000000-0000000")
    # Amazon's 429 emptied our bucket; getOrder refills at 0.5/s, so the next token is 2 s
    # away, past the budget: the caller gets a ThrottledError saying when to come back.
    assert amazon_sandbox.stats()["operations"]["getOrder"]["429"] == 1
    assert info.value.operation == "getOrder" and 1.0 < info.value.retry_after <= 2
    assert limiter.state(client.quota_owner(), "EU", "getOrder")["tokens"] < 1


def test_retries_ride_out_throttling_and_outages(amazon_sandbox, make_client):
    client = make_client(speed=1000)
    amazon_sandbox.set_faults("429=0.3,500=0.1,503=0.1,seed=11")
    for _ in range(15):
        assert client.get_marketplace_participations()
    counts = amazon_sandbox.stats()["operations"]["getMarketplaceParticipations"]
    assert counts["200"] == 15
    assert counts["429"] and counts["500"] + counts["503"]


def test_timeouts_become_unavailable_and_reads_are_retried(amazon_sandbox, make_client):
    client = make_client(timeout=0.3, max_retry_seconds=1.0)
    amazon_sandbox.set_faults("slow=1,slow_seconds=1.5")
    with pytest.raises(UnavailableError, match="Timed out") as info:
        client.get_marketplace_participations()
    assert info.value.maybe_processed
    assert len(amazon_sandbox.requests("getMarketplaceParticipations")) >= 2


def test_a_confirmation_whose_answer_was_lost_is_not_sent_again(amazon_sandbox, make_client):
    from amazon_sandbox.generate import generate_orders

    (order,) = generate_orders(
        1, seed="lost-answer", statuses=["UNSHIPPED"], fulfilled_by="MERCHANT"
    )
    amazon_sandbox.add_orders([order])
    client = make_client(timeout=0.3, max_retry_seconds=10)
    amazon_sandbox.set_faults("slow=1,slow_seconds=1")
    package = {
        "packageReferenceId": "1",
        "carrierCode": "DHL",
        "trackingNumber": "00340434161094042557",
        "shipDate": "2026-10-02T10:00:00Z",
        "orderItems": [
            {"orderItemId": i["orderItemId"], "quantity": i["quantityOrdered"]}
            for i in order["orderItems"]
        ],
    }
    with pytest.raises(UnavailableError) as info:
        client.confirm_shipment(order["orderId"], order["salesChannel"]["marketplaceId"], package)
    # Amazon did confirm it; resending would have been refused as a duplicate package.
    assert info.value.maybe_processed
    assert len(amazon_sandbox.requests("confirmShipment")) == 1
    assert len(amazon_sandbox.received("confirmations")) == 1


def test_rate_follows_the_x_amzn_ratelimit_limit_header(amazon_sandbox, client, limiter):
    seller = client.quota_owner()
    assert seller == f"{amazon_sandbox.seller_id}@{urlsplit(amazon_sandbox.url).netloc}"
    limiter.observe_rate(seller, "EU", "getOrder", 99.0)
    with pytest.raises(NotFoundError):  # any answer carries the header
        client.get_order("028-0000000-0000000")
    assert limiter.state(seller, "EU", "getOrder")["rate"] == 0.5
