"""Price and quantity of offers as Amazon should show them, computed in bulk.

Price: the offer's override, else the variant's channel listing price in the
marketplace's channel, converted to what Amazon displays (VAT included in EU/UK
marketplaces, before sales tax in US/CA) with Saleor's flat tax rates when the channel's
prices are entered the other way. Quantity: the override, else the variant's stock in the
marketplace's warehouses minus allocations (Saleor's own availability); never negative.

The number of queries does not depend on the number of offers (a few per chunk of
:data:`CHUNK` variants).
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from saleor.channel.models import Channel
from saleor.product.models import ProductVariant, ProductVariantChannelListing
from saleor.tax.models import TaxClassCountryRate, TaxConfiguration, TaxConfigurationPerCountry
from saleor.warehouse.models import Stock

from .options import ListingOptions

CHUNK = 5000
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Computed:
    price: Decimal | None  # None: no price in the marketplace's channel
    quantity: int


def _chunks(items, size=CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def warehouse_ids(marketplace, options: ListingOptions) -> list[int]:
    if options.warehouses:
        return list(options.warehouses)
    if marketplace.channel_id is None:
        return [marketplace.default_warehouse_id] if marketplace.default_warehouse_id else []
    through = Channel.warehouses.through
    return list(
        through.objects.filter(channel_id=marketplace.channel_id).values_list(
            "warehouse_id", flat=True
        )
    )


def _prices_entered_gross(marketplace) -> tuple[bool, bool]:
    """(channel prices include tax, taxes are charged) for the marketplace's country."""
    config = TaxConfiguration.objects.filter(channel_id=marketplace.channel_id).first()
    if config is None:
        return True, False
    per_country = TaxConfigurationPerCountry.objects.filter(
        tax_configuration=config, country=marketplace.country
    ).first()
    charge = per_country.charge_taxes if per_country else config.charge_taxes
    return config.prices_entered_with_tax, charge


def _tax_rates(marketplace, variant_rows) -> dict[int, Decimal]:
    """variant id -> flat tax rate (percent) in the marketplace's country."""
    rates = TaxClassCountryRate.objects.filter(country=marketplace.country).values_list(
        "tax_class_id", "rate"
    )
    by_class = dict(rates)
    default = by_class.get(None, Decimal(0))
    result = {}
    for row in variant_rows:
        tax_class = row["product__tax_class_id"] or row["product__product_type__tax_class_id"]
        result[row["id"]] = by_class.get(tax_class, default) if tax_class else default
    return result


def _convert(price: Decimal, rate: Decimal, entered_gross: bool, show_gross: bool) -> Decimal:
    if entered_gross == show_gross or not rate:
        return price.quantize(CENT, ROUND_HALF_UP)
    factor = 1 + rate / 100
    converted = price * factor if show_gross else price / factor
    return converted.quantize(CENT, ROUND_HALF_UP)


def saleor_values(marketplace, variant_ids, options: ListingOptions) -> dict[int, Computed]:
    """variant id -> price and quantity from Saleor (no overrides)."""
    variant_ids = sorted(set(variant_ids))
    result: dict[int, Computed] = {}
    if not variant_ids:
        return result
    warehouses = warehouse_ids(marketplace, options)
    entered_gross, charge = (
        _prices_entered_gross(marketplace) if marketplace.channel_id else (True, False)
    )
    show_gross = marketplace.prices_include_tax
    convert = charge and entered_gross != show_gross
    for chunk in _chunks(variant_ids):
        rows = list(
            ProductVariant.objects.filter(pk__in=chunk).values(
                "id",
                "track_inventory",
                "product__tax_class_id",
                "product__product_type__tax_class_id",
            )
        )
        rates = _tax_rates(marketplace, rows) if convert else {}
        prices = {}
        if marketplace.channel_id:
            prices = dict(
                ProductVariantChannelListing.objects.filter(
                    variant_id__in=chunk,
                    channel_id=marketplace.channel_id,
                    price_amount__isnull=False,
                ).values_list("variant_id", "price_amount")
            )
        available: dict[int, int] = defaultdict(int)
        stocks = (
            Stock.objects.filter(product_variant_id__in=chunk, warehouse_id__in=warehouses)
            .annotate_available_quantity()
            .values_list("product_variant_id", "available_quantity")
        )
        for variant_id, quantity in stocks:
            available[variant_id] += max(0, quantity or 0)
        for row in rows:
            price = prices.get(row["id"])
            if price is not None:
                price = _convert(price, rates.get(row["id"], Decimal(0)), entered_gross, show_gross)
            if row["track_inventory"]:
                quantity = available.get(row["id"], 0)
            else:
                quantity = options.untracked_quantity
            result[row["id"]] = Computed(price=price, quantity=max(0, quantity))
    return result


def offer_values(offer, saleor: Computed | None) -> Computed:
    """The values to send for ``offer``: its overrides over Saleor's values."""
    price = offer.price if offer.price is not None else (saleor.price if saleor else None)
    if offer.quantity is not None:
        quantity = offer.quantity
    else:
        quantity = saleor.quantity if saleor else 0
    return Computed(price=price, quantity=max(0, int(quantity)))


def compute(marketplace, offers, options: ListingOptions) -> dict[int, Computed]:
    """offer pk -> what Amazon should show for it (linked offers only)."""
    values = saleor_values(
        marketplace, [o.variant_id for o in offers if o.variant_id is not None], options
    )
    return {
        offer.pk: offer_values(offer, values.get(offer.variant_id))
        for offer in offers
        if offer.variant_id is not None
    }
