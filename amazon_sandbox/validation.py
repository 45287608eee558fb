"""Amazon's models (Swagger 2.0 JSON and feed schemas) read at run time, and validators
built from them.

The models are Amazon's files and are not part of this package: they are read from
``SALEOR_AMAZON_MODELS_DIR`` (default ``../shared/amazon-models`` beside the checkout).
When the folder is missing, the sandbox runs unvalidated and says so.
"""

import functools
import json
import os
from pathlib import Path

import jsonschema

MODELS_REPOSITORY = "https://github.com/amzn/selling-partner-api-models"
MODELS_COMMIT = "34dc93fe45f37c9a0b2e56823c808f68b4f81754"
MISSING_MESSAGE = (
    "Amazon's SP-API models are missing: set SALEOR_AMAZON_MODELS_DIR to a checkout of "
    f"Amazon's public repository {MODELS_REPOSITORY} at commit {MODELS_COMMIT} "
    "(folders models/ and schemas/)."
)


class ModelsMissing(RuntimeError):
    pass


def models_dir():
    """The models folder (a Path), whether it exists or not."""
    configured = os.environ.get("SALEOR_AMAZON_MODELS_DIR")
    if configured:
        return Path(configured)
    repo_root = Path(__file__).resolve().parents[1]
    return repo_root.parent / "shared" / "amazon-models"


def models_available():
    return (models_dir() / "models").is_dir()


@functools.cache
def load(relative):
    """A JSON file under the models folder, e.g. ``schemas/feeds/listings-feed-schema-v2.json``."""
    path = models_dir() / relative
    if not path.is_file():
        raise ModelsMissing(f"{MISSING_MESSAGE} Not found: {relative}")
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


@functools.cache
def definition_validator(model, name):
    """A jsonschema validator for ``#/definitions/<name>`` of a Swagger model file."""
    document = load(model)
    schema = {"allOf": [{"$ref": f"#/definitions/{name}"}], "definitions": document["definitions"]}
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def errors_for(model, name, instance):
    """Human-readable validation errors of ``instance`` against a model definition."""
    validator = definition_validator(model, name)
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '<root>'}: {error.message}"
        for error in validator.iter_errors(instance)
    ]


ORDERS_MODEL = "models/orders-api-model/orders_2026-01-01.json"


@functools.cache
def schema_validator(relative):
    """A jsonschema validator for a JSON Schema file under the models folder."""
    schema = load(relative)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=jsonschema.FormatChecker())


def errors_for_schema(relative, instance):
    """Human-readable validation errors of ``instance`` against a JSON Schema file."""
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '<root>'}: {error.message}"
        for error in schema_validator(relative).iter_errors(instance)
    ]


LISTINGS_FEED_SCHEMA = "schemas/feeds/listings-feed-schema-v2.json"
LISTINGS_MESSAGE_SCHEMA = "schemas/feeds/listings-feed-message-schema-v2.json"
REPORT_SCHEMA = "schemas/feeds/listings-feed-processing-report-schema-v2.json"
