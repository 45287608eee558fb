"""Small views of Saleor objects, identified by Saleor's own global IDs.

The Amazon schema does not embed Saleor's types (that would pull in most of
Saleor's schema); these carry what the Amazon screens show plus the ID to use
with Saleor's API.
"""

import graphene
from saleor.graphql.core.types import BaseObjectType
from saleor.graphql.product.dataloaders import ProductByIdLoader


def _global_id(type_name):
    def resolve(root, _info):
        return graphene.Node.to_global_id(type_name, root.pk)

    return resolve


class AmazonSaleorChannel(BaseObjectType):
    id = graphene.ID(required=True, description="Saleor's global ID of the channel.")
    slug = graphene.String(required=True)
    name = graphene.String(required=True)
    currency_code = graphene.String(required=True)

    class Meta:
        description = "A Saleor channel an Amazon marketplace is mapped to."

    resolve_id = staticmethod(_global_id("Channel"))


class AmazonSaleorWarehouse(BaseObjectType):
    id = graphene.ID(required=True, description="Saleor's global ID of the warehouse.")
    slug = graphene.String(required=True)
    name = graphene.String(required=True)

    class Meta:
        description = "A Saleor warehouse."

    resolve_id = staticmethod(_global_id("Warehouse"))


class AmazonSaleorVariant(BaseObjectType):
    id = graphene.ID(required=True, description="Saleor's global ID of the product variant.")
    sku = graphene.String()
    name = graphene.String(required=True)
    product_name = graphene.String(required=True)

    class Meta:
        description = "A Saleor product variant."

    resolve_id = staticmethod(_global_id("ProductVariant"))

    @staticmethod
    def resolve_product_name(root, info):
        return ProductByIdLoader(info.context).load(root.product_id).then(lambda p: p.name)


class AmazonSaleorShippingMethod(BaseObjectType):
    id = graphene.ID(required=True, description="Saleor's global ID of the shipping method.")
    name = graphene.String(required=True)

    class Meta:
        description = "A Saleor shipping method."

    resolve_id = staticmethod(_global_id("ShippingMethodType"))


class AmazonSaleorOrder(BaseObjectType):
    id = graphene.ID(required=True, description="Saleor's global ID of the order.")
    number = graphene.String(required=True, description="The order number staff see.")
    status = graphene.String(required=True, description="Saleor's order status.")

    class Meta:
        description = "The Saleor order created from an Amazon order."

    resolve_id = staticmethod(_global_id("Order"))

    @staticmethod
    def resolve_number(root, _info):
        return str(root.number)
