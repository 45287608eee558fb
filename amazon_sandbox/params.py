"""Query-parameter helpers shared by the operation handlers."""

from .errors import invalid_input, unauthorized


def query_list(ctx, name, allowed=None, max_items=None, required=False):
    """A list query parameter, repeated (a=1&a=2) or comma separated (a=1,2)."""
    values = []
    for raw in ctx.request.args.getlist(name):
        values.extend(v for v in raw.split(",") if v != "")
    if required and not values:
        raise invalid_input(f"Missing required parameter {name}.")
    if max_items is not None and len(values) > max_items:
        raise invalid_input(f"{name} can have at most {max_items} values.")
    if allowed is not None:
        for value in values:
            if value not in allowed:
                raise invalid_input(f"Invalid value for {name}: {value}")
    return values


def query_int(ctx, name, default, low, high):
    raw = ctx.request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid_input(f"{name} must be an integer between {low} and {high}.") from None
    if not low <= value <= high:
        raise invalid_input(f"{name} must be an integer between {low} and {high}.")
    return value


def own_seller_path(ctx):
    """The ``sellerId`` path parameter must be the caller's own."""
    if ctx.path.get("sellerId") != ctx.seller.seller_id:
        raise unauthorized("Access to requested resource is denied.")
