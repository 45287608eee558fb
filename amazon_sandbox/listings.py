"""Listings Items API 2021-08-01 (put, patch, get, delete, search) and the listing rules
shared with JSON_LISTINGS_FEED processing.

A listing is stored per SKU and marketplace. The sandbox checks the offer attributes the
way Amazon reports problems, as issues in the submission response (status INVALID), not as
HTTP errors: condition_type, an ASIN to attach to (merchant_suggested_asin, or an
identifier found in the catalog) for offer-only listings, the offer currency and price,
and fulfillment_availability quantities.
"""

import copy
import hashlib
import secrets
from decimal import Decimal, InvalidOperation

from . import catalog, marketplaces
from .clock import iso
from .errors import Reply, invalid_input, not_found
from .params import own_seller_path, query_int, query_list

REQUIREMENTS = ["LISTING", "LISTING_PRODUCT_ONLY", "LISTING_OFFER_ONLY"]
CONDITIONS = [
    "new_new",
    "new_open_box",
    "new_oem",
    "refurbished_refurbished",
    "used_like_new",
    "used_very_good",
    "used_good",
    "used_acceptable",
    "collectible_like_new",
    "collectible_very_good",
    "collectible_good",
    "collectible_acceptable",
    "club_club",
]
GET_INCLUDED = [
    "summaries",
    "attributes",
    "issues",
    "offers",
    "fulfillmentAvailability",
    "procurement",
    "relationships",
    "productTypes",
]
SEARCH_IDENTIFIER_TYPES = ["ASIN", "EAN", "FNSKU", "GTIN", "ISBN", "JAN", "MINSAN", "SKU", "UPC"]


def issue(code, message, attribute=None, severity="ERROR", category="INVALID_ATTRIBUTE"):
    found = {"code": code, "message": message, "severity": severity, "categories": [category]}
    if attribute:
        found["attributeNames"] = [attribute]
    return found


def _missing(attribute):
    return issue(
        "90220",
        f"'{attribute}' is required but not supplied.",
        attribute,
        category="MISSING_ATTRIBUTE",
    )


def _values(attributes, name, marketplace_id=None):
    values = attributes.get(name) or []
    if marketplace_id is None:
        return values
    return [v for v in values if v.get("marketplace_id", marketplace_id) == marketplace_id]


def _identifier_asin(seller, attributes, marketplace_id):
    for entry in _values(attributes, "externally_assigned_product_identifier", marketplace_id):
        kind, value = str(entry.get("type", "")).upper(), str(entry.get("value", ""))
        found = catalog.find(seller, marketplace_id, kind, value)
        if found:
            return found[0]["asin"]
    return None


def resolve_asin(seller, attributes, marketplace_id):
    suggested = _values(attributes, "merchant_suggested_asin", marketplace_id)
    if suggested:
        return suggested[0].get("value")
    return _identifier_asin(seller, attributes, marketplace_id)


def check(seller, marketplace_id, product_type, requirements, attributes):
    """Issues Amazon would report for this submission (empty list: acceptable)."""
    issues = []
    if not product_type:
        issues.append(_missing("productType"))
    if not isinstance(attributes, dict):
        return [*issues, issue("4000001", "attributes must be an object.")]
    for name, values in attributes.items():
        if not isinstance(values, list) or not all(isinstance(v, dict) for v in values):
            issues.append(issue("4000001", f"'{name}' must be a list of objects.", name))
    if issues:
        return issues
    offer = requirements == "LISTING_OFFER_ONLY" or "purchasable_offer" in attributes
    conditions = _values(attributes, "condition_type", marketplace_id)
    if offer and not conditions:
        issues.append(_missing("condition_type"))
    for entry in conditions:
        if entry.get("value") not in CONDITIONS:
            issues.append(
                issue(
                    "99022",
                    f"'{entry.get('value')}' is not a valid condition_type.",
                    "condition_type",
                )
            )
    if requirements == "LISTING_OFFER_ONLY":
        asin = resolve_asin(seller, attributes, marketplace_id)
        if asin is None:
            if _values(attributes, "externally_assigned_product_identifier", marketplace_id):
                issues.append(
                    issue(
                        "8541",
                        "No catalog item matches the product identifier; "
                        "provide merchant_suggested_asin.",
                        "externally_assigned_product_identifier",
                    )
                )
            else:
                issues.append(_missing("merchant_suggested_asin"))
        elif seller.catalog and catalog.by_asin(seller, asin) is None:
            issues.append(
                issue(
                    "8541",
                    f"ASIN {asin} does not exist in marketplace {marketplace_id}.",
                    "merchant_suggested_asin",
                )
            )
    market = marketplaces.get(marketplace_id)
    for entry in _values(attributes, "purchasable_offer", marketplace_id):
        if market and entry.get("currency") and entry["currency"] != market.currency:
            issues.append(
                issue(
                    "99022",
                    f"Currency {entry['currency']} is not valid in marketplace "
                    f"{marketplace_id} ({market.currency}).",
                    "purchasable_offer",
                )
            )
        if _price(entry) is None:
            issues.append(
                issue(
                    "99022",
                    "purchasable_offer.our_price needs a positive value_with_tax.",
                    "purchasable_offer",
                )
            )
    for entry in _values(attributes, "fulfillment_availability"):
        if not entry.get("fulfillment_channel_code"):
            issues.append(_missing("fulfillment_availability.fulfillment_channel_code"))
        quantity = entry.get("quantity")
        if quantity is not None and (
            not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 0
        ):
            issues.append(
                issue(
                    "99022",
                    f"quantity {quantity!r} must be a whole number >= 0.",
                    "fulfillment_availability",
                )
            )
    return issues


