"""Filter inputs of the Amazon list queries (django-filter, as Saleor's own lists)."""

import django_filters
import graphene
from django.db.models import Q
from saleor.graphql.core.filters import (
    EnumFilter,
    FilterInputObjectType,
    GlobalIDMultipleChoiceFilter,
    ListObjectTypeFilter,
    ObjectTypeFilter,
)
from saleor.graphql.core.types import DateTimeRangeInput
from saleor.graphql.utils import resolve_global_ids_to_primary_keys
from saleor.graphql.utils.filters import filter_range_field

from .. import models
from .enums import (
    AmazonAccountStatus,
    AmazonFulfilledBy,
    AmazonOfferSyncState,
    AmazonOrderProcessingState,
    AmazonOrderStatus,
    AmazonOrderTab,
    AmazonRegion,
)


def _by_ids(type_name, lookup):
    def method(qs, _name, value):
        if not value:
            return qs
        _, pks = resolve_global_ids_to_primary_keys(value, type_name, raise_error=True)
        return qs.filter(**{f"{lookup}__in": pks})

    return method


def _in_values(lookup):
    def method(qs, _name, value):
        return qs.filter(**{f"{lookup}__in": value}) if value else qs

    return method


def _equals(lookup):
    def method(qs, _name, value):
        return qs.filter(**{lookup: value}) if value not in (None, "") else qs

    return method


def filter_account_search(qs, _name, value):
    if not value:
        return qs
    return qs.filter(Q(name__icontains=value) | Q(seller_id__icontains=value))


class AmazonAccountFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method=filter_account_search)
    status = EnumFilter(input_class=AmazonAccountStatus, method=_equals("status"))
    region = EnumFilter(input_class=AmazonRegion, method=_equals("region"))

    class Meta:
        model = models.AmazonAccount
        fields = ["search", "status", "region"]


class AmazonAccountFilterInput(FilterInputObjectType):
    class Meta:
        filterset_class = AmazonAccountFilter


class AmazonMarketplaceFilter(django_filters.FilterSet):
    accounts = GlobalIDMultipleChoiceFilter(method=_by_ids("AmazonAccount", "account_id"))
    is_active = django_filters.BooleanFilter(method=_equals("is_active"))
    channels = GlobalIDMultipleChoiceFilter(method=_by_ids("Channel", "channel_id"))
    codes = ListObjectTypeFilter(input_class=graphene.String, method="filter_codes")

    class Meta:
        model = models.AmazonMarketplace
        fields = ["accounts", "is_active", "channels", "codes"]

    def filter_codes(self, qs, _name, value):
        from .. import regions

        if not value:
            return qs
        ids = [
            regions.MARKETPLACES_BY_CODE[code.upper()].id
            for code in value
            if code.upper() in regions.MARKETPLACES_BY_CODE
        ]
        return qs.filter(marketplace_id__in=ids)


class AmazonMarketplaceFilterInput(FilterInputObjectType):
    class Meta:
        filterset_class = AmazonMarketplaceFilter


def filter_order_tab(qs, _name, value):
    if value == AmazonOrderTab.TO_PROCESS.value:
        return qs.filter(state__in=models.TAB_TO_PROCESS)
    if value == AmazonOrderTab.PROCESSED.value:
        return qs.filter(state__in=models.TAB_PROCESSED)
    return qs


def filter_amazon_order_id(qs, _name, value):
    value = (value or "").strip()
    return qs.filter(amazon_order_id__startswith=value) if value else qs


def filter_purchase_date(qs, _name, value):
    return filter_range_field(qs, "purchase_date", value)


class AmazonOrderFilter(django_filters.FilterSet):
    tab = EnumFilter(input_class=AmazonOrderTab, method=filter_order_tab)
    status = ListObjectTypeFilter(input_class=AmazonOrderStatus, method=_in_values("status"))
    processing_state = ListObjectTypeFilter(
        input_class=AmazonOrderProcessingState, method=_in_values("state")
    )
    fulfilled_by = EnumFilter(input_class=AmazonFulfilledBy, method=_equals("fulfilled_by"))
    marketplaces = GlobalIDMultipleChoiceFilter(
        method=_by_ids("AmazonMarketplace", "marketplace_id")
    )
    accounts = GlobalIDMultipleChoiceFilter(method=_by_ids("AmazonAccount", "account_id"))
    purchase_date = ObjectTypeFilter(input_class=DateTimeRangeInput, method=filter_purchase_date)
    amazon_order_id = django_filters.CharFilter(
        method=filter_amazon_order_id, help_text="Amazon order number (or its beginning)."
    )
    needs_attention = django_filters.BooleanFilter(method=_equals("needs_attention"))

    class Meta:
        model = models.AmazonOrder
        fields = ["tab", "status", "marketplaces", "accounts", "purchase_date"]


class AmazonOrderFilterInput(FilterInputObjectType):
    class Meta:
        filterset_class = AmazonOrderFilter


def filter_offer_search(qs, _name, value):
    if not value:
        return qs
    return qs.filter(
        Q(seller_sku__icontains=value) | Q(asin__iexact=value) | Q(variant__sku__iexact=value)
    )


def filter_offer_linked(qs, _name, value):
    if value is None:
        return qs
    return qs.filter(variant__isnull=not value)


def filter_offer_has_errors(qs, _name, value):
    """Offers in the error state or carrying an ERROR issue (a skipped send, Amazon's own)."""
    if value is None:
        return qs
    errors = Q(sync_state=models.OfferSyncState.ERROR) | Q(
        last_issues__contains=[{"severity": "ERROR"}]
    )
    return qs.filter(errors) if value else qs.exclude(errors)


class AmazonOfferFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method=filter_offer_search)
    accounts = GlobalIDMultipleChoiceFilter(method=_by_ids("AmazonAccount", "account_id"))
    marketplaces = GlobalIDMultipleChoiceFilter(
        method=_by_ids("AmazonMarketplace", "marketplace_id")
    )
    variants = GlobalIDMultipleChoiceFilter(method=_by_ids("ProductVariant", "variant_id"))
    products = GlobalIDMultipleChoiceFilter(method=_by_ids("Product", "variant__product_id"))
    has_errors = django_filters.BooleanFilter(method=filter_offer_has_errors)
    sync_state = ListObjectTypeFilter(
        input_class=AmazonOfferSyncState, method=_in_values("sync_state")
    )
    is_linked = django_filters.BooleanFilter(method=filter_offer_linked)

    class Meta:
        model = models.AmazonOffer
        fields = ["search", "accounts", "marketplaces", "variants", "products", "has_errors"]


class AmazonOfferFilterInput(FilterInputObjectType):
    class Meta:
        filterset_class = AmazonOfferFilter
