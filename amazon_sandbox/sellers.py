"""Sellers API v1: getMarketplaceParticipations."""

from . import marketplaces
from .errors import Reply


def marketplace_participations(ctx):
    payload = []
    for marketplace_id in ctx.seller.marketplaces:
        market = marketplaces.get(marketplace_id)
        if market is None:
            continue
        payload.append(
            {
                "marketplace": {
                    "id": market.id,
                    "name": market.name,
                    "countryCode": market.country,
                    "defaultCurrencyCode": market.currency,
                    "defaultLanguageCode": market.language,
                    "domainName": market.domain,
                },
                "storeName": ctx.seller.store_name,
                "participation": {"isParticipating": True, "hasSuspendedListings": False},
            }
        )
    return Reply({"payload": payload})