def _price(offer):
    try:
        value = offer["our_price"][0]["schedule"][0]["value_with_tax"]
        amount = Decimal(str(value))
    except (KeyError, IndexError, TypeError, InvalidOperation):
        return None
    return amount if amount > 0 else None


def new_asin(sku):
    return "B0" + hashlib.sha256(sku.encode()).hexdigest()[:8].upper()


def store(seller, sku, marketplace_id, product_type, requirements, attributes, now):
    records = seller.listings.setdefault(sku, {})
    previous = records.get(marketplace_id)
    asin = resolve_asin(seller, attributes, marketplace_id)
    if asin is None and requirements != "LISTING_OFFER_ONLY":
        asin = (previous or {}).get("asin") or new_asin(sku)
    records[marketplace_id] = {
        "productType": product_type,
        "requirements": requirements,
        "attributes": copy.deepcopy(attributes),
        "asin": asin,
        "createdDate": (previous or {}).get("createdDate", now),
        "lastUpdatedDate": now,
        "issues": [],
    }


def apply_patches(attributes, patches):
    """Attributes after JSON-patch-like operations; (attributes, issues)."""
    result = copy.deepcopy(attributes)
    issues = []
    for patch in patches:
        op, path = patch.get("op"), patch.get("path", "")
        if not path.startswith("/attributes/") or op not in ("add", "replace", "merge", "delete"):
            issues.append(issue("4000001", f"Unsupported patch {op} {path}."))
            continue
        name = path[len("/attributes/") :]
        value = patch.get("value")
        if op in ("add", "replace"):
            result[name] = copy.deepcopy(value)
        elif op == "merge":
            current = result.setdefault(name, [])
            for index, entry in enumerate(value or []):
                if index < len(current):
                    current[index] = {**current[index], **entry}
                else:
                    current.append(copy.deepcopy(entry))
        elif value:
            result[name] = [v for v in result.get(name, []) if v not in value]
            if not result[name]:
                del result[name]
        else:
            result.pop(name, None)
    return result, issues


def render(seller, sku, marketplace_ids, included):
    """The Listings Items ``Item`` for a SKU, or None when it is not listed there."""
    records = seller.listings.get(sku, {})
    chosen = [(m, records[m]) for m in marketplace_ids if m in records]
    if not chosen:
        return None
    item = {"sku": sku}
    if "summaries" in included:
        item["summaries"] = [_summary(m, r) for m, r in chosen]
    if "attributes" in included:
        item["attributes"] = copy.deepcopy(chosen[0][1]["attributes"])
    if "issues" in included:
        item["issues"] = [i for _, r in chosen for i in r.get("issues", [])]
    if "offers" in included:
        item["offers"] = [o for m, r in chosen for o in _offers(m, r)]
    if "fulfillmentAvailability" in included:
        item["fulfillmentAvailability"] = _availability(chosen[0][1])
    if "productTypes" in included:
        item["productTypes"] = [
            {"marketplaceId": m, "productType": r["productType"]} for m, r in chosen
        ]
    if "procurement" in included:
        item["procurement"] = []
    if "relationships" in included:
        item["relationships"] = []
    return item


