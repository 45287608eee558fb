"""The printed schema is the API's contract: it must match the code."""

from saleor_amazon.graphql.print_schema import SCHEMA_FILE, printed_schema


def test_printed_schema_is_up_to_date():
    current = printed_schema()
    stored = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else ""
    assert stored == current, (
        "saleor_amazon/graphql/schema.graphql is out of date; regenerate it with "
        "`python -m saleor_amazon.graphql.print_schema`."
    )


def test_schema_exposes_no_secret_fields():
    text = printed_schema()
    # The token can be sent (AmazonAccountCreateInput) but no type can return it.
    assert text.count("refreshToken:") == 1
    assert "refreshToken: String!" in text.split("input AmazonAccountCreateInput")[1][:400]
    assert "refreshTokenHint: String!" in text
    for operation in (
        "amazonAccounts(",
        "amazonAccount(",
        "amazonMarketplaces(",
        "amazonOrders(",
        "amazonOrder(",
        "amazonOffers(",
        "amazonAccountConnect(",
        "amazonAccountCreate(",
        "amazonAccountDelete(",
        "amazonMarketplaceUpdate(",
        "amazonOrdersFetch(",
        "amazonOrderRecover(",
        "amazonOrdersCreate(",
        "amazonOfferLink(",
        "amazonOfferUnlink(",
    ):
        assert operation in text, operation
