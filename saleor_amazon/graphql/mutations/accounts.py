"""Connect, add and remove Amazon seller accounts."""

import graphene
from saleor.graphql.core.scalars import DateTime
from saleor.graphql.core.types import BaseInputObjectType

from ...accounts import oauth, services
from .. import permissions
from ..enums import AmazonRegion
from ..errors import AmazonError
from ..types.accounts import AmazonAccount, account_field
from .base import AmazonMutation


class AmazonAccountConnect(AmazonMutation):
    consent_url = graphene.String(
        description="Open this Seller Central URL to authorize the application."
    )
    expires_at = DateTime(description="The authorization must finish before this moment.")

    class Arguments:
        region = AmazonRegion(required=True, description="The seller's Amazon region.")
        return_url = graphene.String(
            description=(
                "Dashboard URL to come back to after Amazon's consent page; its host must "
                "be in ALLOWED_CLIENT_HOSTS."
            )
        )

    class Meta:
        description = (
            "Start connecting a seller account with Login with Amazon: returns Seller "
            "Central's consent URL with a single-use state bound to the requester."
        )
        permissions = permissions.ACCOUNTS
        error_type_class = AmazonError

    @classmethod
    def perform_mutation(cls, _root, info, /, *, region, return_url=None):
        user = info.context.user
        app = getattr(info.context, "app", None)
        url, expires_at = oauth.start_authorization(
            region,
            return_url,
            user_id=user.pk if user else None,
            app_id=app.pk if app and not user else None,
        )
        return cls(consent_url=url, expires_at=expires_at)


class AmazonAccountCreateInput(BaseInputObjectType):
    seller_id = graphene.String(required=True, description="Amazon's selling partner id.")
    name = graphene.String(description="A name for the account (default: the seller id).")
    region = AmazonRegion(required=True)
    refresh_token = graphene.String(
        required=True, description="The LWA refresh token from Seller Central (Atzr|...)."
    )


class AmazonAccountCreate(AmazonMutation):
    account = account_field(description="The added account.")

    class Arguments:
        input = AmazonAccountCreateInput(required=True)

    class Meta:
        description = (
            "Add a seller account with a refresh token pasted from Seller Central. The token "
            "is checked with Amazon and the seller's marketplaces are read."
        )
        permissions = permissions.ACCOUNTS
        error_type_class = AmazonError

    @classmethod
    def perform_mutation(cls, _root, _info, /, *, input):
        account = services.add_account(
            seller_id=input["seller_id"],
            name=input.get("name") or "",
            region=input["region"],
            refresh_token=input["refresh_token"],
        )
        return cls(account=account)


class AmazonAccountDelete(AmazonMutation):
    account = account_field(description="The removed account.")

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        description = (
            "Remove a seller account: its token, marketplaces, offers and import cursors "
            "are deleted; imported Amazon orders and their Saleor orders are kept."
        )
        permissions = permissions.ACCOUNTS
        error_type_class = AmazonError

    @classmethod
    def perform_mutation(cls, _root, info, /, *, id):
        account = cls.get_node_or_error(info, id, only_type=AmazonAccount)
        pk = account.pk
        services.remove_account(account)
        account.pk = pk
        return cls(account=account)
