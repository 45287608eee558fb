"""The Amazon GraphQL schema (graphene 2, as Saleor's own)."""

import graphene

from .mutations.accounts import AmazonAccountConnect, AmazonAccountCreate, AmazonAccountDelete
from .mutations.fulfillment import (
    AmazonCancellationRetry,
    AmazonInvoiceUploadRetry,
    AmazonShipmentRetry,
)
from .mutations.listings import AmazonListingsImport, AmazonOfferUpdate, AmazonProductsSend
from .mutations.marketplaces import AmazonMarketplaceUpdate
from .mutations.offers import AmazonOfferLink, AmazonOfferUnlink
from .mutations.orders import AmazonOrderRecover, AmazonOrdersCreate, AmazonOrdersFetch
from .queries import AmazonQueries
from .queries_listings import AmazonListingsQueries


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
    amazon_offer_update = AmazonOfferUpdate.Field()
    amazon_products_send = AmazonProductsSend.Field()
    amazon_listings_import = AmazonListingsImport.Field()
    amazon_shipment_retry = AmazonShipmentRetry.Field()
    amazon_cancellation_retry = AmazonCancellationRetry.Field()
    amazon_invoice_upload_retry = AmazonInvoiceUploadRetry.Field()


class Query(AmazonQueries, AmazonListingsQueries):
    pass


class Mutation(AmazonMutations):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
