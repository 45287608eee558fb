"""Offers: the links between Saleor variants and Amazon seller SKUs."""

import graphene
from prices import Money
from saleor.graphql.core.connection import CountableConnection
from saleor.graphql.core.scalars import DateTime
from saleor.graphql.core.types import BaseObjectType, ModelObjectType, NonNullList
from saleor.graphql.core.types.money import Money as MoneyType
from saleor.graphql.product.dataloaders import ProductVariantByIdLoader

from ... import models
from ..dataloaders import AccountByIdLoader, MarketplaceByIdLoader, load
from ..enums import AmazonOfferSyncState
from .accounts import AccountSummaryFields, account_field, marketplace_field
from .references import AmazonSaleorVariant


class AmazonOfferIssue(BaseObjectType):
    code = graphene.String()
    severity = graphene.String()
    message = graphene.String()

    class Meta:
        description = "An issue Amazon reported for an offer."


class AmazonOffer(AccountSummaryFields, ModelObjectType[models.AmazonOffer]):
    id = graphene.GlobalID(required=True)
    variant = graphene.Field(AmazonSaleorVariant, description="Null when unlinked.")
    account = account_field(description="The seller account.")
    marketplace = marketplace_field(description="The marketplace.")
    seller_sku = graphene.String(required=True)
    asin = graphene.String(required=True)
    condition = graphene.String(required=True)
    price = graphene.Field(MoneyType, description="Price override; null: Saleor's price.")
    quantity = graphene.Int(description="Quantity override; null: Saleor's stock.")
    handling_time = graphene.Int(description="Handling time override in days.")
    sync_state = AmazonOfferSyncState(required=True)
    last_issues = NonNullList(AmazonOfferIssue, required=True)
    last_sent_at = DateTime()
    created_at = DateTime(required=True)
    updated_at = DateTime(required=True)

    class Meta:
        description = "A Saleor variant offered under a seller SKU on an Amazon marketplace."
        model = models.AmazonOffer
        interfaces = [graphene.relay.Node]

    @staticmethod
    def resolve_variant(root: models.AmazonOffer, info):
        return load(ProductVariantByIdLoader, info, root.variant_id)

    @staticmethod
    def resolve_account(root: models.AmazonOffer, info):
        return load(AccountByIdLoader, info, root.account_id)

    @staticmethod
    def resolve_marketplace(root: models.AmazonOffer, info):
        return load(MarketplaceByIdLoader, info, root.marketplace_id)

    @staticmethod
    def resolve_price(root: models.AmazonOffer, info):
        if root.price is None:
            return None
        return load(MarketplaceByIdLoader, info, root.marketplace_id).then(
            lambda marketplace: Money(root.price, marketplace.currency)
        )

    @staticmethod
    def resolve_last_issues(root: models.AmazonOffer, _info):
        return [
            AmazonOfferIssue(
                code=issue.get("code"), severity=issue.get("severity"), message=issue.get("message")
            )
            for issue in root.last_issues or []
            if isinstance(issue, dict)
        ]


class AmazonOfferCountableConnection(CountableConnection):
    class Meta:
        node = AmazonOffer
