"""What the shop reported back to Amazon about an order, and Amazon's verdict."""

import graphene
from saleor.graphql.core.scalars import DateTime
from saleor.graphql.core.types import BaseObjectType, ModelObjectType, NonNullList
from saleor.graphql.order.dataloaders import FulfillmentByIdLoader, OrderByIdLoader

from ...fulfillment import models
from .. import permissions
from ..dataloaders import FeedByIdLoader, load
from ..enums import AmazonReportState, AmazonShipmentState
from .feeds import AmazonFeed

FEED_PERMISSION = "Needs what amazonFeed needs for the feed (MANAGE_ORDERS for order feeds)."


def _feed(root, info):
    return load(FeedByIdLoader, info, root.feed_id).then(
        lambda feed: permissions.check_feed(info.context, feed)
    )


class AmazonShipmentItem(BaseObjectType):
    order_item_id = graphene.String(required=True, description="Amazon's order item id.")
    quantity = graphene.Int(required=True)

    class Meta:
        description = "An Amazon order item and the units of it in a package."


class AmazonSaleorFulfillment(BaseObjectType):
    id = graphene.ID(required=True, description="Saleor's global ID of the fulfilment.")
    number = graphene.String(required=True, description="e.g. 1042-1, as staff see it.")
    status = graphene.String(required=True, description="Saleor's fulfilment status.")
    tracking_number = graphene.String(required=True)

    class Meta:
        description = "The Saleor fulfilment a shipment reports."

    @staticmethod
    def resolve_id(root, _info):
        return graphene.Node.to_global_id("Fulfillment", root.pk)

    @staticmethod
    def resolve_number(root, info):
        # Saleor's composed_id (``<order number>-<fulfilment order>``), with the order batched.
        return load(OrderByIdLoader, info, root.order_id).then(
            lambda order: f"{order.number}-{root.fulfillment_order}"
        )


class AmazonShipment(ModelObjectType[models.AmazonShipment]):
    id = graphene.GlobalID(required=True)
    state = AmazonShipmentState(required=True)
    package_reference_id = graphene.String(
        required=True, description="Stable per fulfilment: Amazon confirms a package once."
    )
    items = NonNullList(AmazonShipmentItem, required=True)
    tracking_number = graphene.String(required=True)
    carrier_code = graphene.String(required=True, description="Amazon's carrier code.")
    carrier_name = graphene.String(required=True)
    shipping_method = graphene.String(required=True, description="Saleor's shipping method.")
    ship_date = DateTime()
    fulfillment = graphene.Field(AmazonSaleorFulfillment)
    error = graphene.String(
        required=True, description="Amazon's (or the plugin's) reason when failed or retrying."
    )
    error_code = graphene.String(required=True)
    notice = graphene.String(
        required=True, description="Something staff should know (e.g. tracking changed later)."
    )
    attempts = graphene.Int(required=True)
    next_retry_at = DateTime()
    wait_for_tracking_until = DateTime()
    feed = graphene.Field(
        AmazonFeed, description=f"The fulfilment feed (sent without tracking). {FEED_PERMISSION}"
    )
    confirmed_at = DateTime()
    created_at = DateTime(required=True)
    updated_at = DateTime(required=True)

    class Meta:
        description = "A Saleor fulfilment reported to Amazon as one package."
        model = models.AmazonShipment
        interfaces = [graphene.relay.Node]

    @staticmethod
    def resolve_fulfillment(root, info):
        return load(FulfillmentByIdLoader, info, root.fulfillment_id)

    @staticmethod
    def resolve_feed(root, info):
        return _feed(root, info) if root.feed_id else None

    @staticmethod
    def resolve_items(root, _info):
        return [
            AmazonShipmentItem(order_item_id=item["orderItemId"], quantity=item["quantity"])
            for item in root.items or []
        ]


class _ReportFields:
    state = AmazonReportState(required=True)
    message = graphene.String(required=True, description="Amazon's verdict or the reason.")
    attempts = graphene.Int(required=True)
    next_retry_at = DateTime()
    feed = graphene.Field(AmazonFeed, description=f"The feed it was sent in. {FEED_PERMISSION}")
    created_at = DateTime(required=True)
    updated_at = DateTime(required=True)

    @staticmethod
    def resolve_feed(root, info):
        return _feed(root, info) if root.feed_id else None


class AmazonCancellationItem(BaseObjectType):
    order_item_id = graphene.String(required=True)
    reason = graphene.String(required=True)

    class Meta:
        description = "An Amazon order item cancelled, with Amazon's cancellation reason."


class AmazonCancellation(_ReportFields, ModelObjectType[models.AmazonCancellation]):
    id = graphene.GlobalID(required=True)
    reason = graphene.String(required=True)
    items = NonNullList(AmazonCancellationItem, required=True)
    whole_order = graphene.Boolean(required=True)

    class Meta:
        description = "A cancellation of an Amazon order or some of its items (or a refusal)."
        model = models.AmazonCancellation
        interfaces = [graphene.relay.Node]

    @staticmethod
    def resolve_items(root, _info):
        return [
            AmazonCancellationItem(
                order_item_id=item.get("orderItemId", ""), reason=item.get("reason", "")
            )
            for item in root.items or []
        ]

    @staticmethod
    def resolve_whole_order(root, _info):
        return root.key == "order"


class AmazonAcknowledgement(_ReportFields, ModelObjectType[models.AmazonAcknowledgement]):
    id = graphene.GlobalID(required=True)
    merchant_order_id = graphene.String(required=True, description="The Saleor order number.")

    class Meta:
        description = "The order acknowledged to Amazon with the Saleor order number."
        model = models.AmazonAcknowledgement
        interfaces = [graphene.relay.Node]


class AmazonInvoiceUpload(_ReportFields, ModelObjectType[models.AmazonInvoiceUpload]):
    id = graphene.GlobalID(required=True)
    invoice_number = graphene.String(required=True)
    invoice_id = graphene.ID(description="Saleor's global ID of the invoice.")

    class Meta:
        description = "A Saleor invoice uploaded to Amazon."
        model = models.AmazonInvoiceUpload
        interfaces = [graphene.relay.Node]

    @staticmethod
    def resolve_invoice_id(root, _info):
        return graphene.Node.to_global_id("Invoice", root.invoice_id) if root.invoice_id else None
