"""On-demand import, recovery and conversion of Amazon orders."""

import re

import graphene
from django.core.exceptions import ValidationError
from django.utils import timezone
from saleor.graphql.core.mutations import BaseMutation
from saleor.graphql.core.scalars import DateTime
from saleor.graphql.core.types import BaseObjectType, NonNullList

from ... import models
from ...accounts.errors import AmazonErrorCode
from .. import permissions
from ..errors import AmazonError
from ..types.accounts import AmazonAccount, AmazonMarketplace
from ..types.orders import AmazonOrder

ORDER_NUMBER = re.compile(r"^\d{3}-\d{7}-\d{7}$")


def _error(field, message, code: AmazonErrorCode):
    return ValidationError({field: ValidationError(message, code=code.value)})


class AmazonOrdersFetch(BaseMutation):
    marketplace = graphene.Field(AmazonMarketplace)
    task_id = graphene.String(description="ID of the queued background import.")

    class Arguments:
        marketplace = graphene.ID(required=True)
        since = DateTime(required=True, description="Orders updated after this moment.")
        until = DateTime(description="...and before this one (default: now).")

    class Meta:
        description = (
            "Fetch a marketplace's orders updated in a date range, in the background "
            "(new orders are created, known ones updated)."
        )
        permissions = permissions.ORDERS
        error_type_class = AmazonError

    @classmethod
    def perform_mutation(cls, _root, info, /, *, marketplace, since, until=None):
        instance = cls.get_node_or_error(
            info, marketplace, field="marketplace", only_type=AmazonMarketplace
        )
        if not instance.is_active:
            raise _error(
                "marketplace",
                f"Amazon {instance.code} is not active; map it to a channel and activate it.",
                AmazonErrorCode.MARKETPLACE_INACTIVE,
            )
        now = timezone.now()
        if since >= (until or now):
            raise _error("since", "The range must start before it ends.", AmazonErrorCode.INVALID)
        if until and until > now:
            until = None
        from ...tasks import fetch_orders_task

        result = fetch_orders_task.delay(
            marketplace_id=instance.pk,
            since=since.isoformat(),
            until=until.isoformat() if until else None,
        )
        return cls(marketplace=instance, task_id=result.id)


class AmazonOrderRecover(BaseMutation):
    order = graphene.Field(AmazonOrder)

    class Arguments:
        amazon_order_id = graphene.String(required=True, description="Amazon's order number.")
        account = graphene.ID(description="The seller account (optional with one account).")

    class Meta:
        description = (
            "Fetch one order from Amazon by its order number and import it now (for an "
            "order the periodic import missed)."
        )
        permissions = permissions.ORDERS
        error_type_class = AmazonError

    @classmethod
    def perform_mutation(cls, _root, info, /, *, amazon_order_id, account=None):
        number = amazon_order_id.strip()
        if not ORDER_NUMBER.match(number):
            raise _error(
                "amazonOrderId",
                "Amazon order numbers look like 302-1234567-1234567.",
                AmazonErrorCode.INVALID,
            )
        if account:
            instance = cls.get_node_or_error(
                info, account, field="account", only_type=AmazonAccount
            )
        else:
            accounts = list(models.AmazonAccount.objects.all()[:2])
            if len(accounts) != 1:
                raise _error(
                    "account", "Choose the seller account of the order.", AmazonErrorCode.REQUIRED
                )
            instance = accounts[0]
        from ... import spapi
        from ...orders.importer import recover_order

        try:
            order = recover_order(instance, number)
        except spapi.NotFoundError as exc:
            raise _error(
                "amazonOrderId",
                f"Amazon knows no order {number} for seller {instance.seller_id}.",
                AmazonErrorCode.NOT_FOUND,
            ) from exc
        except spapi.AuthError as exc:
            raise _error(
                "account",
                f"The account's authorization is not valid: {exc.message}",
                AmazonErrorCode.INVALID_TOKEN,
            ) from exc
        except spapi.RetryableError as exc:
            raise _error(
                "amazonOrderId",
                f"Amazon is not answering right now; try again later ({exc.message}).",
                AmazonErrorCode.AMAZON_UNAVAILABLE,
            ) from exc
        return cls(order=order)


class AmazonOrdersCreateSummary(BaseObjectType):
    created = graphene.Int(required=True, description="Saleor orders created.")
    held = graphene.Int(required=True, description="Still waiting for unmatched lines.")
    pending = graphene.Int(required=True, description="Not yet convertible (Amazon status).")
    failed = graphene.Int(required=True)
    skipped = graphene.Int(required=True, description="Cancelled before conversion.")

    class Meta:
        description = "What an order-creation run did."


class AmazonOrdersCreate(BaseMutation):
    summary = graphene.Field(AmazonOrdersCreateSummary)
    orders = NonNullList(AmazonOrder, description="The given orders, after the run.")

    class Arguments:
        ids = NonNullList(
            graphene.ID, description="Amazon orders to convert (default: every eligible one)."
        )

    class Meta:
        description = (
            "Create Saleor orders for Amazon orders waiting in TO_PROCESS (e.g. after linking "
            "offers): every eligible order, or the given ones (failed ones retried at once)."
        )
        permissions = permissions.ORDERS
        error_type_class = AmazonError

    @classmethod
    def perform_mutation(cls, _root, info, /, *, ids=None):
        from ...orders.process import create_pending_orders

        pks = None
        if ids is not None:
            orders = cls.get_nodes_or_error(ids, "ids", only_type=AmazonOrder)
            pks = [order.pk for order in orders]
        summary = create_pending_orders(ids=pks)
        result = AmazonOrdersCreateSummary(
            created=summary.created,
            held=summary.held,
            pending=summary.pending,
            failed=summary.failed,
            skipped=summary.skipped,
        )
        orders = list(models.AmazonOrder.objects.filter(pk__in=pks)) if pks is not None else []
        return cls(summary=result, orders=orders)
