"""Offers on Amazon: overrides, sending products, importing the seller's listings."""

import graphene
from django.core.exceptions import ValidationError
from saleor.graphql.core.scalars import PositiveDecimal
from saleor.graphql.core.types import BaseInputObjectType, NonNullList
from saleor.graphql.utils import resolve_global_ids_to_primary_keys

from ... import models
from ...accounts.errors import AmazonErrorCode
from ...accounts.offers import ASIN_LENGTH
from ...listings import feed as feeds
from ...spapi.errors import SPAPIError
from .. import permissions
from ..errors import AmazonError
from ..types.accounts import AmazonAccount, AmazonMarketplace
from ..types.feeds import AmazonListingsImportLine
from ..types.offers import AmazonOffer
from .base import AmazonMutation

MAX_HANDLING_DAYS = 30


def _error(field, message, code=AmazonErrorCode.INVALID):
    return ValidationError({field: ValidationError(message, code=code.value)})


class AmazonOfferUpdateInput(BaseInputObjectType):
    price = PositiveDecimal(
        description="Price override (gross, marketplace currency); null: Saleor's."
    )
    quantity = graphene.Int(description="Quantity override; null: Saleor's available stock.")
    handling_time = graphene.Int(description="Handling time in days; null: the default.")
    condition = graphene.String(description="Amazon condition_type, e.g. new_new, used_good.")
    asin = graphene.String(description="The ASIN to list on; empty: look it up again.")


class AmazonOfferUpdate(AmazonMutation):
    offer = graphene.Field(AmazonOffer)

    class Arguments:
        id = graphene.ID(required=True)
        input = AmazonOfferUpdateInput(required=True)

    class Meta:
        description = (
            "Set an offer's overrides (price, quantity, handling time) and condition; a null "
            "override means Saleor's value. A live offer is brought up to date on Amazon by "
            "the next sync (scheduled now)."
        )
        permissions = permissions.OFFERS
        error_type_class = AmazonError

    @classmethod
    def clean_input(cls, offer, data):
        fields = []
        if "price" in data:
            price = data["price"]
            if price is not None and (price <= 0 or price.as_tuple().exponent < -2):
                raise _error("price", "A price is positive with at most two decimals.")
            offer.price = price
            fields.append("price")
        if "quantity" in data:
            if data["quantity"] is not None and data["quantity"] < 0:
                raise _error("quantity", "A quantity cannot be negative.")
            offer.quantity = data["quantity"]
            fields.append("quantity")
        if "handling_time" in data:
            days = data["handling_time"]
            if days is not None and not 0 <= days <= MAX_HANDLING_DAYS:
                raise _error("handlingTime", f"Handling time is 0 to {MAX_HANDLING_DAYS} days.")
            offer.handling_time = days
            fields.append("handling_time")
        if data.get("condition") is not None:
            if data["condition"] not in feeds.CONDITIONS:
                raise _error(
                    "condition", f"Amazon's conditions are: {', '.join(feeds.CONDITIONS)}."
                )
            offer.condition = data["condition"]
            fields.append("condition")
        if "asin" in data:
            asin = (data["asin"] or "").strip().upper()
            if asin and (len(asin) != ASIN_LENGTH or not asin.isalnum()):
                raise _error("asin", "An ASIN has 10 letters and digits.")
            offer.asin = asin
            fields.append("asin")
        return fields

    @classmethod
    def perform_mutation(cls, _root, info, /, *, id, input):
        offer = cls.get_node_or_error(info, id, only_type=AmazonOffer)
        fields = cls.clean_input(offer, input)
        if fields:
            offer.save(update_fields=[*fields, "updated_at"])
            if offer.last_sent_quantity is not None:
                from ...listings.sync import schedule_sync

                schedule_sync(offer.marketplace_id)
        return cls(offer=offer)


def _saleor_pks(ids, type_name, field):
    if not ids:
        return []
    try:
        _, pks = resolve_global_ids_to_primary_keys(ids, type_name, raise_error=True)
    except Exception as exc:  # Saleor raises GraphQLError for foreign or malformed ids
        raise _error(field, str(exc), AmazonErrorCode.GRAPHQL_ERROR) from exc
    return [int(pk) for pk in pks]


