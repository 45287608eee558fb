"""Amazon's verdicts on what the shop reported, in the GraphQL API, and staff's retries."""

import graphene
import pytest
from saleor.permission.enums import OrderPermissions, ProductPermissions

from saleor_amazon.fulfillment.models import (
    AmazonCancellation,
    AmazonInvoiceUpload,
    AmazonShipment,
    FeedRecordState,
    ShipmentState,
)
from tests.fulfillment.test_cancellation import cancel  # noqa: F401
from tests.fulfillment.test_invoices import send  # noqa: F401
from tests.graphql.conftest import amazon_api  # noqa: F401
from tests.graphql.matrix import check_permission, permission_cases

MANAGE_ORDERS = OrderPermissions.MANAGE_ORDERS

ORDER = """
query ($id: ID!) {
  amazonOrder(id: $id) {
    shipments {
      id state packageReferenceId items { orderItemId quantity } trackingNumber carrierCode
      carrierName shipDate error errorCode attempts confirmedAt
      fulfillment { id number status trackingNumber }
    }
    cancellations { id state message wholeOrder items { orderItemId reason } }
    acknowledgement { state merchantOrderId }
    invoiceUploads { id state message invoiceNumber invoiceId feed { amazonFeedId } }
  }
}
"""

SHIPMENT_RETRY = """
mutation ($id: ID!) {
  amazonShipmentRetry(id: $id) {
    shipment { state error attempts }
    errors { field code message }
  }
}
"""
CANCELLATION_RETRY = """
mutation ($id: ID!) {
  amazonCancellationRetry(id: $id) { cancellation { state } errors { field code message } }
}
"""
INVOICE_RETRY = """
mutation ($id: ID!) {
  amazonInvoiceUploadRetry(id: $id) {
    invoiceUpload { state message } errors { field code message }
  }
}
"""


def gid(obj, type_name=None):
    return graphene.Node.to_global_id(type_name or type(obj).__name__, obj.pk)


@pytest.fixture
def api(amazon_api):  # noqa: F811
    return amazon_api("staff").grant(MANAGE_ORDERS)


def _order(api, amazon):
    content = api.post_graphql(ORDER, {"id": gid(amazon, "AmazonOrder")}).json()
    assert not content.get("errors"), content
    return content["data"]["amazonOrder"]


def test_a_refused_shipment_shows_amazons_error_and_is_retried_by_staff(
    api, amazon_sandbox, amazon_orders, fulfil
):
    (amazon,) = amazon_orders(1, seed="gql-retry")
    amazon_sandbox.set_order_status(amazon.amazon_order_id, "PENDING")
    fulfillment = fulfil(amazon.saleor_order, tracking="JJD000390007")

    (shown,) = _order(api, amazon)["shipments"]
    assert shown["state"] == "FAILED"
    assert shown["error"].startswith("Amazon refused")
    assert shown["errorCode"]
    assert shown["packageReferenceId"] == str(fulfillment.pk)
    assert shown["trackingNumber"] == "JJD000390007"
    assert shown["fulfillment"]["number"] == fulfillment.composed_id
    assert shown["fulfillment"]["id"] == gid(fulfillment, "Fulfillment")
    items = {i.order_item_id: i.quantity_ordered for i in amazon.items.all()}
    assert {i["orderItemId"]: i["quantity"] for i in shown["items"]} == items

    # The cause goes away (Amazon moves the order on); staff retries from the Dashboard.
    amazon_sandbox.set_order_status(amazon.amazon_order_id, "UNSHIPPED")
    payload = api.post_graphql(SHIPMENT_RETRY, {"id": shown["id"]}).json()["data"][
        "amazonShipmentRetry"
    ]

    # Queued at once; sent after the request's commit.
    assert payload["errors"] == []
    assert payload["shipment"]["state"] == "PENDING"
    assert payload["shipment"]["error"] == ""
    assert len(amazon_sandbox.received("confirmations")) == 1
    (shown,) = _order(api, amazon)["shipments"]
    assert shown["state"] == "CONFIRMED"
    assert shown["confirmedAt"]

    # A confirmed shipment is not sent twice.
    payload = api.post_graphql(SHIPMENT_RETRY, {"id": shown["id"]}).json()["data"][
        "amazonShipmentRetry"
    ]
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("id", "NOT_RETRYABLE")]
    assert len(amazon_sandbox.received("confirmations")) == 1


