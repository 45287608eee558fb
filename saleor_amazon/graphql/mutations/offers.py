"""Link and unlink Saleor variants and Amazon seller SKUs."""

import graphene
from saleor.graphql.core.types import BaseInputObjectType
from saleor.product.models import ProductVariant

from ...accounts import offers
from .. import permissions
from ..errors import AmazonError
from ..types.accounts import AmazonMarketplace
from ..types.offers import AmazonOffer
from .base import AmazonMutation, saleor_object


class AmazonOfferLinkInput(BaseInputObjectType):
    variant = graphene.ID(required=True, description="Saleor product variant.")
    marketplace = graphene.ID(required=True, description="Amazon marketplace (of an account).")
    seller_sku = graphene.String(description="Amazon seller SKU (default: the variant's SKU).")
    asin = graphene.String(description="The ASIN the offer is listed on.")


class AmazonOfferLink(AmazonMutation):
    offer = graphene.Field(AmazonOffer)

    class Arguments:
        input = AmazonOfferLinkInput(required=True)

    class Meta:
        description = (
            "Link a Saleor variant to an Amazon seller SKU on a marketplace; order lines with "
            "that SKU then match the variant. Run amazonOrdersCreate to convert held orders."
        )
        permissions = permissions.OFFERS
        error_type_class = AmazonError

    @classmethod
    def perform_mutation(cls, _root, info, /, *, input):
        marketplace = cls.get_node_or_error(
            info, input["marketplace"], field="marketplace", only_type=AmazonMarketplace
        )
        variant = saleor_object(
            input["variant"], ("ProductVariant",), ProductVariant.objects.all(), "variant"
        )
        offer = offers.link_offer(
            variant=variant,
            marketplace=marketplace,
            seller_sku=input.get("seller_sku"),
            asin=input.get("asin"),
        )
        return cls(offer=offer)


class AmazonOfferUnlink(AmazonMutation):
    offer = graphene.Field(AmazonOffer)

    class Arguments:
        id = graphene.ID(required=True, description="The offer to unlink from its variant.")

    class Meta:
        description = "Unlink an offer from its Saleor variant (the offer itself is kept)."
        permissions = permissions.OFFERS
        error_type_class = AmazonError

    @classmethod
    def perform_mutation(cls, _root, info, /, *, id):
        offer = cls.get_node_or_error(info, id, only_type=AmazonOffer)
        return cls(offer=offers.unlink_offer(offer))
