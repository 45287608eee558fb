"""JSON_LISTINGS_FEED documents: offer-only listings on existing ASINs and partial updates.

Every document is validated against Amazon's listings feed schema (v2), read at run time
from the models folder (``SALEOR_AMAZON_MODELS_DIR``, default ``../shared/amazon-models``
beside the checkout), and split at the schema's per-feed message limit.
"""

import functools
import json
import os
import secrets
from decimal import Decimal
from pathlib import Path

import jsonschema

FEED_TYPE = "JSON_LISTINGS_FEED"
CONTENT_TYPE = "application/json; charset=UTF-8"
FEED_SCHEMA = "schemas/feeds/listings-feed-schema-v2.json"
REPORT_DATA = ["issues", "summaries", "offers", "fulfillmentAvailability"]
# Amazon's condition_type values.
CONDITIONS = (
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
)


class FeedSchemaMissing(RuntimeError):
    pass


class InvalidFeed(ValueError):
    def __init__(self, problems):
        super().__init__("; ".join(problems[:5]))
        self.problems = problems


def models_dir() -> Path:
    configured = os.environ.get("SALEOR_AMAZON_MODELS_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2].parent / "shared" / "amazon-models"


@functools.cache
def _schema(path: str) -> dict:
    file = Path(path)
    if not file.is_file():
        raise FeedSchemaMissing(
            f"Amazon's listings feed schema is missing ({FEED_SCHEMA} under the models "
            "folder): set SALEOR_AMAZON_MODELS_DIR to a checkout of Amazon's "
            "selling-partner-api-models."
        )
    with file.open(encoding="utf-8") as handle:
        return json.load(handle)


def schema() -> dict:
    return _schema(str(models_dir() / FEED_SCHEMA))


@functools.cache
def _validator(path: str):
    document = _schema(path)
    cls = jsonschema.validators.validator_for(document)
    return cls(document)


def message_limit() -> int:
    """Amazon's per-feed message limit (``messages.maxItems`` of the schema)."""
    return int(schema()["properties"]["messages"]["maxItems"])


def validate(document: dict) -> None:
    validator = _validator(str(models_dir() / FEED_SCHEMA))
    problems = [
        f"{'/'.join(str(p) for p in error.absolute_path) or '<root>'}: {error.message}"
        for error in validator.iter_errors(document)
    ]
    if problems:
        raise InvalidFeed(problems)


# -- attributes -------------------------------------------------------------------------


def _price_attribute(price: Decimal, currency: str, marketplace_id: str) -> list:
    return [
        {
            "marketplace_id": marketplace_id,
            "currency": currency,
            "our_price": [{"schedule": [{"value_with_tax": price}]}],
        }
    ]


def _availability(quantity: int, handling_time: int | None) -> list:
    entry = {"fulfillment_channel_code": "DEFAULT", "quantity": int(quantity)}
    if handling_time is not None:
        entry["lead_time_to_ship_max_days"] = int(handling_time)
    return [entry]


def offer_message(message_id, *, sku, asin, condition, price, quantity, handling_time,
                  marketplace_id, currency, product_type) -> dict:  # fmt: skip
    """A full offer-only listing (UPDATE, LISTING_OFFER_ONLY) on an existing ASIN."""
    return {
        "messageId": message_id,
        "sku": sku,
        "operationType": "UPDATE",
        "productType": product_type,
        "requirements": "LISTING_OFFER_ONLY",
        "attributes": {
            "condition_type": [{"value": condition, "marketplace_id": marketplace_id}],
            "merchant_suggested_asin": [{"value": asin, "marketplace_id": marketplace_id}],
            "purchasable_offer": _price_attribute(price, currency, marketplace_id),
            "fulfillment_availability": _availability(quantity, handling_time),
        },
    }


def patch_message(message_id, *, sku, product_type, marketplace_id, currency,
                  price=None, quantity=None, handling_time=None) -> dict:  # fmt: skip
    """A partial update (PATCH) of the price and/or the quantity."""
    patches = []
    if price is not None:
        patches.append(
            {
                "op": "replace",
                "path": "/attributes/purchasable_offer",
                "value": _price_attribute(price, currency, marketplace_id),
            }
        )
    if quantity is not None:
        patches.append(
            {
                "op": "replace",
                "path": "/attributes/fulfillment_availability",
                "value": _availability(quantity, handling_time),
            }
        )
    return {
        "messageId": message_id,
        "sku": sku,
        "operationType": "PATCH",
        "productType": product_type,
        "patches": patches,
    }


def delete_message(message_id, *, sku) -> dict:
    return {"messageId": message_id, "sku": sku, "operationType": "DELETE"}


# -- documents ----------------------------------------------------------------------------


def documents(seller_id: str, messages: list[dict], limit: int | None = None) -> list[dict]:
    """Feed documents of at most ``limit`` messages (Amazon's limit by default), each
    validated; message ids restart at 1 in every document."""
    limit = min(limit or message_limit(), message_limit())
    result = []
    for start in range(0, len(messages), limit):
        chunk = messages[start : start + limit]
        for index, message in enumerate(chunk, start=1):
            message["messageId"] = index
        document = {
            "header": {
                "sellerId": seller_id,
                "version": "2.0",
                "report": {"includedData": list(REPORT_DATA), "apiVersion": "2021-08-01"},
            },
            "messages": chunk,
        }
        validate(document)
        result.append(document)
    return result


def dumps(document: dict) -> str:
    """UTF-8 JSON text; Decimal amounts are written as JSON numbers, digit for digit."""
    marker = f"@@dec{secrets.token_hex(6)}@@"

    def default(value):
        if isinstance(value, Decimal):
            return f"{marker}{value}{marker}"
        raise TypeError(f"{type(value).__name__} is not JSON serializable")

    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), default=default)
    return text.replace(f'"{marker}', "").replace(f'{marker}"', "")
