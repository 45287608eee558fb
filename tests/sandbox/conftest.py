"""Raw-HTTP helpers for the sandbox's own tests (they do not go through saleor_amazon.spapi)."""

import pytest
import requests


class Api:
    """Calls SP-API paths on the sandbox with an LWA access token."""

    def __init__(self, sandbox, token):
        self.sandbox = sandbox
        self.token = token
        self.http = requests.Session()

    def call(self, method, path, token=None, **kwargs):
        headers = {"x-amz-access-token": token or self.token, **kwargs.pop("headers", {})}
        kwargs.setdefault("timeout", 30)
        return self.http.request(method, self.sandbox.url + path, headers=headers, **kwargs)

    def get(self, path, **kwargs):
        return self.call("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.call("POST", path, **kwargs)


@pytest.fixture
def api(amazon_sandbox):
    client = Api(amazon_sandbox, amazon_sandbox.access_token())
    yield client
    client.http.close()
