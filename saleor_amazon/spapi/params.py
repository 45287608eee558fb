"""Query values as Amazon wants them (comma-separated lists, ISO 8601 UTC times)."""

from datetime import UTC


def csv(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return ",".join(str(v) for v in value)


def iso(value) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def clean(params: dict) -> dict:
    return {k: v for k, v in params.items() if v is not None}


def chunks(items, size):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]
