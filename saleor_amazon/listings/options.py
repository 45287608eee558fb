"""Per-marketplace listing settings, stored in ``AmazonMarketplace.settings`` (JSON).

Keys (all optional; defaults in :data:`DEFAULTS`):

``asin_attribute``
    Slug of a variant attribute holding the ASIN (default ``asin``).
``asin_metadata_key``
    Variant metadata key holding the ASIN (default ``amazon_asin``).
``barcode_attribute`` / ``barcode_metadata_key``
    Variant attribute slug / metadata key holding the barcode (defaults ``ean`` / ``ean``).
``barcode_type``
    Amazon identifier type of that barcode: ``EAN``, ``UPC``, ``ISBN`` or ``GTIN``
    (default ``EAN``).
``allow_zero_stock``
    Send offers with no stock (quantity 0) instead of skipping them (default false).
``unlink_action``
    What a deleted variant or unlinked offer does on Amazon: ``zero`` (quantity 0, the
    default) or ``delete`` (delete the listing).
``handling_time``
    Default handling time in days (``lead_time_to_ship_max_days``); null: Amazon's default.
``product_type``
    Amazon product type sent with offer-only listings (default ``PRODUCT``).
``warehouses``
    Saleor warehouse ids whose stock counts; default: the warehouses of the channel.
``untracked_quantity``
    Quantity sent for variants that do not track inventory (default 0).
``import_product_type`` / ``import_category``
    Saleor product type and category ids used by the listings import to create products.
``sync_debounce_seconds``
    Delay that batches price and stock changes into one update (default 60).
"""

from dataclasses import dataclass, fields

BARCODE_TYPES = ("EAN", "UPC", "ISBN", "GTIN")
UNLINK_ACTIONS = ("zero", "delete")


@dataclass(frozen=True)
class ListingOptions:
    asin_attribute: str = "asin"
    asin_metadata_key: str = "amazon_asin"
    barcode_attribute: str = "ean"
    barcode_metadata_key: str = "ean"
    barcode_type: str = "EAN"
    allow_zero_stock: bool = False
    unlink_action: str = "zero"
    handling_time: int | None = None
    product_type: str = "PRODUCT"
    warehouses: tuple = ()
    untracked_quantity: int = 0
    import_product_type: int | None = None
    import_category: int | None = None
    sync_debounce_seconds: int = 60


DEFAULTS = ListingOptions()
_NAMES = {f.name for f in fields(ListingOptions)}


def for_marketplace(marketplace) -> ListingOptions:
    """The marketplace's options; unknown keys are ignored, bad values fall back."""
    stored = marketplace.settings if isinstance(marketplace.settings, dict) else {}
    values = {k: v for k, v in stored.items() if k in _NAMES and v is not None}
    if str(values.get("barcode_type", "EAN")).upper() not in BARCODE_TYPES:
        values.pop("barcode_type")
    elif "barcode_type" in values:
        values["barcode_type"] = values["barcode_type"].upper()
    if values.get("unlink_action") not in UNLINK_ACTIONS:
        values.pop("unlink_action", None)
    if "warehouses" in values:
        values["warehouses"] = tuple(int(w) for w in values["warehouses"] or ())
    for key in ("handling_time", "untracked_quantity", "sync_debounce_seconds"):
        if key in values:
            try:
                values[key] = max(0, int(values[key]))
            except (TypeError, ValueError):
                values.pop(key)
    if not isinstance(values.get("allow_zero_stock", False), bool):
        values.pop("allow_zero_stock")
    return ListingOptions(**values)
