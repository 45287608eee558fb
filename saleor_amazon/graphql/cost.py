"""Query cost of the Amazon schema, in the format of Saleor's ``COST_MAP``."""

PAGINATED = {"complexity": 1, "multipliers": ["first", "last"]}

COST_MAP = {
    "Query": {
        "amazonAccounts": PAGINATED,
        "amazonAccount": {"complexity": 1},
        "amazonMarketplaces": PAGINATED,
        "amazonOrders": PAGINATED,
        "amazonOrder": {"complexity": 1},
        "amazonOffers": PAGINATED,
    },
    "AmazonAccount": {"marketplaces": {"complexity": 1}},
    "AmazonOrder": {
        "items": {"complexity": 1},
        "account": {"complexity": 1},
        "marketplace": {"complexity": 1},
    },
    "AmazonOffer": {"account": {"complexity": 1}, "marketplace": {"complexity": 1}},
}
