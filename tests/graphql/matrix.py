"""The permission matrix every Amazon GraphQL operation is tested with."""

import pytest


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
