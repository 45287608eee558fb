"""The contract of each served operation, read from Amazon's Swagger models: request
validation (parameters and bodies), response validation, and the static sandbox cases
(``x-amzn-api-sandbox.static``) the models embed.

Without the models folder every check passes (the sandbox runs unvalidated and says so).
"""

import functools
import json

import jsonschema

from . import validation
from .clock import parse_iso

MODEL_FILES = [
    "models/orders-api-model/orders_2026-01-01.json",
    "models/orders-api-model/ordersV0.json",
    "models/sellers-api-model/sellers.json",
    "models/feeds-api-model/feeds_2021-06-30.json",
    "models/listings-items-api-model/listingsItems_2021-08-01.json",
    "models/catalog-items-api-model/catalogItems_2022-04-01.json",
    "models/fba-inventory-api-model/fbaInventory.json",
    "models/fulfillment-outbound-api-model/fulfillmentOutbound_2020-07-01.json",
    "models/notifications-api-model/notifications.json",
]


def swagger_path(rule_path):
    """``/a/<x>/<path:y>`` -> ``/a/{x}/{y}``."""
    parts = []
    for part in rule_path.split("/"):
        if part.startswith("<") and part.endswith(">"):
            part = "{" + part[1:-1].split(":")[-1] + "}"
        parts.append(part)
    return "/".join(parts)


@functools.cache
def spec_for(method, rule_path):
    """The OperationSpec for a served route, or None (no models, or not in them)."""
    if not validation.models_available():
        return None
    path = swagger_path(rule_path)
    for model in MODEL_FILES:
        try:
            document = validation.load(model)
        except validation.ModelsMissing:
            continue
        operation = document.get("paths", {}).get(path, {}).get(method.lower())
        if operation:
            return OperationSpec(model, path, method, operation, document)
    return None


