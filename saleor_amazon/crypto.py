"""Encryption at rest for secrets (LWA refresh tokens) and buyer data.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256, as Amazon's Data
Protection Policy asks for AES-128 or stronger). Keys come from the setting or
environment variable ``SALEOR_AMAZON_ENCRYPTION_KEYS``: a comma-separated list,
newest first; every key decrypts and the first encrypts, so keys can be rotated
(``manage.py amazon_rotate_keys`` re-encrypts). Without it, a key is derived
from Django's ``SECRET_KEY``.
"""

import base64
import hashlib
import os
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

PREFIX = "fernet:"


class DecryptionError(Exception):
    """A stored value cannot be decrypted with any configured key."""


def _fernet_key(secret: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(secret.encode())
        if len(raw) == 32:
            return secret.encode()
    except ValueError:
        pass
    digest = hashlib.sha256(b"saleor-amazon:" + secret.encode()).digest()
    return base64.urlsafe_b64encode(digest)


def _configured_secrets() -> tuple[str, ...]:
    value = getattr(settings, "SALEOR_AMAZON_ENCRYPTION_KEYS", None) or os.environ.get(
        "SALEOR_AMAZON_ENCRYPTION_KEYS"
    )
    if value:
        if isinstance(value, str):
            value = value.split(",")
        return tuple(v.strip() for v in value if v.strip())
    return (settings.SECRET_KEY,)


@lru_cache(maxsize=8)
def _cipher(secrets: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(_fernet_key(s)) for s in secrets])


def cipher() -> MultiFernet:
    return _cipher(_configured_secrets())


def encrypt(value: str | None) -> str | None:
    if value is None or value == "":
        return value
    return PREFIX + cipher().encrypt(value.encode()).decode()


def decrypt(value: str | None) -> str | None:
    if not value or not value.startswith(PREFIX):
        return value
    try:
        return cipher().decrypt(value[len(PREFIX) :].encode()).decode()
    except InvalidToken as exc:
        raise DecryptionError(
            "Cannot decrypt a stored Amazon secret: SALEOR_AMAZON_ENCRYPTION_KEYS "
            "(or SECRET_KEY) changed without keeping the old key."
        ) from exc


def rotate(value: str | None) -> str | None:
    """Re-encrypt a stored value with the newest key."""
    if not value or not value.startswith(PREFIX):
        return encrypt(value)
    return PREFIX + cipher().rotate(value[len(PREFIX) :].encode()).decode()


def mask(value: str | None, visible: int = 4) -> str:
    """Show a secret or personal value without revealing it: ``Atzr…1a2b``."""
    if not value:
        return ""
    if len(value) <= visible * 2:
        return "*" * len(value)
    return f"{value[:visible]}…{value[-visible:]}"


class EncryptedTextField(models.TextField):
    """A text column stored encrypted; Python code sees the clear text."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if isinstance(value, str) and value.startswith(PREFIX):
            return value
        return encrypt(value)