def _summary(marketplace_id, record):
    attributes = record["attributes"]
    summary = {
        "marketplaceId": marketplace_id,
        "productType": record["productType"],
        "status": _status(marketplace_id, record),
        "createdDate": record["createdDate"],
        "lastUpdatedDate": record["lastUpdatedDate"],
    }
    if record.get("asin"):
        summary["asin"] = record["asin"]
    conditions = _values(attributes, "condition_type", marketplace_id)
    if conditions and conditions[0].get("value") in CONDITIONS:
        summary["conditionType"] = conditions[0]["value"]
    names = _values(attributes, "item_name", marketplace_id)
    if names and names[0].get("value"):
        summary["itemName"] = names[0]["value"]
    return summary


def _offers(marketplace_id, record):
    offers = []
    for entry in _values(record["attributes"], "purchasable_offer", marketplace_id):
        price = _price(entry)
        if price is None:
            continue
        currency = entry.get("currency") or getattr(
            marketplaces.get(marketplace_id), "currency", "USD"
        )
        offers.append(
            {
                "marketplaceId": marketplace_id,
                "offerType": "B2B" if entry.get("audience") == "B2B" else "B2C",
                "price": {"currencyCode": currency, "amount": str(price)},
            }
        )
    return offers


def _availability(record):
    out = []
    for entry in _values(record["attributes"], "fulfillment_availability"):
        row = {"fulfillmentChannelCode": entry.get("fulfillment_channel_code", "DEFAULT")}
        if isinstance(entry.get("quantity"), int):
            row["quantity"] = entry["quantity"]
        out.append(row)
    return out


def _status(marketplace_id, record):
    status = []
    if record.get("asin"):
        status.append("DISCOVERABLE")
        stock = any(
            (a.get("quantity") or 0) > 0
            or a.get("fulfillment_channel_code", "").startswith("AMAZON")
            for a in _values(record["attributes"], "fulfillment_availability")
        )
        if _offers(marketplace_id, record) and stock:
            status.insert(0, "BUYABLE")
    return status


# -- operations -----------------------------------------------------------------------


def _submission(sku, status, issues, identifiers=None, included=("issues",)):
    body = {"sku": sku, "status": status, "submissionId": secrets.token_hex(16)}
    if "issues" in included:
        body["issues"] = issues
    if identifiers is not None and "identifiers" in included:
        body["identifiers"] = identifiers
    return body


def _record(ctx, operation, sku, marketplace_id, body, status, issues, preview):
    if preview:
        return
    ctx.state.record(
        "listings",
        {
            "source": "api",
            "operation": operation,
            "sellerId": ctx.seller.seller_id,
            "sku": sku,
            "marketplaceId": marketplace_id,
            "body": body,
            "status": status,
            "issues": issues,
        },
    )


def _write_params(ctx):
    own_seller_path(ctx)
    marketplace_id = query_list(ctx, "marketplaceIds", required=True, max_items=1)[0]
    included = query_list(ctx, "includedData", ["identifiers", "issues"]) or ["issues"]
    mode = ctx.request.args.get("mode")
    if mode not in (None, "VALIDATION_PREVIEW"):
        raise invalid_input(f"Invalid mode {mode}.")
    return marketplace_id, included, mode == "VALIDATION_PREVIEW"


def put_listings_item(ctx):
    marketplace_id, included, preview = _write_params(ctx)
    body = ctx.json_body()
    sku = ctx.path["sku"]
    requirements = body.get("requirements", "LISTING")
    if requirements not in REQUIREMENTS:
        raise invalid_input(f"Invalid requirements {requirements}.")
    if "productType" not in body or "attributes" not in body:
        raise invalid_input("productType and attributes are required.")
    with ctx.state.lock:
        issues = check(
            ctx.seller, marketplace_id, body["productType"], requirements, body["attributes"]
        )
        errors = any(i["severity"] == "ERROR" for i in issues)
        status = "INVALID" if errors else ("VALID" if preview else "ACCEPTED")
        if not errors and not preview:
            store(
                ctx.seller,
                sku,
                marketplace_id,
                body["productType"],
                requirements,
                body["attributes"],
                iso(ctx.state.clock.now()),
            )
        _record(ctx, "put", sku, marketplace_id, body, status, issues, preview)
        identifiers = _identifiers(ctx.seller, sku, marketplace_id)
    return Reply(_submission(sku, status, issues, identifiers, included))


def _identifiers(seller, sku, marketplace_id):
    record = seller.listings.get(sku, {}).get(marketplace_id)
    if not record or not record.get("asin"):
        return []
    return [{"marketplaceId": marketplace_id, "asin": record["asin"]}]