class OperationSpec:
    def __init__(self, model, path, method, operation, document):
        self.model = model
        self.path = path
        self.method = method
        self.operation = operation
        self.operation_id = operation["operationId"]
        self.definitions = document.get("definitions", {})
        self.path_level = document["paths"][path]
        self.params = list(operation.get("parameters", []))

    def _validator(self, schema):
        return jsonschema.Draft4Validator(
            {"allOf": [schema], "definitions": self.definitions},
            format_checker=jsonschema.FormatChecker(),
        )

    # -- requests --------------------------------------------------------------------
    def request_errors(self, request, path_args):
        errors = []
        for param in self.params:
            name, where = param["name"], param["in"]
            if where == "body":
                errors.extend(self._body_errors(request, param))
                continue
            if where == "query":
                raw = request.args.getlist(name)
            elif where == "path":
                raw = [path_args[name]] if name in path_args else []
            else:
                continue
            if not raw:
                if param.get("required"):
                    errors.append(f"Missing required parameter '{name}'.")
                continue
            errors.extend(_param_errors(name, param, raw))
        return errors

    def _body_errors(self, request, param):
        data = request.get_data()
        if not data:
            return ["A request body is required."] if param.get("required") else []
        try:
            body = json.loads(data.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return ["The request body is not valid JSON."]
        return [_describe(e) for e in self._validator(param["schema"]).iter_errors(body)]

    # -- responses -------------------------------------------------------------------
    def response_errors(self, status, body):
        responses = self.operation.get("responses", {})
        documented = responses.get(str(status)) or responses.get("default")
        if documented is None:
            return [f"HTTP {status} is not a documented response of {self.operation_id}."]
        schema = documented.get("schema")
        if schema is None:
            return (
                []
                if body in (None, {}, "")
                else [f"HTTP {status} of {self.operation_id} has no body."]
            )
        return [_describe(e) for e in self._validator(schema).iter_errors(body)]

    # -- static sandbox cases --------------------------------------------------------
    def static_cases(self):
        """[(status, parameters, response)] from the model."""
        cases = []
        for status, response in self.operation.get("responses", {}).items():
            for case in response.get("x-amzn-api-sandbox", {}).get("static", []):
                params = case.get("request", {}).get("parameters", {})
                cases.append((int(status), params, case.get("response")))
        return cases

    def match_static(self, request, path_args, include_unparameterised=False):
        """(status, response) of the first static case this request matches, or None.

        A case matches when every parameter it names has the request's value and the request
        sends no other query parameters or body. Cases giving no parameter value (``{}`` or
        ``{"body": {}}``) would shadow the whole operation, so they are used only with
        ``include_unparameterised``.
        """
        kinds = {p["name"]: p["in"] for p in self.params}
        kinds["body"] = "body"  # cases call the body "body" whatever the model names it
        query_names = set(request.args.keys())
        sent_body = _json_body(request)
        # Most specific first: a case naming no parameters must not shadow the others.
        for status, params, response in sorted(self.static_cases(), key=lambda c: -len(c[1])):
            valued = any("value" in spec for spec in params.values())
            if not valued and not include_unparameterised:
                continue
            named_query = {n for n in params if kinds.get(n, "query") == "query"}
            if query_names != named_query:
                continue
            if ("body" in params) != (sent_body is not None):
                continue
            if all(
                "value" not in spec  # e.g. {"body": {}}: any body
                or _same(kinds.get(n, "query"), spec["value"], request, path_args, sent_body, n)
                for n, spec in params.items()
            ):
                return status, response
        return None


def _json_body(request):
    data = request.get_data()
    if not data:
        return None
    try:
        return json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return ("invalid",)


def _same(where, expected, request, path_args, body, name):
    if where == "body":
        return body == expected
    if where == "path":
        return str(path_args.get(name)) == str(expected)
    values = [v for raw in request.args.getlist(name) for v in raw.split(",")]
    if isinstance(expected, list):
        return values == [str(v) for v in expected]
    return values == [str(expected).lower() if isinstance(expected, bool) else str(expected)]


def _describe(error):
    where = "/".join(str(p) for p in error.absolute_path)
    return f"{where}: {error.message}" if where else error.message


def _param_errors(name, param, raw):
    if param.get("type") == "array":
        values = [v for item in raw for v in item.split(",") if v != ""]
        errors = []
        if "maxItems" in param and len(values) > param["maxItems"]:
            errors.append(f"'{name}' can have at most {param['maxItems']} values.")
        if "minItems" in param and len(values) < param["minItems"]:
            errors.append(f"'{name}' needs at least {param['minItems']} values.")
        item_schema = param.get("items", {})
        for value in values:
            errors.extend(_scalar_errors(name, item_schema, value))
        return errors
    if len(raw) > 1:
        return [f"'{name}' must be given once."]
    return _scalar_errors(name, param, raw[0])


def _scalar_errors(name, schema, value):
    kind = schema.get("type", "string")
    typed = value
    if kind in ("integer", "number"):
        try:
            typed = int(value) if kind == "integer" else float(value)
        except ValueError:
            return [
                f"'{name}' must be a{'n integer' if kind == 'integer' else ' number'}: {value!r}."
            ]
        if "minimum" in schema and typed < schema["minimum"]:
            return [f"'{name}' must be at least {schema['minimum']}."]
        if "maximum" in schema and typed > schema["maximum"]:
            return [f"'{name}' must be at most {schema['maximum']}."]
    elif kind == "boolean" and value not in ("true", "false"):
        return [f"'{name}' must be true or false."]
    if "enum" in schema and typed not in schema["enum"]:
        return [f"'{name}' has an invalid value {value!r}."]
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        return [f"'{name}' is longer than {schema['maxLength']} characters."]
    if "minLength" in schema and len(value) < schema["minLength"]:
        return [f"'{name}' is shorter than {schema['minLength']} characters."]
    if schema.get("format") == "date-time":
        try:
            parse_iso(value)
        except ValueError:
            return [f"'{name}' must be an ISO 8601 date-time: {value!r}."]
    return []
