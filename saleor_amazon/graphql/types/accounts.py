"""Seller accounts and marketplaces. Tokens are never exposed, only a masked hint."""

import graphene
from promise import Promise
from saleor.graphql.channel.dataloaders.by_self import ChannelByIdLoader
from saleor.graphql.core.connection import CountableConnection
from saleor.graphql.core.fields import PermissionsField
from saleor.graphql.core.scalars import DateTime
from saleor.graphql.core.types import BaseObjectType, ModelObjectType, NonNullList
from saleor.graphql.product.dataloaders import ProductVariantByIdLoader
from saleor.graphql.shipping.dataloaders import ShippingMethodByIdLoader
from saleor.graphql.warehouse.dataloaders import WarehouseByIdLoader

from ... import models, regions
from ...accounts.marketplaces import DEFAULT_SERVICE_LEVEL
from .. import permissions
from ..dataloaders import (
    AccountByIdLoader,
    ImportCursorsByAccountIdLoader,
    ImportCursorsByMarketplaceIdLoader,
    MarketplaceByIdLoader,
    MarketplacesByAccountIdLoader,
    load,
)
from ..enums import (
    AmazonAccountStatus,
    AmazonCustomerPolicy,
    AmazonRegion,
    AmazonServiceLevel,
    AmazonUnmatchedLinePolicy,
)
from .references import (
    AmazonSaleorChannel,
    AmazonSaleorShippingMethod,
    AmazonSaleorVariant,
    AmazonSaleorWarehouse,
)


def _last_check(cursors) -> object:
    return max((c.last_success_at for c in cursors if c.last_success_at), default=None)


class AmazonAccount(ModelObjectType[models.AmazonAccount]):
    id = graphene.GlobalID(required=True)
    seller_id = graphene.String(required=True, description="Amazon's selling partner id.")
    name = graphene.String(required=True)
    region = AmazonRegion(required=True)
    status = AmazonAccountStatus(required=True)
    status_message = graphene.String(
        required=True, description="Why the account is not usable, as Amazon said it."
    )
    refresh_token_hint = graphene.String(
        required=True,
        description="The stored refresh token, masked (first and last characters only).",
    )
    created_at = DateTime(required=True)
    updated_at = DateTime(required=True)
    last_used_at = DateTime(description="Last call to Amazon with this account.")
    last_order_check_at = DateTime(
        description="Last successful check for new and updated orders (any marketplace)."
    )
    marketplaces = PermissionsField(
        NonNullList(lambda: AmazonMarketplace),
        required=True,
        description="The seller's marketplaces.",
        permissions=list(permissions.ACCOUNTS),
    )

    class Meta:
        description = "An Amazon seller account connected to this shop."
        model = models.AmazonAccount
        interfaces = [graphene.relay.Node]

    @staticmethod
    def resolve_refresh_token_hint(root: models.AmazonAccount, _info):
        return root.masked_refresh_token

    @staticmethod
    def resolve_last_order_check_at(root: models.AmazonAccount, info):
        if hasattr(root, "last_order_check_at"):
            return root.last_order_check_at
        return ImportCursorsByAccountIdLoader(info.context).load(root.pk).then(_last_check)

    @staticmethod
    def resolve_marketplaces(root: models.AmazonAccount, info):
        return MarketplacesByAccountIdLoader(info.context).load(root.pk)


class AmazonAccountCountableConnection(CountableConnection):
    class Meta:
        node = AmazonAccount


class AmazonShippingMethodMapping(BaseObjectType):
    service_level = AmazonServiceLevel(required=True)
    shipping_method = graphene.Field(AmazonSaleorShippingMethod)

    class Meta:
        description = "The Saleor shipping method used for an Amazon service level."


