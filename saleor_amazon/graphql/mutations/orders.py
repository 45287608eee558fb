"""On-demand import, recovery and conversion of Amazon orders."""

import re
from datetime import timedelta

import graphene
from django.core.exceptions import ValidationError
from django.utils import timezone
from saleor.graphql.core.scalars import DateTime
from saleor.graphql.core.types import BaseObjectType, NonNullList

from ... import models
from ...accounts.errors import AmazonErrorCode
from .. import permissions
from ..errors import AmazonError
from ..types.accounts import AmazonAccount, AmazonMarketplace, marketplace_field
from ..types.orders import AmazonOrder
from .base import AmazonMutation

ORDER_NUMBER = re.compile(r"^\d{3}-\d{7}-\d{7}$")
# amazonOrdersCreate converts up to this many orders within the request; more are handed
# to a background run so that the Dashboard's request never times out.
IN_REQUEST_LIMIT = 100
# Amazon answers for orders of the last two years only.
ORDER_RETENTION = timedelta(days=730)


def _error(field, message, code: AmazonErrorCode):
    return ValidationError({field: ValidationError(message, code=code.value)})


class AmazonOrdersFetch(AmazonMutation):
    marketplace = marketplace_field(
        description="The marketplace (its settings: MANAGE_CHANNELS or MANAGE_PLUGINS)."
    )
    marketplace_code = graphene.String(description="The marketplace's code, e.g. DE.")
    task_id = graphene.String(description="ID of the queued background import.")

    class Arguments:
        marketplace = graphene.ID(required=True)
        since = DateTime(required=True, description="Orders created after this moment.")
        until = DateTime(description="...and before this one (default: now).")

    class Meta:
        description = (
            "Fetch a marketplace's orders created in a date range, in the background: new "
            "orders are stored and converted, known ones updated (never duplicated)."
        )
        permissions = permissions.ORDERS
        error_type_class = AmazonError

    @classmethod
    def clean_arguments(cls, info, data):
        oldest = timezone.now() - ORDER_RETENTION
        if data["since"] < oldest:
            raise _error(
                "since",
                f"Amazon keeps orders for two years: start at {oldest.date()} or later.",
                AmazonErrorCode.OUT_OF_RANGE,
            )

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
        if instance.account.status != models.AccountStatus.ACTIVE:
            raise _error(
                "marketplace",
                f"The seller account is not usable: {instance.account.status_message}",
                AmazonErrorCode.INVALID_TOKEN,
            )
        now = timezone.now()
        if since >= (until or now):
            raise _error("since", "The range must start before it ends.", AmazonErrorCode.INVALID)
        if until and until > now:
            until = None
        from ...tasks import import_account_orders_task

        result = import_account_orders_task.delay(
            instance.account_id,
            marketplace_id=instance.pk,
            since=since.isoformat(),
            until=until.isoformat() if until else None,
        )
        return cls(marketplace=instance, marketplace_code=instance.code, task_id=result.id)


class AmazonOrderRecover(AmazonMutation):
    order = graphene.Field(AmazonOrder)
    outcome = graphene.String(
        description="What the import did: created, updated, held, pending, failed, skipped, "
        "unchanged."
    )

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
        order, outcome = _recover(instance, number)
        return cls(order=order, outcome=outcome)


def _recover(account, number):
    from ... import conf, spapi
    from ...orders.importer import OrderNotFound, recover_order

    try:
        return recover_order(account, number)
    except OrderNotFound as exc:
        raise _error(
            "amazonOrderId",
            f"Amazon knows no order {number} for seller {account.seller_id}.",
            AmazonErrorCode.NOT_FOUND,
        ) from exc
    except conf.ConfigurationError as exc:
        raise ValidationError(str(exc), code=AmazonErrorCode.NOT_CONFIGURED.value) from exc
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
    except spapi.SPAPIError as exc:
        raise _error(
            "amazonOrderId", f"Amazon refused: {exc.message}", AmazonErrorCode.INVALID
        ) from exc


class AmazonOrdersCreateSummary(BaseObjectType):
    created = graphene.Int(required=True, description="Saleor orders created.")
    held = graphene.Int(required=True, description="Still waiting for unmatched lines.")
    pending = graphene.Int(required=True, description="Not yet convertible (Amazon status).")
    failed = graphene.Int(required=True)
    skipped = graphene.Int(required=True, description="Cancelled before conversion.")

    class Meta:
        description = "What an order-creation run did."


class AmazonOrdersCreate(AmazonMutation):
    summary = graphene.Field(
        AmazonOrdersCreateSummary, description="What the run did (null when it was queued)."
    )
    queued = graphene.Int(
        description=(
            f"Orders handed to a background run because more than {IN_REQUEST_LIMIT} were "
            "eligible (0 when the run happened within the request)."
        ),
    )
    orders = NonNullList(AmazonOrder, description="The given orders, after the run.")

    class Arguments:
        ids = NonNullList(
            graphene.ID, description="Amazon orders to convert (default: every eligible one)."
        )

    class Meta:
        description = (
            "Create Saleor orders for Amazon orders waiting in TO_PROCESS (e.g. after linking "
            "offers): every eligible order, or the given ones (failed ones retried at once). "
            f"Up to {IN_REQUEST_LIMIT} are converted within the request; more are queued."
        )
        permissions = permissions.ORDERS
        error_type_class = AmazonError

    @classmethod
    def perform_mutation(cls, _root, info, /, *, ids=None):
        from django.db import transaction

        from ...orders.process import create_pending_orders, eligible_orders
        from ...tasks.orders import create_pending_orders_task

        pks = None
        if ids is not None:
            orders = cls.get_nodes_or_error(ids, "ids", only_type=AmazonOrder)
            pks = [order.pk for order in orders]
        waiting = eligible_orders(pks).count()
        if waiting > IN_REQUEST_LIMIT:
            transaction.on_commit(lambda: create_pending_orders_task.delay(pks))
            orders = list(models.AmazonOrder.objects.filter(pk__in=pks)) if pks is not None else []
            return cls(summary=None, queued=waiting, orders=orders)
        summary = create_pending_orders(ids=pks)
        result = AmazonOrdersCreateSummary(
            created=summary.created,
            held=summary.held,
            pending=summary.pending,
            failed=summary.failed,
            skipped=summary.skipped,
        )
        orders = list(models.AmazonOrder.objects.filter(pk__in=pks)) if pks is not None else []
        return cls(summary=result, queued=0, orders=orders)
