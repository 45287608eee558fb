"""saleor_amazon.bulk.update_fields: the same rows as Django's bulk_update, in one statement."""

from datetime import UTC, datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_amazon import bulk
from saleor_amazon.models import AmazonMarketplace, AmazonOffer


def test_update_fields_writes_every_type_and_only_the_given_rows(amazon_account):
    marketplace = AmazonMarketplace.objects.create(
        account=amazon_account, marketplace_id="A1PA6795UKMFR9", country="DE", currency="EUR"
    )
    offers = [
        AmazonOffer.objects.create(
            account=amazon_account, marketplace=marketplace, seller_sku=f"SKU-{i}"
        )
        for i in range(5)
    ]
    when = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
    for i, offer in enumerate(offers[:4]):
        offer.asin = f"B0000000{i:02d}"
        offer.sync_state = "error" if i % 2 else "live"
        offer.last_issues = [{"code": "8541", "severity": "ERROR", "message": f"Größe {i} ✓"}]
        offer.last_sent_price = Decimal("19.99") + i
        offer.last_sent_quantity = None if i == 3 else i
        offer.last_sent_at = when

    fields = ["asin", "sync_state", "last_issues", "last_sent_price", "last_sent_quantity"]
    with CaptureQueriesContext(connection) as queries:
        updated = bulk.update_fields(offers[:4], [*fields, "last_sent_at"], batch_size=3)

    assert updated == 4
    assert len(queries) == 2  # two batches of at most 3 rows, one statement each
    stored = {o.seller_sku: o for o in AmazonOffer.objects.all()}
    for i in range(4):
        offer = stored[f"SKU-{i}"]
        assert offer.asin == f"B0000000{i:02d}"
        assert offer.sync_state == ("error" if i % 2 else "live")
        assert offer.last_issues[0]["message"] == f"Größe {i} ✓"
        assert offer.last_sent_price == Decimal("19.99") + i
        assert offer.last_sent_quantity == (None if i == 3 else i)
        assert offer.last_sent_at == when
    untouched = stored["SKU-4"]
    assert (untouched.asin, untouched.sync_state, untouched.last_issues) == ("", "not_sent", [])
    assert bulk.update_fields([], fields) == 0