def patch_listings_item(ctx):
    marketplace_id, included, preview = _write_params(ctx)
    body = ctx.json_body()
    sku = ctx.path["sku"]
    if not body.get("productType") or not body.get("patches"):
        raise invalid_input("productType and patches are required.")
    with ctx.state.lock:
        record = ctx.seller.listings.get(sku, {}).get(marketplace_id)
        if record is None:
            issues = [
                issue(
                    "4000009",
                    f"SKU {sku} does not exist in marketplace {marketplace_id}.",
                    category="INVALID_SKU",
                )
            ]
        else:
            attributes, issues = apply_patches(record["attributes"], body["patches"])
            issues += check(
                ctx.seller, marketplace_id, body["productType"], record["requirements"], attributes
            )
        errors = any(i["severity"] == "ERROR" for i in issues)
        status = "INVALID" if errors else ("VALID" if preview else "ACCEPTED")
        if not errors and not preview:
            store(
                ctx.seller,
                sku,
                marketplace_id,
                body["productType"],
                record["requirements"],
                attributes,
                iso(ctx.state.clock.now()),
            )
        _record(ctx, "patch", sku, marketplace_id, body, status, issues, preview)
        identifiers = _identifiers(ctx.seller, sku, marketplace_id)
    return Reply(_submission(sku, status, issues, identifiers, included))


def delete_listings_item(ctx):
    own_seller_path(ctx)
    marketplace_id = query_list(ctx, "marketplaceIds", required=True, max_items=1)[0]
    sku = ctx.path["sku"]
    with ctx.state.lock:
        records = ctx.seller.listings.get(sku, {})
        records.pop(marketplace_id, None)
        if not records:
            ctx.seller.listings.pop(sku, None)
        _record(ctx, "delete", sku, marketplace_id, None, "ACCEPTED", [], False)
    return Reply(
        {"sku": sku, "status": "ACCEPTED", "submissionId": secrets.token_hex(16), "issues": []}
    )


def get_listings_item(ctx):
    own_seller_path(ctx)
    markets = query_list(ctx, "marketplaceIds", required=True, max_items=1)
    included = query_list(ctx, "includedData", GET_INCLUDED) or ["summaries"]
    with ctx.state.lock:
        item = render(ctx.seller, ctx.path["sku"], markets, included)
    if item is None:
        raise not_found(f"SKU '{ctx.path['sku']}' not found in marketplace {markets[0]}")
    return Reply(item)


def search_listings_items(ctx):
    own_seller_path(ctx)
    marketplace_id = query_list(ctx, "marketplaceIds", required=True, max_items=1)[0]
    included = query_list(ctx, "includedData", GET_INCLUDED) or ["summaries"]
    identifiers = query_list(ctx, "identifiers", max_items=20)
    kind = ctx.request.args.get("identifiersType")
    if identifiers and kind not in SEARCH_IDENTIFIER_TYPES:
        raise invalid_input("identifiersType is required with identifiers.")
    size = query_int(ctx, "pageSize", 10, 1, 20)
    offset = 0
    token = ctx.request.args.get("pageToken")
    with ctx.state.lock:
        if token:
            page = ctx.state.get_page(token, "listings", ctx.seller.seller_id)
            if page is None:
                raise invalid_input("Invalid pageToken.")
            offset = page["offset"]
        skus = []
        for sku, records in ctx.seller.listings.items():
            record = records.get(marketplace_id)
            if record is None:
                continue
            if identifiers and not _matches(
                ctx.seller, sku, record, marketplace_id, kind, identifiers
            ):
                continue
            skus.append((record["lastUpdatedDate"], sku))
        skus.sort(reverse=ctx.request.args.get("sortOrder", "DESC") == "DESC")
        chunk = [
            render(ctx.seller, sku, [marketplace_id], included)
            for _, sku in skus[offset : offset + size]
        ]
        body = {"numberOfResults": len(skus), "items": chunk}
        if offset + size < len(skus):
            next_token = secrets.token_urlsafe(18)
            ctx.state.add_page(
                next_token, {"seller": ctx.seller.seller_id, "offset": offset + size}, "listings"
            )
            body["pagination"] = {"nextToken": next_token}
    return Reply(body)


def _matches(seller, sku, record, marketplace_id, kind, identifiers):
    if kind == "SKU":
        return sku in identifiers
    if kind == "ASIN":
        return record.get("asin") in identifiers
    item = catalog.by_asin(seller, record.get("asin") or "")
    found = catalog.identifiers_of(item, marketplace_id) if item else set()
    for entry in _values(record["attributes"], "externally_assigned_product_identifier"):
        found.add((str(entry.get("type", "")).upper(), str(entry.get("value", ""))))
    return any((kind, value) in found for value in identifiers)
