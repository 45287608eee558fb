"""Every argument of the Amazon API is checked before anything runs.

The database and the background workers cannot take everything GraphQL's types let
through: a NUL character (or half a surrogate pair) in a string, a date-time without a
time zone or in year 1, a decimal too large for its column. One walk over the arguments,
guided by the schema's types, finds them all:

- strings (IDs included): no NUL character, valid Unicode, no longer than their column
  (``COLUMN_LENGTHS``) or ``MAX_STRING``;
- date-times: with a time zone; for mutations also between ``MIN_DATETIME`` and a year
  from now;
- decimals: finite and within what the money columns hold (``MAX_DECIMAL``).

Mutations (``mutations.base.AmazonMutation``) answer a problem as a field error with an
``AmazonErrorCode``; queries (``ArgumentsMiddleware``) as a GraphQL error whose
``extensions.code`` is that code.
"""

import decimal
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from graphql import GraphQLError
from graphql.type import (
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
)

from .. import models
from ..accounts.errors import AmazonErrorCode

MIN_DATETIME = datetime(2000, 1, 1, tzinfo=UTC)
MAX_FUTURE = timedelta(days=366)
MAX_STRING = 4096  # longer than any token, URL or name the API takes
MAX_DECIMAL = decimal.Decimal(10) ** (models.MONEY["max_digits"] - models.MONEY["decimal_places"])


def _length(model, field):
    return model._meta.get_field(field).max_length


# The columns free-form strings land in, by "<input type or field>.<argument>".
COLUMN_LENGTHS = {
    "AmazonAccountCreateInput.sellerId": _length(models.AmazonAccount, "seller_id"),
    "AmazonAccountCreateInput.name": _length(models.AmazonAccount, "name"),
    "AmazonOfferLinkInput.sellerSku": _length(models.AmazonOffer, "seller_sku"),
    "AmazonOfferLinkInput.asin": _length(models.AmazonOffer, "asin"),
    "AmazonOfferUpdateInput.asin": _length(models.AmazonOffer, "asin"),
    "AmazonOfferUpdateInput.condition": _length(models.AmazonOffer, "condition"),
    "amazonOrderRecover.amazonOrderId": _length(models.AmazonOrder, "amazon_order_id"),
    "amazonOrder.amazonOrderId": _length(models.AmazonOrder, "amazon_order_id"),
}


class InputProblem(Exception):
    def __init__(self, field: str, message: str, code: AmazonErrorCode):
        super().__init__(message)
        self.field = field
        self.message = message
        self.code = code

    def as_validation_error(self) -> ValidationError:
        return ValidationError({self.field: ValidationError(self.message, code=self.code.value)})


class AmazonInputError(GraphQLError):
    """A query argument the API does not take; ``extensions.code``: an AmazonErrorCode."""


def _check_string(value: str, field: str, max_length: int | None):
    if "\x00" in value:
        raise InputProblem(
            field, "The text contains a NUL character.", AmazonErrorCode.INVALID_CHARACTERS
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputProblem(
            field, "The text is not valid Unicode.", AmazonErrorCode.INVALID_CHARACTERS
        ) from exc
    limit = min(max_length or MAX_STRING, MAX_STRING)
    if len(value) > limit:
        raise InputProblem(
            field, f"At most {limit} characters are allowed.", AmazonErrorCode.OUT_OF_RANGE
        )


def _check_datetime(value: datetime, field: str, ranges: bool):
    if value.tzinfo is None or value.utcoffset() is None:
        raise InputProblem(
            field,
            "A date-time needs a time zone, e.g. 2026-01-31T12:00:00+00:00.",
            AmazonErrorCode.INVALID,
        )
    if not ranges:
        return
    latest = timezone.now() + MAX_FUTURE
    if not MIN_DATETIME <= value <= latest:
        raise InputProblem(
            field,
            f"The date-time must be between {MIN_DATETIME.date()} and {latest.date()}.",
            AmazonErrorCode.OUT_OF_RANGE,
        )


def _check_decimal(value: decimal.Decimal, field: str):
    if not value.is_finite():
        raise InputProblem(field, "The number must be finite.", AmazonErrorCode.INVALID)
    if abs(value) >= MAX_DECIMAL:
        raise InputProblem(
            field, f"The number must be below {MAX_DECIMAL:,}.", AmazonErrorCode.OUT_OF_RANGE
        )


def _check(value, graphql_type, field: str, owner: str, ranges: bool):
    if value is None:
        return
    if isinstance(graphql_type, GraphQLNonNull):
        _check(value, graphql_type.of_type, field, owner, ranges)
    elif isinstance(graphql_type, GraphQLList):
        for item in value:
            _check(item, graphql_type.of_type, field, owner, ranges)
    elif isinstance(graphql_type, GraphQLInputObjectType):
        check_fields(value, graphql_type.fields, graphql_type.name, ranges)
    elif isinstance(graphql_type, GraphQLScalarType):
        if isinstance(value, str):
            _check_string(value, field, COLUMN_LENGTHS.get(f"{owner}.{field}"))
        elif isinstance(value, datetime):
            _check_datetime(value, field, ranges)
        elif isinstance(value, decimal.Decimal):
            _check_decimal(value, field)


def check_fields(values, definitions, owner: str, ranges: bool):
    """Check ``values`` (Python names) against the arguments or input fields
    ``definitions`` (GraphQL names) of ``owner``; raise InputProblem."""
    for name, definition in definitions.items():
        key = getattr(definition, "out_name", None) or name
        if key in values:
            _check(values[key], definition.type, name, owner, ranges)


def check_arguments(info, arguments: dict, *, ranges: bool):
    """Check the arguments of the field being resolved."""
    field = info.parent_type.fields[info.field_name]
    check_fields(arguments, field.args, info.field_name, ranges)


class ArgumentsMiddleware:
    """Checks the arguments of every query field (mutations check their own, to answer
    with field errors): a problem is a GraphQL error with an AmazonErrorCode."""

    def resolve(self, next_, root, info, **args):
        if args and info.parent_type is not info.schema.get_mutation_type():
            try:
                check_arguments(info, args, ranges=False)
            except InputProblem as problem:
                raise AmazonInputError(
                    f"{problem.field}: {problem.message}",
                    extensions={"code": problem.code.name, "field": problem.field},
                ) from problem
        return next_(root, info, **args)