def test_a_pending_shipment_waiting_for_its_retry_is_sent_now(
    api, amazon_sandbox, amazon_orders, fulfil
):
    from datetime import timedelta

    from django.utils import timezone

    (amazon,) = amazon_orders(1, seed="gql-now")
    fulfillment = fulfil(amazon.saleor_order, tracking="JJD000390008")
    shipment = AmazonShipment.objects.get(fulfillment=fulfillment)
    # As after a throttled attempt: pending, with its next retry in an hour.
    AmazonShipment.objects.filter(pk=shipment.pk).update(
        state=ShipmentState.PENDING, next_retry_at=timezone.now() + timedelta(hours=1)
    )
    before = len(amazon_sandbox.received("confirmations"))

    payload = api.post_graphql(SHIPMENT_RETRY, {"id": gid(shipment)}).json()["data"][
        "amazonShipmentRetry"
    ]

    assert payload["errors"] == []
    assert AmazonShipment.objects.get(pk=shipment.pk).state == ShipmentState.CONFIRMED
    # Amazon already had the package: recognised, not confirmed twice.
    assert len(amazon_sandbox.received("confirmations")) == before


def test_a_shipment_waiting_for_tracking_is_not_retried(api, amazon_sandbox, amazon_orders, fulfil):
    (amazon,) = amazon_orders(1, seed="gql-wait")
    fulfillment = fulfil(amazon.saleor_order, tracking="")
    shipment = AmazonShipment.objects.get(fulfillment=fulfillment)
    assert shipment.state == ShipmentState.WAITING_FOR_TRACKING

    payload = api.post_graphql(SHIPMENT_RETRY, {"id": gid(shipment)}).json()["data"][
        "amazonShipmentRetry"
    ]

    assert payload["errors"][0]["code"] == "NOT_RETRYABLE"
    assert "tracking number" in payload["errors"][0]["message"]
    assert amazon_sandbox.received("confirmations") == []


def test_a_refused_cancellation_is_shown_and_final(
    api,
    amazon_sandbox,
    amazon_orders,
    fulfil,
    cancel,  # noqa: F811
):
    (amazon,) = amazon_orders(1, seed="gql-cancel")
    fulfil(amazon.saleor_order, tracking="JJD000390009")
    cancel(amazon.saleor_order)

    (shown,) = _order(api, amazon)["cancellations"]
    assert shown["state"] == "REFUSED"
    assert "use a return" in shown["message"]
    assert shown["wholeOrder"] is True

    payload = api.post_graphql(CANCELLATION_RETRY, {"id": shown["id"]}).json()["data"][
        "amazonCancellationRetry"
    ]
    assert payload["errors"][0]["code"] == "NOT_RETRYABLE"
    assert AmazonCancellation.objects.get().state == FeedRecordState.REFUSED
    assert amazon_sandbox.received("feeds") == []


def test_a_failed_cancellation_is_sent_again(
    api,
    amazon_sandbox,
    amazon_orders,
    cancel,  # noqa: F811
):
    (amazon,) = amazon_orders(1, seed="gql-cancel-retry")
    cancel(amazon.saleor_order)
    record = AmazonCancellation.objects.get(amazon_order=amazon)
    sent = len(amazon_sandbox.received("feeds"))
    assert sent == 1
    # As if Amazon had refused the feed: staff sends it again.
    AmazonCancellation.objects.filter(pk=record.pk).update(
        state=FeedRecordState.FAILED, message="Amazon refused the feed: 400", attempts=3
    )

    payload = api.post_graphql(CANCELLATION_RETRY, {"id": gid(record)}).json()["data"][
        "amazonCancellationRetry"
    ]

    assert payload["errors"] == []
    record.refresh_from_db()
    assert record.state == FeedRecordState.SUBMITTED
    assert record.attempts == 1
    assert len(amazon_sandbox.received("feeds")) == sent + 1


