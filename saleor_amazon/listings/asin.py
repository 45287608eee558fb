"""Finding the ASIN an offer is listed on.

In order: the offer's own ASIN; the variant's attribute or metadata key configured as
ASIN; then Amazon's Catalog Items API searched with the variant's barcode (EAN, UPC, ISBN
or GTIN from the configured attribute or metadata key). Several catalog items for one
barcode are reported, never guessed.
"""

import re
from dataclasses import dataclass

from saleor.attribute.models import AssignedVariantAttributeValue
from saleor.product.models import ProductVariant

from .options import ListingOptions
from .outcomes import NO_ASIN_FOR_BARCODE, NO_BARCODE, SEVERAL_ASINS

ASIN_RE = re.compile(r"^[A-Z0-9]{10}$")


@dataclass(frozen=True)
class AsinResult:
    asin: str = ""
    source: str = ""  # offer, attribute, metadata, catalog
    problem: str = ""  # an outcome code when no ASIN was found
    message: str = ""


def _clean_asin(value) -> str:
    text = str(value or "").strip().upper()
    return text if ASIN_RE.match(text) else ""


def _clean_barcode(value) -> str:
    return re.sub(r"[\s-]", "", str(value or ""))


def attribute_values(variant_ids, slug) -> dict[int, str]:
    """variant id -> first value of the variant attribute ``slug``."""
    if not slug or not variant_ids:
        return {}
    rows = (
        AssignedVariantAttributeValue.objects.filter(
            assignment__variant_id__in=list(variant_ids), value__attribute__slug=slug
        )
        .order_by("sort_order", "pk")
        .values_list("assignment__variant_id", "value__plain_text", "value__name")
    )
    found: dict[int, str] = {}
    for variant_id, plain, name in rows:
        text = (plain or name or "").strip()
        if text:
            found.setdefault(variant_id, text)
    return found


def metadata_values(variant_ids, key) -> dict[int, str]:
    if not key or not variant_ids:
        return {}
    found = {}
    rows = ProductVariant.objects.filter(pk__in=list(variant_ids)).values_list(
        "pk", "metadata", "private_metadata"
    )
    for pk, public, private in rows:
        value = (public or {}).get(key) or (private or {}).get(key)
        if value:
            found[pk] = str(value).strip()
    return found


def local_asins(variant_ids, options: ListingOptions) -> dict[int, tuple[str, str]]:
    """variant id -> (ASIN, source) from the configured attribute, then metadata."""
    result = {}
    by_metadata = metadata_values(variant_ids, options.asin_metadata_key)
    by_attribute = attribute_values(variant_ids, options.asin_attribute)
    for variant_id in variant_ids:
        asin = _clean_asin(by_attribute.get(variant_id))
        if asin:
            result[variant_id] = (asin, "attribute")
            continue
        asin = _clean_asin(by_metadata.get(variant_id))
        if asin:
            result[variant_id] = (asin, "metadata")
    return result


def barcodes(variant_ids, options: ListingOptions) -> dict[int, str]:
    by_attribute = attribute_values(variant_ids, options.barcode_attribute)
    by_metadata = metadata_values(variant_ids, options.barcode_metadata_key)
    result = {}
    for variant_id in variant_ids:
        code = _clean_barcode(by_attribute.get(variant_id) or by_metadata.get(variant_id))
        if code:
            result[variant_id] = code
    return result


def _catalog_identifiers(item, marketplace_id) -> set[str]:
    values = set()
    for group in item.get("identifiers") or []:
        if group.get("marketplaceId") not in (None, marketplace_id):
            continue
        for entry in group.get("identifiers") or []:
            values.add(str(entry.get("identifier", "")))
    return values


def search_by_barcode(client, marketplace, codes, barcode_type) -> dict[str, list[str]]:
    """barcode -> distinct ASINs Amazon's catalog has for it (in the marketplace)."""
    codes = sorted(set(codes))
    found: dict[str, list[str]] = {code: [] for code in codes}
    if not codes:
        return found
    items = client.search_catalog_items(codes, barcode_type, marketplace.marketplace_id)
    for item in items:
        asin = item.get("asin")
        if not asin:
            continue
        identifiers = _catalog_identifiers(item, marketplace.marketplace_id)
        for code in codes:
            # GTIN-14 zero-pads EAN-13/UPC-12: compare without leading zeros.
            if code in identifiers or code.lstrip("0") in {i.lstrip("0") for i in identifiers}:
                if asin not in found[code]:
                    found[code].append(asin)
    return found


def resolve(client, marketplace, offers, options: ListingOptions) -> dict[int, AsinResult]:
    """offer pk -> AsinResult for linked ``offers`` of one marketplace."""
    results: dict[int, AsinResult] = {}
    pending = []
    for offer in offers:
        asin = _clean_asin(offer.asin)
        if asin:
            results[offer.pk] = AsinResult(asin=asin, source="offer")
        else:
            pending.append(offer)
    variant_ids = [o.variant_id for o in pending]
    local = local_asins(variant_ids, options)
    remaining = []
    for offer in pending:
        if offer.variant_id in local:
            asin, source = local[offer.variant_id]
            results[offer.pk] = AsinResult(asin=asin, source=source)
        else:
            remaining.append(offer)
    codes = barcodes([o.variant_id for o in remaining], options)
    catalog = search_by_barcode(
        client,
        marketplace,
        [codes[o.variant_id] for o in remaining if o.variant_id in codes],
        options.barcode_type,
    )
    for offer in remaining:
        code = codes.get(offer.variant_id)
        if not code:
            results[offer.pk] = AsinResult(
                problem=NO_BARCODE,
                message=(
                    f"The variant has no ASIN and no {options.barcode_type} barcode "
                    f"(attribute '{options.barcode_attribute}' or metadata "
                    f"'{options.barcode_metadata_key}')."
                ),
            )
            continue
        asins = catalog.get(code) or []
        if not asins:
            results[offer.pk] = AsinResult(
                problem=NO_ASIN_FOR_BARCODE,
                message=f"Amazon's catalog has no product with {options.barcode_type} {code}.",
            )
        elif len(asins) > 1:
            results[offer.pk] = AsinResult(
                problem=SEVERAL_ASINS,
                message=(
                    f"Amazon's catalog has several products with {options.barcode_type} "
                    f"{code}: {', '.join(asins)}. Set the ASIN on the offer."
                ),
            )
        else:
            results[offer.pk] = AsinResult(asin=asins[0], source="catalog")
    return results
