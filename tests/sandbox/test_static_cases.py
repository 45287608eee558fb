"""Amazon's static sandbox cases (``x-amzn-api-sandbox.static`` in the models) for every
operation the sandbox serves: the sandbox answers each with the case's response."""

import json

import pytest

from amazon_sandbox import contract, validation
from amazon_sandbox.app import OPERATIONS, STATIC_HEADER


def _cases():
    if not validation.models_available():
        return []
    found = []
    for op in OPERATIONS:
        spec = contract.spec_for(op.method, op.path)
        if spec is None:
            continue
        for index, (status, params, response) in enumerate(spec.static_cases()):
            found.append(
                pytest.param(op, spec, status, params, response, id=f"{op.name}-{index}-{status}")
            )
    return found


CASES = _cases()


def _request(op, spec, params, seller_id):
    kinds = {p["name"]: p["in"] for p in spec.params}
    path = op.path
    for part in [p for p in op.path.split("/") if p.startswith("<")]:
        name = part[1:-1].split(":")[-1]
        value = params.get(name, {}).get(
            "value", seller_id if name == "sellerId" else "STATIC-CASE"
        )
        path = path.replace(part, str(value))
    query = {}
    body = None
    for name, spec_value in params.items():
        where = "body" if name == "body" else kinds.get(name, "query")
        value = spec_value.get("value", {})  # {"body": {}} stands for any body
        if where == "body":
            body = json.dumps(value).encode()
        elif where == "query":
            query[name] = ",".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return path, query, body


def test_the_models_folder_is_there():
    if not validation.models_available():
        pytest.fail(validation.MISSING_MESSAGE)
    assert len(CASES) >= 30


@pytest.mark.parametrize(("op", "spec", "status", "params", "response"), CASES)
def test_static_case_gets_its_response(amazon_sandbox, api, op, spec, status, params, response):
    path, query, body = _request(op, spec, params, amazon_sandbox.seller_id)

    got = api.call(
        op.method,
        path,
        params=query,
        data=body,
        token=amazon_sandbox.grantless_token() if op.grantless else None,
        headers={STATIC_HEADER: "true", **({"Content-Type": "application/json"} if body else {})},
    )

    assert got.status_code == status, got.text
    if status == 204 or response is None:
        assert got.content == b""
    else:
        assert got.json() == response


@pytest.mark.parametrize(
    ("op", "spec", "status", "params", "response"),
    [c for c in CASES if any("value" in v for v in c.values[3].values())],
)
def test_cases_with_parameters_match_without_the_static_header(
    amazon_sandbox, api, op, spec, status, params, response
):
    path, query, body = _request(op, spec, params, amazon_sandbox.seller_id)

    got = api.call(
        op.method,
        path,
        params=query,
        data=body,
        headers={"Content-Type": "application/json"} if body else {},
    )

    assert got.status_code == status, got.text
