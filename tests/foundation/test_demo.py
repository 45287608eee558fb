"""The demo that `make run` starts: a shop wired to the sandbox's demo seller."""

from saleor.order.models import Order
from saleor.product.models import ProductVariant

from amazon_demo import shop as demo
from amazon_sandbox.generate import SKU_POOL, local_price
from saleor_amazon import conf
from saleor_amazon.models import AmazonMarketplace, AmazonOrder
from saleor_amazon.orders.importer import import_orders


def _price(item, currency):
    return local_price(item.price_eur, currency)


def test_demo_shop_imports_sandbox_orders(amazon_sandbox, db):
    demo.configure_plugin(amazon_sandbox.url)
    config = conf.load()
    assert config.active
    assert config.endpoints["EU"] == amazon_sandbox.url
    assert config.lwa_endpoint == amazon_sandbox.lwa_url

    warehouse, channels, created = demo.prepare_shop(SKU_POOL, _price)
    assert created == len(SKU_POOL)
    assert set(ProductVariant.objects.values_list("sku", flat=True)) >= {s.sku for s in SKU_POOL}
    # Idempotent: a second run creates nothing new.
    assert demo.prepare_shop(SKU_POOL, _price)[2] == 0

    account = demo.connect_demo_account(warehouse, channels)
    active = AmazonMarketplace.objects.filter(account=account, is_active=True)
    assert active.exists()
    for marketplace in active:
        assert marketplace.channel.currency_code == marketplace.currency
        assert marketplace.default_warehouse == warehouse

    summary = import_orders(account)
    stored = AmazonOrder.objects.filter(seller_id=amazon_sandbox.seller_id)
    assert stored.count() > 0
    converted = stored.exclude(saleor_order=None)
    assert converted.exists(), summary
    for amazon_order in converted:
        order = Order.objects.get(pk=amazon_order.saleor_order_id)
        assert order.external_reference == amazon_order.amazon_order_id
        assert order.total_gross_amount == amazon_order.total
