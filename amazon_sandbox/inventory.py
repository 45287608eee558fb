"""FBA Inventory API v1: getInventorySummaries over the seller's seeded inventory
(``InventorySummary`` rows; fba.py takes shipped units out of them)."""

import copy
import secrets

from .clock import parse_iso
from .errors import Reply, invalid_input
from .params import query_list

INVENTORY_PAGE = 50


def get_inventory_summaries(ctx):
    markets = query_list(ctx, "marketplaceIds", required=True, max_items=1)
    if ctx.request.args.get("granularityType") != "Marketplace":
        raise invalid_input("granularityType must be Marketplace.")
    if ctx.request.args.get("granularityId") != markets[0]:
        raise invalid_input("granularityId must be the marketplace in marketplaceIds.")
    skus = set(query_list(ctx, "sellerSkus", max_items=50))
    if ctx.request.args.get("sellerSku"):
        skus.add(ctx.request.args["sellerSku"])
    since = ctx.request.args.get("startDateTime")
    details = ctx.request.args.get("details") == "true"
    token = ctx.request.args.get("nextToken")
    with ctx.state.lock:
        offset = 0
        if token:
            page = ctx.state.get_page(token, "inventory", ctx.seller.seller_id)
            if page is None:
                raise invalid_input("The nextToken is invalid or has expired.")
            offset = page["offset"]
        rows = [
            row
            for row in ctx.seller.inventory
            if (not skus or row.get("sellerSku") in skus)
            and (not since or parse_iso(row.get("lastUpdatedTime", since)) >= parse_iso(since))
        ]
        chunk = []
        for row in rows[offset : offset + INVENTORY_PAGE]:
            out = {
                k: copy.deepcopy(v) for k, v in row.items() if details or k != "inventoryDetails"
            }
            chunk.append(out)
        body = {
            "payload": {
                "granularity": {"granularityType": "Marketplace", "granularityId": markets[0]},
                "inventorySummaries": chunk,
            }
        }
        if offset + INVENTORY_PAGE < len(rows):
            next_token = secrets.token_urlsafe(18)
            ctx.state.add_page(
                next_token,
                {
                    "seller": ctx.seller.seller_id,
                    "offset": offset + INVENTORY_PAGE,
                },
                "inventory",
                lifetime=30,
            )
            body["pagination"] = {"nextToken": next_token}
    return Reply(body)
