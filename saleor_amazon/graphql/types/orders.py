"""Amazon orders as stored by the import, with their way to a Saleor order."""

import graphene
from prices import Money
from saleor.graphql.core.connection import CountableConnection
from saleor.graphql.core.scalars import DateTime
from saleor.graphql.core.types import BaseObjectType, ModelObjectType, NonNullList
from saleor.graphql.core.types.money import Money as MoneyType
from saleor.graphql.order.dataloaders import OrderByIdLoader
from saleor.graphql.product.dataloaders import ProductVariantByIdLoader

from ... import models, regions
from ..dataloaders import (
    AccountByIdLoader,
    AcknowledgementByOrderIdLoader,
    CancellationsByOrderIdLoader,
    InvoiceUploadsByOrderIdLoader,
    MarketplaceByIdLoader,
    OrderItemsByOrderIdLoader,
    ShipmentsByOrderIdLoader,
    load,
)
from ..enums import (
    AmazonFulfilledBy,
    AmazonOrderProcessingState,
    AmazonOrderStatus,
    AmazonOrderTab,
)
from .accounts import AccountSummaryFields, account_field, marketplace_field
from .fulfillment import (
    AmazonAcknowledgement,
    AmazonCancellation,
    AmazonInvoiceUpload,
    AmazonShipment,
)
from .references import AmazonSaleorOrder, AmazonSaleorVariant


def _money(field):
    def resolve(root, _info):
        return Money(getattr(root, field), _currency(root))

    return staticmethod(resolve)


def _currency(root) -> str:
    order = root if isinstance(root, models.AmazonOrder) else root.order
    if order.currency:
        return order.currency
    info = regions.marketplace(order.amazon_marketplace_id)
    return info.currency if info else "XXX"


class AmazonAddress(BaseObjectType):
    name = graphene.String()
    company_name = graphene.String()
    address_line1 = graphene.String()
    address_line2 = graphene.String()
    address_line3 = graphene.String()
    city = graphene.String()
    district_or_county = graphene.String()
    state_or_region = graphene.String()
    postal_code = graphene.String()
    country_code = graphene.String()
    phone = graphene.String()

    class Meta:
        description = "An address as Amazon sent it."


class AmazonOrderItem(BaseObjectType):
    order_item_id = graphene.String(required=True)
    asin = graphene.String(required=True)
    seller_sku = graphene.String(required=True)
    title = graphene.String(required=True)
    quantity_ordered = graphene.Int(required=True)
    quantity_shipped = graphene.Int(required=True)
    unit_price = graphene.Field(MoneyType, required=True)
    item_price = graphene.Field(MoneyType, required=True, description="Line total.")
    item_tax = graphene.Field(MoneyType, required=True)
    shipping_price = graphene.Field(MoneyType, required=True)
    shipping_tax = graphene.Field(MoneyType, required=True)
    gift_wrap_price = graphene.Field(MoneyType, required=True)
    gift_wrap_tax = graphene.Field(MoneyType, required=True)
    promotion_discount = graphene.Field(MoneyType, required=True)
    promotion_discount_tax = graphene.Field(MoneyType, required=True)
    facilitator_tax = graphene.Field(
        MoneyType,
        required=True,
        description="Tax Amazon collects and remits itself (marketplace facilitator, IOSS).",
    )
    buyer_cancellation_requested = graphene.Boolean(required=True)
    buyer_cancel_reason = graphene.String(required=True)
    variant = graphene.Field(AmazonSaleorVariant, description="The matched Saleor variant.")
    is_matched = graphene.Boolean(required=True)

    class Meta:
        description = "A line of an Amazon order; amounts are line totals as Amazon reports them."

    resolve_unit_price = _money("unit_price")
    resolve_item_price = _money("item_price")
    resolve_item_tax = _money("item_tax")
    resolve_shipping_price = _money("shipping_price")
    resolve_shipping_tax = _money("shipping_tax")
    resolve_gift_wrap_price = _money("gift_wrap_price")
    resolve_gift_wrap_tax = _money("gift_wrap_tax")
    resolve_promotion_discount = _money("promotion_discount")
    resolve_promotion_discount_tax = _money("promotion_discount_tax")
    resolve_facilitator_tax = _money("facilitator_tax")

    @staticmethod
    def resolve_is_matched(root: models.AmazonOrderItem, _info):
        return root.variant_id is not None

    @staticmethod
    def resolve_variant(root: models.AmazonOrderItem, info):
        return load(ProductVariantByIdLoader, info, root.variant_id)


