"""Catalog Items API 2022-04-01: searchCatalogItems (by identifiers or keywords) and
getCatalogItem, over the seller's seeded catalog (Catalog ``Item`` objects)."""

import copy

from .errors import Reply, invalid_input, not_found
from .params import query_int, query_list

IDENTIFIER_TYPES = ["ASIN", "EAN", "GTIN", "ISBN", "JAN", "MINSAN", "SKU", "UPC"]
INCLUDED_DATA = [
    "attributes",
    "classifications",
    "dimensions",
    "identifiers",
    "images",
    "productTypes",
    "relationships",
    "salesRanks",
    "summaries",
    "vendorDetails",
]


def identifiers_of(item, marketplace_id):
    """{(TYPE, value)} of a catalog item in a marketplace (GTIN also matches EAN/UPC)."""
    found = {("ASIN", item["asin"])}
    for group in item.get("identifiers", []):
        if group.get("marketplaceId") != marketplace_id:
            continue
        for ident in group.get("identifiers", []):
            kind, value = ident["identifierType"].upper(), ident["identifier"]
            found.add((kind, value))
            if kind in ("EAN", "UPC"):
                found.add(("GTIN", value.zfill(14)))
                found.add(("GTIN", value))
    return found


def in_marketplace(item, marketplace_id):
    markets = {s.get("marketplaceId") for s in item.get("summaries", [])}
    markets |= {g.get("marketplaceId") for g in item.get("identifiers", [])}
    return marketplace_id in markets


def find(seller, marketplace_id, kind, value):
    """Catalog items of ``seller``'s catalog matching one identifier."""
    kind = kind.upper()
    wanted = {(kind, value)} | ({("GTIN", value.zfill(14))} if kind == "GTIN" else set())
    return [
        item
        for item in seller.catalog
        if in_marketplace(item, marketplace_id) and identifiers_of(item, marketplace_id) & wanted
    ]


def by_asin(seller, asin):
    return next((item for item in seller.catalog if item["asin"] == asin), None)


def render(item, marketplace_id, included):
    out = {"asin": item["asin"]}
    for key in included:
        if key not in item:
            continue
        value = item[key]
        if isinstance(value, list):
            value = [v for v in value if v.get("marketplaceId", marketplace_id) == marketplace_id]
        out[key] = copy.deepcopy(value)
    return out


def _included(ctx):
    return query_list(ctx, "includedData", INCLUDED_DATA) or ["summaries"]


def search_catalog_items(ctx):
    markets = query_list(ctx, "marketplaceIds", required=True, max_items=1)
    marketplace_id = markets[0]
    identifiers = query_list(ctx, "identifiers", max_items=20)
    keywords = query_list(ctx, "keywords", max_items=20)
    kind = ctx.request.args.get("identifiersType")
    size = query_int(ctx, "pageSize", 10, 1, 20)
    if identifiers and keywords:
        raise invalid_input("Cannot use identifiers and keywords in the same request.")
    if not identifiers and not keywords:
        raise invalid_input("Either identifiers or keywords must be provided.")
    if identifiers:
        if kind not in IDENTIFIER_TYPES:
            raise invalid_input("identifiersType is required with identifiers (ASIN, EAN, ...).")
        if kind == "SKU" and ctx.request.args.get("sellerId") != ctx.seller.seller_id:
            raise invalid_input("sellerId is required when identifiersType is SKU.")
    with ctx.state.lock:
        if identifiers and kind == "SKU":
            asins = []
            for sku in identifiers:
                for record in ctx.seller.listings.get(sku, {}).values():
                    asin = record.get("asin")
                    if asin and asin not in asins:
                        asins.append(asin)
            items = [i for a in asins if (i := by_asin(ctx.seller, a))]
        elif identifiers:
            items = []
            for value in identifiers:
                for item in find(ctx.seller, marketplace_id, kind, value):
                    if item not in items:
                        items.append(item)
        else:
            words = [w.lower() for w in keywords]
            items = [
                item
                for item in ctx.seller.catalog
                if in_marketplace(item, marketplace_id)
                and all(
                    w in " ".join(s.get("itemName", "") for s in item.get("summaries", [])).lower()
                    for w in words
                )
            ]
        included = _included(ctx)
        page = [render(item, marketplace_id, included) for item in items[:size]]
    return Reply({"numberOfResults": len(items), "items": page})


def get_catalog_item(ctx):
    markets = query_list(ctx, "marketplaceIds", required=True)
    with ctx.state.lock:
        item = by_asin(ctx.seller, ctx.path["asin"])
        if item is None or not any(in_marketplace(item, m) for m in markets):
            raise not_found(f"Requested item '{ctx.path['asin']}' not found in marketplace.")
        return Reply(render(item, markets[0], _included(ctx)))
