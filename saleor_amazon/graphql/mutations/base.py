"""The base of the Amazon mutations and their shared helpers."""

from django.core.exceptions import ValidationError
from graphql.error import GraphQLError
from saleor.graphql.core.context import setup_context_user
from saleor.graphql.core.mutations import BaseMutation
from saleor.graphql.core.utils import from_global_id_or_error

from ...accounts.errors import AmazonErrorCode
from ..inputs import InputProblem, check_arguments


class AmazonMutation(BaseMutation):
    """Saleor's BaseMutation whose every argument and input field is checked first.

    After Saleor's permission check (a refused requester still gets PermissionDenied),
    strings, date-times and decimals that the database or the workers could not take are
    answered as field errors (see ``..inputs``); then ``clean_arguments`` runs the
    mutation's own checks of its arguments, before anything is changed or queued.
    """

    class Meta:
        abstract = True

    @classmethod
    def mutate(cls, root, info, **data):
        setup_context_user(info.context)
        if cls.check_permissions(info.context, data=data):
            try:
                check_arguments(info, data, ranges=True)
                cls.clean_arguments(info, data)
            except InputProblem as problem:
                return cls.handle_errors(problem.as_validation_error())
            except ValidationError as error:
                return cls.handle_errors(error)
        return super().mutate(root, info, **data)

    @classmethod
    def clean_arguments(cls, info, data):
        """The mutation's own checks of its arguments (raise ValidationError)."""


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