def test_an_invoice_upload_without_file_is_shown_and_retried_after_the_fix(
    api,
    amazon_sandbox,
    amazon_orders,
    send,  # noqa: F811
):
    from django.core.files.base import ContentFile

    from tests.fulfillment.test_invoices import PDF

    (amazon,) = amazon_orders(1, seed="gql-invoice", marketplaces=("DE",))
    invoice = send(amazon.saleor_order, content=None)

    (shown,) = _order(api, amazon)["invoiceUploads"]
    assert shown["state"] == "FAILED"
    assert "no file" in shown["message"]
    assert shown["invoiceNumber"] == invoice.number
    assert shown["invoiceId"] == gid(invoice, "Invoice")

    invoice.invoice_file.save("invoice.pdf", ContentFile(PDF))
    payload = api.post_graphql(INVOICE_RETRY, {"id": shown["id"]}).json()["data"][
        "amazonInvoiceUploadRetry"
    ]

    assert payload["errors"] == []
    assert payload["invoiceUpload"]["state"] == "PENDING"  # uploaded after the commit
    assert AmazonInvoiceUpload.objects.get().state == FeedRecordState.SUBMITTED
    (shown,) = _order(api, amazon)["invoiceUploads"]
    assert shown["feed"]["amazonFeedId"]
    assert len(amazon_sandbox.received("feeds")) == 1


@pytest.fixture
def objects(amazon_sandbox, amazon_orders, fulfil):
    (amazon,) = amazon_orders(1, seed="gql-perms")
    fulfillment = fulfil(amazon.saleor_order, tracking="JJD000390010")
    shipment = AmazonShipment.objects.get(fulfillment=fulfillment)
    cancellation = AmazonCancellation.objects.create(
        amazon_order=amazon, key="order", state=FeedRecordState.FAILED
    )
    upload = AmazonInvoiceUpload.objects.create(
        amazon_order=amazon, invoice_number="X", state=FeedRecordState.DONE
    )
    return {
        "order": gid(amazon, "AmazonOrder"),
        "shipment": gid(shipment),
        "cancellation": gid(cancellation),
        "upload": gid(upload),
    }


OPERATIONS = {
    "amazonOrder": (
        """query ($order: ID!) { amazonOrder(id: $order) {
             shipments { id } cancellations { id } acknowledgement { id } invoiceUploads { id }
           } }""",
        ["order"],
    ),
    "amazonShipmentRetry": (
        "mutation ($shipment: ID!) { amazonShipmentRetry(id: $shipment) { errors { code } } }",
        ["shipment"],
    ),
    "amazonCancellationRetry": (
        """mutation ($cancellation: ID!) { amazonCancellationRetry(id: $cancellation) {
             errors { code } } }""",
        ["cancellation"],
    ),
    "amazonInvoiceUploadRetry": (
        """mutation ($upload: ID!) { amazonInvoiceUploadRetry(id: $upload) {
             errors { code } } }""",
        ["upload"],
    ),
}


@pytest.mark.parametrize(
    ("name", "role", "granted", "allowed"),
    list(permission_cases(OPERATIONS, MANAGE_ORDERS, ProductPermissions.MANAGE_PRODUCTS)),
)
def test_permissions(amazon_api, objects, name, role, granted, allowed):  # noqa: F811
    # (The shipment is confirmed and the upload done: the retries refuse them, which is
    # their answer once the permission let them through.)
    check_permission(
        amazon_api, OPERATIONS, objects, name, role, granted, allowed, business_errors=True
    )
