"""The HTTP view of the Amazon API: Saleor's own GraphQLView with the Amazon schema.

Saleor's view brings its authentication (staff JWTs, app tokens), request context,
error formatting, query-cost and alias limits. Three things differ from Saleor's
``/graphql/`` path and are set up here: Saleor looks the app token up only on its own
API path, and it caches introspection answers under a key made of the query text,
which would be shared with Saleor's schema; our documents carry a marker so the two
schemas never share a cached answer. Saleor computes the query cost against its own
schema (where our fields cost nothing); we compute it against ours, with our cost map,
and enforce the same ``GRAPHQL_QUERY_MAX_COMPLEXITY``; before that, documents nesting
fields deeper than ``cost.MAX_DEPTH`` are refused (see ``cost``).
"""

from functools import cache

import graphql.validation
from django.conf import settings
from django.shortcuts import render
from django.utils.module_loading import import_string
from graphql import GraphQLCachedBackend
from graphql.execution import ExecutionResult
from saleor.core.utils.cache import CacheDict
from saleor.graphql.api import SaleorGraphQLBackend
from saleor.graphql.app.dataloaders import get_app_promise
from saleor.graphql.core.validators import validate_query
from saleor.graphql.views import STOREFRONT_TRAFFIC_BLOCKED, GraphQLView, set_query_cost_on_result

from .cost import QueryDepthLimitRule, cost_map
from .inputs import ArgumentsMiddleware

PATH = "/plugins/saleor_amazon/graphql/"
DOCUMENT_MARKER = "# saleor_amazon\n"


class AmazonGraphQLBackend(SaleorGraphQLBackend):
    def document_from_string(self, schema, document_string):
        document = super().document_from_string(schema, document_string)
        # Only the text used for Saleor's cache key and tracing changes, not the AST
        # (error locations stay right).
        document.document_string = DOCUMENT_MARKER + document.document_string
        return document


class AmazonGraphQLView(GraphQLView):
    def handle_query(self, request):
        if not hasattr(request, "dataloaders"):
            request.dataloaders = {}
        if not hasattr(request, "app"):
            request.app = get_app_promise(request).get()
        return super().handle_query(request)

    def execute_graphql_request(self, request, data):
        query, variables, _operation = self.get_graphql_params(request, data)
        document, error = self.parse_query(query)
        if error or document is None:
            return super().execute_graphql_request(request, data)
        errors = graphql.validation.validate(
            self.schema, document.document_ast, [QueryDepthLimitRule]
        )
        if errors:
            return ExecutionResult(errors=errors, invalid=True)
        cost, errors = validate_query(
            schema=self.schema,
            document_ast=document.document_ast,
            variables=variables,
            cost_map=cost_map(self.schema),
        )
        if errors and settings.GRAPHQL_QUERY_MAX_COMPLEXITY:
            return set_query_cost_on_result(ExecutionResult(errors=errors, invalid=True), cost)
        result = super().execute_graphql_request(request, data)
        if result is not STOREFRONT_TRAFFIC_BLOCKED:
            set_query_cost_on_result(result, cost)
        return result

    def render_playground(self, request):
        url = request.build_absolute_uri(PATH)
        return render(
            request,
            "graphql/playground.html",
            {"api_url": url, "plugins_url": request.build_absolute_uri("/plugins/")},
        )


@cache
def graphql_view():
    from .schema import schema

    backend = GraphQLCachedBackend(AmazonGraphQLBackend(), cache_map=CacheDict(1000))
    middleware = [import_string(name) for name in settings.GRAPHQL_MIDDLEWARE]
    return AmazonGraphQLView.as_view(
        schema=schema, backend=backend, middleware=[*middleware, ArgumentsMiddleware]
    )
