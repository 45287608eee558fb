"""Shared helpers of the Amazon mutations."""

from django.core.exceptions import ValidationError
from graphql.error import GraphQLError
from saleor.graphql.core.utils import from_global_id_or_error

from ...accounts.errors import AmazonErrorCode


def saleor_object(global_id: str | None, type_names: tuple[str, ...], queryset, field: str):
    """The Saleor object behind one of Saleor's global IDs (e.g. ``Channel:1``).

    Saleor's types are not part of the Amazon schema, so Saleor's ``get_node_or_error``
    cannot resolve them; this does the same with the given queryset.
    """
    if not global_id:
        return None
    try:
        type_name, pk = from_global_id_or_error(global_id, raise_error=True)
    except GraphQLError as exc:
        raise ValidationError(
            {field: ValidationError(str(exc), code=AmazonErrorCode.GRAPHQL_ERROR.value)}
        ) from exc
    if type_name not in type_names:
        raise ValidationError(
            {
                field: ValidationError(
                    f"Invalid ID: {global_id}. Expected: {' or '.join(type_names)}, "
                    f"received: {type_name}.",
                    code=AmazonErrorCode.GRAPHQL_ERROR.value,
                )
            }
        )
    instance = queryset.filter(pk=pk).first()
    if instance is None:
        raise ValidationError(
            {
                field: ValidationError(
                    f"Couldn't resolve to a node: {global_id}",
                    code=AmazonErrorCode.NOT_FOUND.value,
                )
            }
        )
    return instance
