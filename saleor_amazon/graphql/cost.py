"""Query cost and depth of the Amazon schema, checked before a request runs.

The cost map has the format of Saleor's ``COST_MAP`` (Saleor's ``validate_query`` computes
the cost with it) and is derived from the schema, so no field is forgotten: every field
that returns an object or a list costs 1, times the page sizes (``first``/``last``) of the
connections above it; a connection field is itself multiplied by its own page size, as in
Saleor. Relay's plumbing inside a connection (``edges``, ``node``, ``pageInfo``) is free:
the connection already paid for its page.

Saleor's cost cannot multiply what lies under a plain list (``AmazonAccount.marketplaces``
has no page size), so a query that walks back and forth between related objects would be
underpriced; the depth limit bounds that: no query may nest fields deeper than
``MAX_DEPTH``. The deepest path a screen needs is seven fields, e.g.
``amazonOrders → edges → node → shipments → feed → issues → message``.
"""

from functools import cache

from graphql import GraphQLError
from graphql.language import ast
from graphql.type import (
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLUnionType,
)
from graphql.validation.rules.base import ValidationRule

MAX_DEPTH = 8

PAGINATED = {"complexity": 1, "multipliers": ["first", "last"]}
OBJECT = {"complexity": 1}

# Relay's connection plumbing: paid for by the connection field.
CONNECTION_FIELDS = {"edges", "pageInfo"}
EDGE_FIELDS = {"node"}


def is_connection_plumbing(type_name: str, field_name: str) -> bool:
    if type_name.endswith("Connection"):
        return field_name in CONNECTION_FIELDS
    if type_name.endswith("Edge"):
        return field_name in EDGE_FIELDS
    return False


def returns_object_or_list(field) -> bool:
    field_type = field.type
    if isinstance(field_type, GraphQLNonNull):
        field_type = field_type.of_type
    if isinstance(field_type, GraphQLList):
        return True
    return isinstance(field_type, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType)


@cache
def cost_map(schema) -> dict[str, dict[str, dict]]:
    """Saleor's cost map for every object and list field of ``schema`` (a graphene schema)."""
    costs: dict[str, dict[str, dict]] = {}
    for type_name, graphql_type in schema.get_type_map().items():
        if type_name.startswith("__") or not isinstance(graphql_type, GraphQLObjectType):
            continue
        fields = {}
        for field_name, field in graphql_type.fields.items():
            if not returns_object_or_list(field) or is_connection_plumbing(type_name, field_name):
                continue
            paginated = "first" in field.args and "last" in field.args
            fields[field_name] = PAGINATED if paginated else OBJECT
        if fields:
            costs[type_name] = fields
    return costs


class QueryDepthError(GraphQLError):
    pass


def _depth(selection_set, fragments, visiting: frozenset[str]) -> int:
    deepest = 0
    for selection in getattr(selection_set, "selections", None) or []:
        if isinstance(selection, ast.Field):
            if selection.name.value.startswith("__"):
                continue  # introspection: bounded by the schema, not by our data
            depth = 1 + _depth(selection.selection_set, fragments, visiting)
        elif isinstance(selection, ast.InlineFragment):
            depth = _depth(selection.selection_set, fragments, visiting)
        elif isinstance(selection, ast.FragmentSpread):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is None or name in visiting:
                continue  # unknown or cyclic: GraphQL's own validation refuses it
            depth = _depth(fragment.selection_set, fragments, visiting | {name})
        else:
            continue
        deepest = max(deepest, depth)
    return deepest


def query_depth(document_ast) -> int:
    """How many fields deep the deepest path of the document's operations is."""
    fragments = {
        definition.name.value: definition
        for definition in document_ast.definitions
        if isinstance(definition, ast.FragmentDefinition)
    }
    return max(
        (
            _depth(definition.selection_set, fragments, frozenset())
            for definition in document_ast.definitions
            if isinstance(definition, ast.OperationDefinition)
        ),
        default=0,
    )


class QueryDepthLimitRule(ValidationRule):
    """Refuses documents nesting fields deeper than ``MAX_DEPTH`` (fragments expanded)."""

    def enter_Document(self, node, *_args):
        depth = query_depth(node)
        if depth > MAX_DEPTH:
            self.context.report_error(
                QueryDepthError(
                    f"The query is nested too deeply: {depth} levels of fields, the maximum "
                    f"is {MAX_DEPTH}.",
                    extensions={"depth": {"requested": depth, "maximum": MAX_DEPTH}},
                )
            )
        return False  # the whole document was measured
