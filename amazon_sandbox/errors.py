"""Amazon-shaped errors and JSON replies."""

import json

from werkzeug.wrappers import Response


class ApiError(Exception):
    """An SP-API error: HTTP status plus Amazon's ``{"errors": [...]}`` body."""

    def __init__(self, status, code, message, details=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details

    def body(self):
        error = {"code": self.code, "message": self.message}
        if self.details is not None:
            error["details"] = self.details
        return {"errors": [error]}


def invalid_input(message, details=None):
    return ApiError(400, "InvalidInput", message, details)


def not_found(message):
    return ApiError(404, "NotFound", message)


def unauthorized(message="Access to requested resource is denied."):
    return ApiError(403, "Unauthorized", message, "")


class Reply:
    """What an operation handler returns: status and a JSON-able body (or None)."""

    def __init__(self, body=None, status=200, headers=None, raw=None, content_type=None):
        self.body = body
        self.status = status
        self.headers = dict(headers or {})
        self.raw = raw
        self.content_type = content_type


def json_response(body, status=200, headers=None):
    data = b"" if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
    response = Response(data, status=status, headers=headers or {})
    if body is not None:
        response.content_type = "application/json"
    return response