class AmazonProductsSend(AmazonMutation):
    offers = NonNullList(AmazonOffer, description="The offers queued.")
    variants_count = graphene.Int(description="How many variants are sent.")

    class Arguments:
        product_ids = NonNullList(graphene.ID, description="Saleor products (all variants).")
        variant_ids = NonNullList(graphene.ID, description="Saleor product variants.")
        marketplaces = NonNullList(graphene.ID, required=True, description="Amazon marketplaces.")

    class Meta:
        description = (
            "Send products or variants to Amazon marketplaces as offers on existing ASINs. "
            "Returns at once: the work runs in the background; each offer then shows its "
            "outcome (no barcode, no ASIN for the barcode, several ASINs, zero stock, "
            "Amazon's issues) or goes live."
        )
        permissions = permissions.OFFERS
        error_type_class = AmazonError

    @classmethod
    def perform_mutation(cls, _root, info, /, *, marketplaces, product_ids=None, variant_ids=None):
        from ...listings.send import queue, variant_ids_for

        if not product_ids and not variant_ids:
            raise _error("productIds", "Give productIds or variantIds.", AmazonErrorCode.REQUIRED)
        markets = [
            cls.get_node_or_error(info, gid, field="marketplaces", only_type=AmazonMarketplace)
            for gid in marketplaces
        ]
        if not markets:
            raise _error(
                "marketplaces", "Choose at least one marketplace.", AmazonErrorCode.REQUIRED
            )
        for market in markets:
            if not market.is_active or market.channel_id is None:
                raise _error(
                    "marketplaces",
                    f"Amazon {market.code} is not active or has no channel.",
                    AmazonErrorCode.MARKETPLACE_INACTIVE,
                )
        ids = variant_ids_for(
            _saleor_pks(product_ids, "Product", "productIds"),
            _saleor_pks(variant_ids, "ProductVariant", "variantIds"),
        )
        if not ids:
            raise _error("variantIds", "No variants to send.", AmazonErrorCode.NOT_FOUND)
        offer_ids = queue(ids, [m.pk for m in markets])
        offers = models.AmazonOffer.objects.filter(pk__in=offer_ids).select_related(
            "variant__product", "account", "marketplace"
        )
        return cls(offers=list(offers), variants_count=len(ids))


class AmazonListingsImport(AmazonMutation):
    created = graphene.Int(description="Products created for unknown SKUs.")
    linked = graphene.Int(description="Listings linked to variants with their SKU.")
    skipped = graphene.Int(description="Listings left alone (see their reason).")
    lines = NonNullList(AmazonListingsImportLine, description="What happened to each listing.")

    class Arguments:
        account = graphene.ID(description="The seller account (checked against the marketplace).")
        marketplace = graphene.ID(required=True)
        create_missing = graphene.Boolean(
            default_value=False, description="Create products for SKUs Saleor does not know."
        )
        include_inactive = graphene.Boolean(
            default_value=False, description="Also import listings that are not buyable."
        )

    class Meta:
        description = (
            "Read the seller's listings on a marketplace, link each to the variant with the "
            "same SKU and, with createMissing, create products for unknown SKUs (the "
            "marketplace's import product type and category; Amazon's title)."
        )
        permissions = permissions.OFFERS
        error_type_class = AmazonError

    @classmethod
    def perform_mutation(
        cls, _root, info, /, *, marketplace, account=None, create_missing=False,
        include_inactive=False,
    ):  # fmt: skip
        from ...listings.importer import import_listings

        market = cls.get_node_or_error(
            info, marketplace, field="marketplace", only_type=AmazonMarketplace
        )
        if account:
            owner = cls.get_node_or_error(info, account, field="account", only_type=AmazonAccount)
            if owner.pk != market.account_id:
                raise _error("account", "The marketplace belongs to another account.")
        try:
            report = import_listings(
                market, create_missing=create_missing, include_inactive=include_inactive
            )
        except SPAPIError as exc:
            raise _error(
                "marketplace", f"Amazon did not answer: {exc}", AmazonErrorCode.AMAZON_UNAVAILABLE
            ) from exc
        return cls(
            created=report.created,
            linked=report.linked,
            skipped=report.skipped,
            lines=[
                AmazonListingsImportLine(
                    sku=line.sku, action=line.action, reason=line.reason, title=line.title
                )
                for line in report.lines
            ],
        )
