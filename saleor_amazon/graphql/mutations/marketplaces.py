"""Configure a marketplace: activation, channel, warehouse, shipping and import policies."""

import graphene
from saleor.channel.models import Channel
from saleor.graphql.core.scalars import DateTime
from saleor.graphql.core.types import BaseInputObjectType, NonNullList
from saleor.product.models import ProductVariant
from saleor.shipping.models import ShippingMethod
from saleor.warehouse.models import Warehouse

from ...accounts.marketplaces import update_marketplace
from .. import permissions
from ..enums import AmazonCustomerPolicy, AmazonServiceLevel, AmazonUnmatchedLinePolicy
from ..errors import AmazonError
from ..types.accounts import AmazonMarketplace, marketplace_field
from .base import AmazonMutation, saleor_object


class AmazonShippingMethodMappingInput(BaseInputObjectType):
    service_level = AmazonServiceLevel(required=True)
    shipping_method = graphene.ID(
        description="Saleor shipping method (ShippingMethodType ID); null removes the mapping."
    )


class AmazonMarketplaceUpdateInput(BaseInputObjectType):
    is_active = graphene.Boolean(description="Import and sync this marketplace.")
    channel = graphene.ID(
        description="Saleor channel (its currency must be the marketplace's currency)."
    )
    default_warehouse = graphene.ID(
        description="Warehouse that stocks merchant-fulfilled orders; must be in the channel."
    )
    import_orders = graphene.Boolean(description="Import this marketplace's orders.")
    import_since = DateTime(description="Do not import orders purchased before this.")
    prices_include_tax = graphene.Boolean(description="Amazon's prices include VAT.")
    unmatched_line_policy = AmazonUnmatchedLinePolicy()
    placeholder_variant = graphene.ID(
        description="Variant used for unmatched lines under the PLACEHOLDER policy."
    )
    customer_policy = AmazonCustomerPolicy()
    shipping_methods = NonNullList(
        AmazonShippingMethodMappingInput,
        description="Shipping method per Amazon service level (merged into the mapping).",
    )


class AmazonMarketplaceUpdate(AmazonMutation):
    marketplace = marketplace_field(description="The marketplace.")

    class Arguments:
        id = graphene.ID(required=True)
        input = AmazonMarketplaceUpdateInput(required=True)

    class Meta:
        description = "Configure an Amazon marketplace."
        permissions = permissions.ACCOUNTS
        error_type_class = AmazonError

    @classmethod
    def perform_mutation(cls, _root, info, /, *, id, input):
        marketplace = cls.get_node_or_error(info, id, only_type=AmazonMarketplace)
        changes = {}
        for field in (
            "is_active",
            "import_orders",
            "import_since",
            "prices_include_tax",
            "unmatched_line_policy",
            "customer_policy",
        ):
            if field in input and (input[field] is not None or field == "import_since"):
                changes[field] = input[field]
        related = {
            "channel": (("Channel",), Channel.objects.all(), "channel"),
            "default_warehouse": (("Warehouse",), Warehouse.objects.all(), "defaultWarehouse"),
            "placeholder_variant": (
                ("ProductVariant",),
                ProductVariant.objects.all(),
                "placeholderVariant",
            ),
        }
        for field, (types, queryset, name) in related.items():
            if field in input:
                changes[field] = saleor_object(input[field], types, queryset, name)
        if input.get("shipping_methods") is not None:
            changes["shipping_methods"] = {
                item["service_level"]: saleor_object(
                    item.get("shipping_method"),
                    ("ShippingMethodType", "ShippingMethod"),
                    ShippingMethod.objects.all(),
                    "shippingMethods",
                )
                for item in input["shipping_methods"]
            }
        update_marketplace(marketplace, changes)
        return cls(marketplace=marketplace)
