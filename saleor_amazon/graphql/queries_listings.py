"""Read side of offers and listings feeds (MANAGE_PRODUCTS)."""

import django_filters
import graphene
from saleor.graphql.core.connection import create_connection_slice, filter_connection_queryset
from saleor.graphql.core.fields import FilterConnectionField, PermissionsField
from saleor.graphql.core.filters import (
    FilterInputObjectType,
    GlobalIDMultipleChoiceFilter,
    ListObjectTypeFilter,
)
from saleor.graphql.core.utils import from_global_id_or_error
from saleor.graphql.utils import resolve_global_ids_to_primary_keys

from .. import models
from . import permissions
from .types.feeds import AmazonFeed, AmazonFeedCountableConnection, AmazonFeedStatus
from .types.offers import AmazonOffer


def _filter_marketplaces(qs, _name, value):
    if not value:
        return qs
    _, pks = resolve_global_ids_to_primary_keys(value, "AmazonMarketplace", raise_error=True)
    return qs.filter(marketplace_id__in=pks)


def _filter_status(qs, _name, value):
    return qs.filter(status__in=value) if value else qs


class AmazonFeedFilter(django_filters.FilterSet):
    marketplaces = GlobalIDMultipleChoiceFilter(method=_filter_marketplaces)
    status = ListObjectTypeFilter(input_class=AmazonFeedStatus, method=_filter_status)
    feed_type = django_filters.CharFilter(field_name="feed_type")

    class Meta:
        model = models.AmazonFeed
        fields = ["marketplaces", "status", "feed_type"]


class AmazonFeedFilterInput(FilterInputObjectType):
    class Meta:
        filterset_class = AmazonFeedFilter


class AmazonListingsQueries(graphene.ObjectType):
    amazon_offer = PermissionsField(
        AmazonOffer,
        id=graphene.Argument(graphene.ID, required=True),
        description="One offer, with its sync state and Amazon's last issues.",
        permissions=list(permissions.OFFERS),
    )
    amazon_feeds = FilterConnectionField(
        AmazonFeedCountableConnection,
        filter=AmazonFeedFilterInput(),
        description=(
            "Feeds sent to Amazon, newest first: the order feeds (acknowledgements, "
            "cancellations, fulfilments, invoices) with MANAGE_ORDERS, the listings feeds "
            "with MANAGE_PRODUCTS."
        ),
        permissions=list(permissions.FEEDS),
    )
    amazon_feed = PermissionsField(
        AmazonFeed,
        id=graphene.Argument(graphene.ID, required=True),
        description=(
            "One feed with Amazon's processing report: an order feed needs MANAGE_ORDERS, "
            "a listings feed MANAGE_PRODUCTS."
        ),
        permissions=list(permissions.FEEDS),
    )

    @staticmethod
    def resolve_amazon_offer(_root, _info, *, id):
        _, pk = from_global_id_or_error(id, AmazonOffer)
        return models.AmazonOffer.objects.filter(pk=pk).first()

    @staticmethod
    def resolve_amazon_feeds(_root, info, **kwargs):
        qs = models.AmazonFeed.objects.filter(permissions.visible_feeds(info.context)).defer(
            "sent_messages"
        )
        qs = filter_connection_queryset(qs, kwargs, allow_replica=info.context.allow_replica)
        return create_connection_slice(qs, info, kwargs, AmazonFeedCountableConnection)

    @staticmethod
    def resolve_amazon_feed(_root, info, *, id):
        _, pk = from_global_id_or_error(id, AmazonFeed)
        feed = models.AmazonFeed.objects.defer("sent_messages").filter(pk=pk).first()
        return permissions.check_feed(info.context, feed)