class AmazonMarketplace(ModelObjectType[models.AmazonMarketplace]):
    id = graphene.GlobalID(required=True)
    marketplace_id = graphene.String(required=True, description="Amazon's marketplace id.")
    code = graphene.String(required=True, description="Short code, e.g. DE, UK, US.")
    country = graphene.String(required=True, description="ISO country code.")
    currency = graphene.String(required=True, description="The marketplace's currency.")
    domain = graphene.String(description="e.g. amazon.de")
    account = PermissionsField(
        AmazonAccount,
        required=True,
        description="The seller account.",
        permissions=list(permissions.ACCOUNTS),
    )
    is_active = graphene.Boolean(required=True)
    channel = graphene.Field(AmazonSaleorChannel)
    default_warehouse = graphene.Field(AmazonSaleorWarehouse)
    import_orders = graphene.Boolean(required=True)
    import_since = DateTime(description="Orders purchased before this are not imported.")
    prices_include_tax = graphene.Boolean(required=True)
    unmatched_line_policy = AmazonUnmatchedLinePolicy(required=True)
    placeholder_variant = graphene.Field(AmazonSaleorVariant)
    customer_policy = AmazonCustomerPolicy(required=True)
    shipping_methods = NonNullList(AmazonShippingMethodMapping, required=True)
    last_order_check_at = DateTime(description="Last successful order check.")
    last_import_error = graphene.String(description="Error of the last failed order check.")
    orders_checked_until = DateTime(
        description="Orders updated up to this moment are imported (Amazon's window end)."
    )
    orders_checked_from = DateTime(
        description=(
            "How far back the last order check read again (it re-reads an overlap for "
            "orders Amazon shows late)."
        )
    )
    last_deep_order_check_at = DateTime(description="When orders were last re-checked deeply.")
    deep_order_check_from = DateTime(description="How far back the last deep re-check read.")

    class Meta:
        description = "An Amazon marketplace of a seller account, mapped to a Saleor channel."
        model = models.AmazonMarketplace
        interfaces = [graphene.relay.Node]

    @staticmethod
    def resolve_domain(root: models.AmazonMarketplace, _info):
        info = regions.marketplace(root.marketplace_id)
        return info.domain if info else None

    @staticmethod
    def resolve_account(root: models.AmazonMarketplace, info):
        return load(AccountByIdLoader, info, root.account_id)

    @staticmethod
    def resolve_channel(root: models.AmazonMarketplace, info):
        return load(ChannelByIdLoader, info, root.channel_id)

    @staticmethod
    def resolve_default_warehouse(root: models.AmazonMarketplace, info):
        return load(WarehouseByIdLoader, info, root.default_warehouse_id)

    @staticmethod
    def resolve_placeholder_variant(root: models.AmazonMarketplace, info):
        return load(ProductVariantByIdLoader, info, root.placeholder_variant_id)

    @staticmethod
    def resolve_shipping_methods(root: models.AmazonMarketplace, info):
        mapping = root.shipping_methods or {}
        levels = sorted(mapping, key=lambda level: (level == DEFAULT_SERVICE_LEVEL, level))

        def mappings(methods):
            return [
                AmazonShippingMethodMapping(service_level=level, shipping_method=method)
                for level, method in zip(levels, methods, strict=True)
            ]

        methods = [
            load(ShippingMethodByIdLoader, info, mapping[level]) if mapping[level] else None
            for level in levels
        ]
        return Promise.all(methods).then(mappings)

    @staticmethod
    def resolve_last_order_check_at(root: models.AmazonMarketplace, info):
        if hasattr(root, "last_order_check_at"):
            return root.last_order_check_at
        return _cursors(info, root).then(_last_check)

    @staticmethod
    def resolve_last_import_error(root: models.AmazonMarketplace, info):
        return _from_cursor(info, root, lambda cursor: cursor.last_error or None)

    @staticmethod
    def resolve_orders_checked_until(root: models.AmazonMarketplace, info):
        return _from_cursor(info, root, lambda cursor: cursor.last_updated_before)

    @staticmethod
    def resolve_orders_checked_from(root: models.AmazonMarketplace, info):
        return _from_cursor(info, root, lambda cursor: cursor.checked_from)

    @staticmethod
    def resolve_last_deep_order_check_at(root: models.AmazonMarketplace, info):
        return _from_cursor(info, root, lambda cursor: cursor.last_deep_check_at)

    @staticmethod
    def resolve_deep_order_check_from(root: models.AmazonMarketplace, info):
        return _from_cursor(info, root, lambda cursor: cursor.deep_checked_from)


def _cursors(info, marketplace: models.AmazonMarketplace):
    return ImportCursorsByMarketplaceIdLoader(info.context).load(marketplace.pk)


def _from_cursor(info, marketplace: models.AmazonMarketplace, value):
    """``value`` of the marketplace's import cursor (one per account and marketplace; the
    last attempted one should there be more), None without a cursor."""
    return _cursors(info, marketplace).then(lambda cursors: value(cursors[0]) if cursors else None)


class AmazonMarketplaceCountableConnection(CountableConnection):
    class Meta:
        node = AmazonMarketplace


def account_field(**kwargs):
    """An object's seller account: account settings, so ``ACCOUNTS`` as ``amazonAccount``."""
    return PermissionsField(AmazonAccount, permissions=list(permissions.ACCOUNTS), **kwargs)


def marketplace_field(**kwargs):
    """An object's marketplace: its settings, so ``ACCOUNTS`` as ``amazonMarketplaces``."""
    return PermissionsField(AmazonMarketplace, permissions=list(permissions.ACCOUNTS), **kwargs)


class AccountSummaryFields:
    """What order and product staff see of an object's account and marketplace in a list
    (nothing of their settings): the account's name, the seller id, the marketplace code."""

    account_name = graphene.String(description="Name of the seller account.")
    seller_id = graphene.String(required=True, description="Amazon's selling partner id.")
    marketplace_code = graphene.String(description="The marketplace's code, e.g. DE, UK.")

    @staticmethod
    def resolve_account_name(root, info):
        account = load(AccountByIdLoader, info, root.account_id)
        return account.then(lambda a: a.name if a else None) if account else None

    @staticmethod
    def resolve_seller_id(root, info):
        seller_id = getattr(root, "seller_id", "")  # orders keep their own
        if seller_id or root.account_id is None:
            return seller_id or ""
        return load(AccountByIdLoader, info, root.account_id).then(
            lambda a: a.seller_id if a else ""
        )

    @staticmethod
    def resolve_marketplace_code(root, info):
        marketplace = load(MarketplaceByIdLoader, info, root.marketplace_id)
        return marketplace.then(lambda m: m.code if m else None) if marketplace else None
