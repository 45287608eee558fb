import pytest

from saleor_amazon import crypto


def test_encrypt_decrypt_roundtrip_with_unicode(settings):
    settings.SALEOR_AMAZON_ENCRYPTION_KEYS = "k1"
    token = crypto.encrypt("Atzr|Łódź-Größe")
    assert token.startswith(crypto.PREFIX)
    assert "Łódź" not in token
    assert crypto.decrypt(token) == "Atzr|Łódź-Größe"


def test_rotation_keeps_old_values_readable(settings):
    settings.SALEOR_AMAZON_ENCRYPTION_KEYS = "old"
    old = crypto.encrypt("secret")
    settings.SALEOR_AMAZON_ENCRYPTION_KEYS = "new,old"
    assert crypto.decrypt(old) == "secret"
    rotated = crypto.rotate(old)
    settings.SALEOR_AMAZON_ENCRYPTION_KEYS = "new"
    assert crypto.decrypt(rotated) == "secret"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(old)


def test_mask():
    assert crypto.mask("Atzr|abcdefghijkl") == "Atzr…ijkl"
    assert crypto.mask("short") == "*****"
    assert crypto.mask("") == ""
