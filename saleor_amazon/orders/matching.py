"""Which Saleor variant each Amazon order line is: linked offer first, then SKU."""

from django.db.models import Q
from saleor.product.models import ProductVariant

from ..models import AmazonMarketplace, AmazonOffer, UnmatchedLinePolicy


class PlaceholderMissing(ValueError):
    """The marketplace uses placeholder lines but names no placeholder variant."""


def match_variants(marketplace: AmazonMarketplace, skus: list[str]) -> dict[str, ProductVariant]:
    """Seller SKU -> variant (with its product), in two queries whatever the line count.

    A linked ``AmazonOffer`` (account + marketplace + seller SKU) wins over a variant
    whose SKU equals the seller SKU.
    """
    skus = sorted({sku for sku in skus if sku})
    if not skus:
        return {}
    by_sku: dict[str, int] = dict(
        AmazonOffer.objects.filter(
            account_id=marketplace.account_id,
            marketplace=marketplace,
            seller_sku__in=skus,
            variant__isnull=False,
        ).values_list("seller_sku", "variant_id")
    )
    rest = [sku for sku in skus if sku not in by_sku]
    variants = ProductVariant.objects.select_related("product").filter(
        Q(id__in=list(by_sku.values())) | Q(sku__in=rest)
    )
    by_id, result = {}, {}
    for variant in variants:
        by_id[variant.id] = variant
        if variant.sku in rest:
            result[variant.sku] = variant
    for sku, variant_id in by_sku.items():
        if variant_id in by_id:
            result[sku] = by_id[variant_id]
    return result


def resolve_lines(marketplace: AmazonMarketplace, lines, known=None) -> tuple[dict, list[str]]:
    """(order item id -> variant or None, unmatched seller SKUs under the hold policy).

    ``known``: seller SKU -> variant or None, already looked up (e.g. for a whole page of
    orders by :func:`match_variants`); only SKUs missing from it are queried.
    Under the placeholder policy, unmatched lines get the marketplace's placeholder
    variant; without one configured, :class:`PlaceholderMissing` is raised.
    """
    skus = [line.seller_sku for line in lines]
    known = known or {}
    found = {sku: known[sku] for sku in skus if sku in known}
    missing = [sku for sku in skus if sku not in known]
    if missing:
        found.update(match_variants(marketplace, missing))
    result, unmatched = {}, []
    for line in lines:
        variant = found.get(line.seller_sku)
        if variant is None:  # (unknown SKU, or known to match nothing)
            if marketplace.unmatched_line_policy == UnmatchedLinePolicy.PLACEHOLDER:
                if marketplace.placeholder_variant is None:
                    raise PlaceholderMissing(
                        f"Marketplace {marketplace.code} uses placeholder lines but has no "
                        "placeholder variant configured."
                    )
                variant = marketplace.placeholder_variant
            else:
                unmatched.append(line.seller_sku or line.asin or line.order_item_id)
        result[line.order_item_id] = variant
    return result, unmatched
