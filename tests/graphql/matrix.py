"""The permission matrix every Amazon GraphQL operation is tested with."""

from dataclasses import dataclass

import pytest
from saleor.permission.enums import (
    ChannelPermissions,
    OrderPermissions,
    PluginsPermissions,
    ProductPermissions,
)


def permission_cases(operations, needed, other):
    """pytest params (name, role, granted, allowed): anonymous, customer, staff without a
    permission, staff with ``other``, staff with ``needed``, app without, app with."""
    for name in operations:
        yield pytest.param(name, "anonymous", None, False, id=f"{name}-anonymous")
        yield pytest.param(name, "customer", None, False, id=f"{name}-customer")
        yield pytest.param(name, "staff", None, False, id=f"{name}-staff-no-permission")
        yield pytest.param(name, "staff", other, False, id=f"{name}-staff-other")
        yield pytest.param(name, "staff", needed, True, id=f"{name}-staff")
        yield pytest.param(name, "app", None, False, id=f"{name}-app-no-permission")
        yield pytest.param(name, "app", needed, True, id=f"{name}-app")


def check_permission(
    amazon_api, operations, objects, name, role, granted, allowed, business_errors=False
):
    """Run ``operations[name]`` (document, variable names) as ``role``: allowed, it answers
    without errors (``business_errors``: a mutation may refuse the objects for a reason of
    its own); refused, Saleor's PermissionDenied and no data."""
    document, variables = operations[name]
    api = amazon_api(role)
    if granted:
        api.grant(granted)

    content = api.post_graphql(document, {v: objects[v] for v in variables}).json()

    errors = content.get("errors") or []
    if allowed:
        assert errors == [], errors
        assert content["data"][name] is not None
        if not business_errors:
            assert not (content["data"][name].get("errors") or []), content
    else:
        codes = [e["extensions"]["exception"]["code"] for e in errors]
        assert "PermissionDenied" in codes, content
        assert content["data"][name] is None


@dataclass
class Nested:
    """A nested field reached through a parent the requester may read (``parent``: its
    permission, None for a top-level field), readable with one of ``allowed``.

    ``path`` leads to the field in ``data``; ``*`` stands for every element of a list."""

    document: str
    variables: list
    path: str
    parent: object
    allowed: tuple


EXTRA_PERMISSIONS = (
    OrderPermissions.MANAGE_ORDERS,
    ProductPermissions.MANAGE_PRODUCTS,
    ChannelPermissions.MANAGE_CHANNELS,
    PluginsPermissions.MANAGE_PLUGINS,
)


def nested_permission_cases(paths):
    """pytest params (name, role, granted, allowed): staff and apps holding the parent's
    permission plus nothing, MANAGE_ORDERS, MANAGE_PRODUCTS, MANAGE_CHANNELS or
    MANAGE_PLUGINS."""
    for name, nested in paths.items():
        for role in ("staff", "app"):
            for extra in (None, *EXTRA_PERMISSIONS):
                granted = tuple(dict.fromkeys(p for p in (nested.parent, extra) if p))
                allowed = any(p in nested.allowed for p in granted)
                label = extra.name if extra else "none"
                yield pytest.param(name, role, granted, allowed, id=f"{name}-{role}-{label}")


def _at(value, keys):
    if not keys:
        yield value
        return
    key, rest = keys[0], keys[1:]
    if key == "*":
        for item in value or []:
            yield from _at(item, rest)
    elif value is not None:
        yield from _at(value.get(key), rest)


def check_nested_permission(amazon_api, paths, objects, name, role, granted, allowed):
    """Allowed: the nested field has data and there is no error. Refused: the field is
    null with Saleor's PermissionDenied at its path, and what holds it is still there."""
    nested = paths[name]
    api = amazon_api(role)
    if granted:
        api.grant(*granted)

    content = api.post_graphql(nested.document, {v: objects[v] for v in nested.variables}).json()

    keys = nested.path.split(".")
    values = list(_at(content["data"], keys))
    errors = content.get("errors") or []
    assert values, content  # the parent rows are there
    if allowed:
        assert errors == [], errors
        assert all(value is not None for value in values), content
    else:
        assert all(value is None for value in values), content
        denied = [e for e in errors if e["extensions"]["exception"]["code"] == "PermissionDenied"]
        assert len(denied) == len(errors) >= 1, content
        if nested.parent:  # the parent itself stays readable
            assert content["data"][keys[0]] is not None, content
