"""The plugin's GraphQL API, served at /plugins/saleor_amazon/graphql/."""