class AmazonOrder(AccountSummaryFields, ModelObjectType[models.AmazonOrder]):
    id = graphene.GlobalID(required=True)
    amazon_order_id = graphene.String(required=True, description="Amazon's order number.")
    status = AmazonOrderStatus(required=True)
    fulfilled_by = AmazonFulfilledBy(required=True)
    account = account_field(description="Null once the account was removed.")
    marketplace = marketplace_field(description="Null once the account was removed.")
    amazon_marketplace_id = graphene.String(required=True)
    marketplace_code = graphene.String(description="e.g. DE, UK.")
    purchase_date = DateTime()
    last_updated = DateTime(description="When Amazon last changed the order.")
    total = graphene.Field(MoneyType, required=True, description="Order total with shipping.")
    prices_include_tax = graphene.Boolean(required=True)
    buyer_name = graphene.String(required=True)
    buyer_email = graphene.String(
        required=True, description="The buyer's (anonymised relay) e-mail, masked."
    )
    shipping_address = graphene.Field(AmazonAddress)
    payment_method = graphene.String(required=True)
    delivery_method = graphene.String(required=True)
    service_level = graphene.String(required=True)
    tab = AmazonOrderTab(required=True)
    processing_state = AmazonOrderProcessingState(required=True)
    reason = graphene.String(
        required=True, description="Why the order is not (yet) a Saleor order."
    )
    error_code = graphene.String(required=True)
    attempts = graphene.Int(required=True)
    next_retry_at = DateTime()
    saleor_order = graphene.Field(AmazonSaleorOrder)
    buyer_cancellation_requested = graphene.Boolean(required=True)
    needs_attention = graphene.Boolean(required=True)
    attention_reason = graphene.String(required=True)
    items = NonNullList(AmazonOrderItem, required=True)
    created_at = DateTime(required=True)
    updated_at = DateTime(required=True)
    fetched_at = DateTime()
    pii_purged_at = DateTime(description="When buyer data was purged (data protection).")
    shipments = NonNullList(
        AmazonShipment,
        required=True,
        description="Saleor fulfilments reported to Amazon, with Amazon's verdicts.",
    )
    cancellations = NonNullList(
        AmazonCancellation, required=True, description="Cancellations sent (or refused)."
    )
    acknowledgement = graphene.Field(
        AmazonAcknowledgement, description="The acknowledgement, when enabled."
    )
    invoice_uploads = NonNullList(AmazonInvoiceUpload, required=True)

    class Meta:
        description = "An order as Amazon reports it, and its Saleor order once created."
        model = models.AmazonOrder
        interfaces = [graphene.relay.Node]

    resolve_total = _money("total")

    @staticmethod
    def resolve_marketplace_code(root: models.AmazonOrder, _info):
        info = regions.marketplace(root.amazon_marketplace_id)
        return info.code if info else None

    @staticmethod
    def resolve_buyer_email(root: models.AmazonOrder, _info):
        return root.masked_buyer_email

    @staticmethod
    def resolve_shipping_address(root: models.AmazonOrder, _info):
        address = root.address
        if not address:
            return None
        return AmazonAddress(**{key: address.get(camel) for key, camel in _ADDRESS_FIELDS.items()})

    @staticmethod
    def resolve_tab(root: models.AmazonOrder, _info):
        return root.tab

    @staticmethod
    def resolve_processing_state(root: models.AmazonOrder, _info):
        return root.state

    @staticmethod
    def resolve_reason(root: models.AmazonOrder, _info):
        return root.state_reason

    @staticmethod
    def resolve_account(root: models.AmazonOrder, info):
        return load(AccountByIdLoader, info, root.account_id)

    @staticmethod
    def resolve_marketplace(root: models.AmazonOrder, info):
        return load(MarketplaceByIdLoader, info, root.marketplace_id)

    @staticmethod
    def resolve_saleor_order(root: models.AmazonOrder, info):
        return load(OrderByIdLoader, info, root.saleor_order_id)

    @staticmethod
    def resolve_shipments(root: models.AmazonOrder, info):
        return ShipmentsByOrderIdLoader(info.context).load(root.pk)

    @staticmethod
    def resolve_cancellations(root: models.AmazonOrder, info):
        return CancellationsByOrderIdLoader(info.context).load(root.pk)

    @staticmethod
    def resolve_acknowledgement(root: models.AmazonOrder, info):
        return AcknowledgementByOrderIdLoader(info.context).load(root.pk)

    @staticmethod
    def resolve_invoice_uploads(root: models.AmazonOrder, info):
        return InvoiceUploadsByOrderIdLoader(info.context).load(root.pk)

    @staticmethod
    def resolve_items(root: models.AmazonOrder, info):
        def with_order(items):
            for item in items:
                item.order = root  # the currency of its amounts, without a query each
            return items

        return OrderItemsByOrderIdLoader(info.context).load(root.pk).then(with_order)


_ADDRESS_FIELDS = {
    "name": "name",
    "company_name": "companyName",
    "address_line1": "addressLine1",
    "address_line2": "addressLine2",
    "address_line3": "addressLine3",
    "city": "city",
    "district_or_county": "districtOrCounty",
    "state_or_region": "stateOrRegion",
    "postal_code": "postalCode",
    "country_code": "countryCode",
    "phone": "phone",
}


class AmazonOrderCountableConnection(CountableConnection):
    class Meta:
        node = AmazonOrder
