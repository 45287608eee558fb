"""Saleor's product hooks (called through ``saleor_amazon.hooks``): schedule a debounced
diff sync of the marketplaces where the product's variants are offered. Nothing is sent
from inside Saleor's request; errors are logged by the dispatcher."""

from .sync import schedule_for_unlinked, schedule_for_variants


def on_product_updated(product):
    schedule_for_variants(product.variants.values_list("pk", flat=True))


def on_product_variant_updated(variant):
    schedule_for_variants([variant.pk])


def on_product_deleted(product, variant_ids):
    # The offers of deleted variants are unlinked (variant set to null) by the database.
    schedule_for_variants(variant_ids or [])
    schedule_for_unlinked()


def on_product_variant_deleted(variant):
    schedule_for_variants([variant.pk])
    schedule_for_unlinked()
