"""Seller accounts and their marketplaces: connecting, adding, removing, configuring.

Services called by the GraphQL API and the OAuth callback view; they talk to
Amazon only through ``saleor_amazon.spapi``.
"""
