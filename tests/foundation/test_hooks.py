"""Saleor's hooks reach our services through hooks.run, and a failing service never
breaks Saleor's own action."""

import logging

from saleor.plugins.manager import get_plugins_manager

from saleor_amazon import hooks

CALLS = []


def record(product):
    CALLS.append(product.pk)


def explode(product):
    raise RuntimeError("Amazon is down")


def test_hook_reaches_handler(monkeypatch, product, amazon_plugin_configuration):
    CALLS.clear()
    monkeypatch.setitem(hooks.HANDLERS, "product_updated", f"{__name__}:record")
    get_plugins_manager(allow_replica=False).product_updated(product)
    assert CALLS == [product.pk]


def test_failing_handler_is_logged_not_raised(
    monkeypatch, product, amazon_plugin_configuration, caplog
):
    monkeypatch.setitem(hooks.HANDLERS, "product_updated", f"{__name__}:explode")
    with caplog.at_level(logging.ERROR, logger="saleor_amazon.hooks"):
        get_plugins_manager(allow_replica=False).product_updated(product)
    assert "product_updated hook failed" in caplog.text


def test_inactive_plugin_does_not_call_handlers(monkeypatch, product, amazon_plugin_configuration):
    CALLS.clear()
    amazon_plugin_configuration.active = False
    amazon_plugin_configuration.save()
    monkeypatch.setitem(hooks.HANDLERS, "product_updated", f"{__name__}:record")
    get_plugins_manager(allow_replica=False).product_updated(product)
    assert CALLS == []
