"""The Amazon GraphQL schema (graphene 2, as Saleor's own)."""

import graphene

from .mutations.accounts import AmazonAccountConnect, AmazonAccountCreate, AmazonAccountDelete
from .mutations.marketplaces import AmazonMarketplaceUpdate
from .mutations.offers import AmazonOfferLink, AmazonOfferUnlink
from .mutations.orders import AmazonOrderRecover, AmazonOrdersCreate, AmazonOrdersFetch
from .queries import AmazonQueries


class AmazonMutations(graphene.ObjectType):
    amazon_account_connect = AmazonAccountConnect.Field()
    amazon_account_create = AmazonAccountCreate.Field()
    amazon_account_delete = AmazonAccountDelete.Field()
    amazon_marketplace_update = AmazonMarketplaceUpdate.Field()
    amazon_orders_fetch = AmazonOrdersFetch.Field()
    amazon_order_recover = AmazonOrderRecover.Field()
    amazon_orders_create = AmazonOrdersCreate.Field()
    amazon_offer_link = AmazonOfferLink.Field()
    amazon_offer_unlink = AmazonOfferUnlink.Field()


class Query(AmazonQueries):
    pass


class Mutation(AmazonMutations):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
