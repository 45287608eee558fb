"""Test settings: Saleor's own test settings plus this plugin.

Saleor's test settings empty ``PLUGINS``; the plugin is put back from
``EXTERNAL_PLUGINS``, which Saleor's settings fill from the ``saleor.plugins``
entry point, so the tests exercise the same discovery a deployment relies on.
"""

import os

# The same defaults as the Makefile, so a plain `pytest` works too.
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/saleor_amazon")
os.environ.setdefault("SECRET_KEY", "saleor-amazon-tests")

from saleor.tests.settings import *  # noqa: F403
from saleor.tests.settings import EXTERNAL_PLUGINS

PLUGINS = list(EXTERNAL_PLUGINS)

# Encryption key for secrets at rest (tests only).
SALEOR_AMAZON_ENCRYPTION_KEYS = os.environ.get(
    "SALEOR_AMAZON_ENCRYPTION_KEYS", "test-key-not-secret"
)
