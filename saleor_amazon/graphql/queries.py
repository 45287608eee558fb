"""Read side of the Amazon API."""

import graphene
from django.db.models import Max
from graphql.error import GraphQLError
from saleor.graphql.core.connection import create_connection_slice, filter_connection_queryset
from saleor.graphql.core.fields import FilterConnectionField, PermissionsField
from saleor.graphql.core.utils import from_global_id_or_error

from .. import models
from . import permissions
from .filters import (
    AmazonAccountFilterInput,
    AmazonMarketplaceFilterInput,
    AmazonOfferFilterInput,
    AmazonOrderFilterInput,
)
from .sorters import AmazonAccountSortingInput, AmazonOfferSortingInput, AmazonOrderSortingInput
from .types.accounts import (
    AmazonAccount,
    AmazonAccountCountableConnection,
    AmazonMarketplaceCountableConnection,
)
from .types.offers import AmazonOfferCountableConnection
from .types.orders import AmazonOrder, AmazonOrderCountableConnection


def _connection(info, qs, kwargs, connection_type):
    qs = filter_connection_queryset(qs, kwargs, allow_replica=info.context.allow_replica)
    return create_connection_slice(qs, info, kwargs, connection_type)


class AmazonQueries(graphene.ObjectType):
    amazon_accounts = FilterConnectionField(
        AmazonAccountCountableConnection,
        filter=AmazonAccountFilterInput(),
        sort_by=AmazonAccountSortingInput(),
        description="Connected Amazon seller accounts.",
        permissions=list(permissions.ACCOUNTS),
    )
    amazon_account = PermissionsField(
        AmazonAccount,
        id=graphene.Argument(graphene.ID, required=True),
        description="One Amazon seller account.",
        permissions=list(permissions.ACCOUNTS),
    )
    amazon_marketplaces = FilterConnectionField(
        AmazonMarketplaceCountableConnection,
        filter=AmazonMarketplaceFilterInput(),
        description="Marketplaces of the connected accounts.",
        permissions=list(permissions.ACCOUNTS),
    )
    amazon_orders = FilterConnectionField(
        AmazonOrderCountableConnection,
        filter=AmazonOrderFilterInput(),
        sort_by=AmazonOrderSortingInput(),
        description="Orders imported from Amazon (newest purchase first by default).",
        permissions=list(permissions.ORDERS),
    )
    amazon_order = PermissionsField(
        AmazonOrder,
        id=graphene.Argument(graphene.ID, description="ID of the Amazon order."),
        amazon_order_id=graphene.Argument(graphene.String, description="Amazon's order number."),
        description="One Amazon order, by ID or by Amazon's order number.",
        permissions=list(permissions.ORDERS),
    )
    amazon_offers = FilterConnectionField(
        AmazonOfferCountableConnection,
        filter=AmazonOfferFilterInput(),
        sort_by=AmazonOfferSortingInput(),
        description="Links between Saleor variants and Amazon seller SKUs.",
        permissions=list(permissions.OFFERS),
    )

    @staticmethod
    def resolve_amazon_accounts(_root, info, **kwargs):
        qs = models.AmazonAccount.objects.annotate(
            last_order_check_at=Max("import_cursors__last_success_at")
        )
        return _connection(info, qs, kwargs, AmazonAccountCountableConnection)

    @staticmethod
    def resolve_amazon_account(_root, _info, *, id):
        _, pk = from_global_id_or_error(id, AmazonAccount)
        return models.AmazonAccount.objects.filter(pk=pk).first()

    @staticmethod
    def resolve_amazon_marketplaces(_root, info, **kwargs):
        qs = models.AmazonMarketplace.objects.annotate(
            last_order_check_at=Max("import_cursors__last_success_at")
        )
        return _connection(info, qs, kwargs, AmazonMarketplaceCountableConnection)

    @staticmethod
    def resolve_amazon_orders(_root, info, **kwargs):
        qs = models.AmazonOrder.objects.defer("raw")
        return _connection(info, qs, kwargs, AmazonOrderCountableConnection)

    @staticmethod
    def resolve_amazon_order(_root, _info, *, id=None, amazon_order_id=None):
        if bool(id) == bool(amazon_order_id):
            raise GraphQLError("Give either `id` or `amazonOrderId`.")
        qs = models.AmazonOrder.objects.defer("raw")
        if id:
            _, pk = from_global_id_or_error(id, AmazonOrder)
            return qs.filter(pk=pk).first()
        return qs.filter(amazon_order_id=amazon_order_id.strip()).order_by("-pk").first()

    @staticmethod
    def resolve_amazon_offers(_root, info, **kwargs):
        qs = models.AmazonOffer.objects.all()
        return _connection(info, qs, kwargs, AmazonOfferCountableConnection)
