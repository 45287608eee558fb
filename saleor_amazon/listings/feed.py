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


def _free_form(node: dict | None) -> bool:
    """Whether a schema node accepts any content (no properties, patterns or names)."""
    if not isinstance(node, dict):
        return False
    constrained = ("properties", "patternProperties", "propertyNames", "required", "enum")
    return (
        not any(key in node for key in constrained)
        and node.get("additionalProperties", True) is True
    )


@functools.cache
def _shape_validation_is_exact(path: str) -> bool:
    """True when the schema leaves attribute contents and patch values free-form, so a
    message's shape (keys, operation, non-empty strings, id in range) decides its
    validity and one message per shape needs the full check."""
    try:
        item = _schema(path)["properties"]["messages"]["items"]["properties"]
        value = item["patches"]["items"]["properties"]["value"]
        return _free_form(item["attributes"]) and _free_form(value["items"])
    except (KeyError, TypeError):
        return False


def _shape(message):
    """The message with free-form contents and free values replaced by placeholders that
    the schema judges the same way (see :func:`_shape_validation_is_exact`)."""
    if not isinstance(message, dict):
        return message
    shape = dict(message)
    message_id = shape.get("messageId")
    if type(message_id) is int and 1 <= message_id <= 2147483647:
        shape["messageId"] = 1
    for key in ("sku", "productType"):
        if isinstance(shape.get(key), str) and shape[key]:
            shape[key] = "x"
    if isinstance(shape.get("attributes"), dict):
        shape["attributes"] = dict.fromkeys(shape["attributes"], 0)
    if isinstance(shape.get("patches"), list):
        shape["patches"] = [_patch_shape(p) for p in shape["patches"]]
    return shape


def _patch_shape(patch):
    if not isinstance(patch, dict):
        return patch
    shape = dict(patch)
    if isinstance(shape.get("path"), str):
        shape["path"] = "x"
    if isinstance(shape.get("value"), list):
        shape["value"] = [{} if isinstance(v, dict) else v for v in shape["value"]]
    return shape


def validate(document: dict) -> None:
    """Raise :class:`InvalidFeed` unless ``document`` is valid against Amazon's schema.

    When the schema leaves attribute contents free-form (as listings-feed-schema-v2
    does), each distinct message shape is validated once with the envelope, and the
    message count is checked against the schema's limits: the same verdict as validating
    every message, in a fraction of the time for large feeds.
    """
    path = str(models_dir() / FEED_SCHEMA)
    validator = _validator(path)
    target = document
    messages = document.get("messages") if isinstance(document, dict) else None
    if isinstance(messages, list) and _shape_validation_is_exact(path):
        limits = _schema(path)["properties"]["messages"]
        problems = []
        if len(messages) > limits.get("maxItems", len(messages)):
            problems.append(f"messages: more than {limits['maxItems']} messages")
        if len(messages) < limits.get("minItems", 0):
            problems.append(f"messages: fewer than {limits['minItems']} messages")
        if problems:
            raise InvalidFeed(problems)
        shapes = {}
        for message in messages:
            shape = _shape(message)
            shapes.setdefault(json.dumps(shape, sort_keys=True, default=str), shape)
        target = {**document, "messages": list(shapes.values()) or messages}
    problems = [
        f"{'/'.join(str(p) for p in error.absolute_path) or '<root>'}: {error.message}"
        for error in validator.iter_errors(target)
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
