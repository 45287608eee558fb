"""The plugin's GraphQL API, served at ``/plugins/saleor_amazon/graphql/``.

Thin by design: types, inputs and permission checks here; the work is done by the
services in ``saleor_amazon.accounts`` and ``saleor_amazon.orders``.
"""
