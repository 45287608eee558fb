"""Account services without Amazon: regions, participations, states, marketplace rules."""

import threading

import pytest
from django.core.exceptions import ValidationError

from saleor_amazon.accounts import oauth
from saleor_amazon.accounts.marketplaces import shipping_method_for, update_marketplace
from saleor_amazon.accounts.services import sync_marketplaces
from saleor_amazon.models import AmazonMarketplace


def _participation(marketplace_id, country, currency, participating=True):
    return {
        "marketplace": {
            "id": marketplace_id,
            "countryCode": country,
            "defaultCurrencyCode": currency,
        },
        "participation": {"isParticipating": participating, "hasSuspendedListings": False},
    }


def test_validate_region():
    assert oauth.validate_region("eu") == "EU"
    with pytest.raises(ValidationError) as info:
        oauth.validate_region("XX")
    [error] = info.value.error_dict["region"]
    assert error.code == "invalid_region"


def test_sync_marketplaces_keeps_only_participating_marketplaces_of_the_region(amazon_account):
    created = sync_marketplaces(
        amazon_account,
        [
            _participation("A1PA6795UKMFR9", "DE", "EUR"),
            _participation("A1C3SOZRARQ6R3", "PL", "PLN"),
            _participation("A13V1IB3VIYZZH", "FR", "EUR", participating=False),
            _participation("ATVPDKIKX0DER", "US", "USD"),  # NA: another region
            _participation("A2NOTKNOWN000", "ZZ", "XXX"),  # e.g. a non-Amazon channel
        ],
    )
    assert sorted(m.code for m in created) == ["DE", "PL"]
    assert all(not m.is_active for m in created)
    assert AmazonMarketplace.objects.get(marketplace_id="A1C3SOZRARQ6R3").currency == "PLN"


def test_sync_marketplaces_keeps_existing_configuration(amazon_marketplace_de, channel_eur):
    amazon_marketplace_de.channel = channel_eur
    amazon_marketplace_de.is_active = True
    amazon_marketplace_de.save()
    created = sync_marketplaces(
        amazon_marketplace_de.account, [_participation("A1PA6795UKMFR9", "DE", "EUR")]
    )
    assert created == []
    amazon_marketplace_de.refresh_from_db()
    assert amazon_marketplace_de.is_active
    assert amazon_marketplace_de.channel == channel_eur


def test_a_state_is_consumed_once_even_by_concurrent_callbacks():
    state = oauth.issue_state(oauth.AuthorizationRequest(region="EU", user_id=1))
    results = []
    barrier = threading.Barrier(8)

    def consume():
        barrier.wait()
        try:
            results.append(oauth.consume_state(state))
        except ValidationError as exc:
            results.append(exc)

    threads = [threading.Thread(target=consume) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    won = [r for r in results if isinstance(r, oauth.AuthorizationRequest)]
    assert len(won) == 1
    assert won[0].region == "EU"
    assert all(
        r.error_dict["state"][0].code == "invalid_state"
        for r in results
        if isinstance(r, ValidationError)
    )


def test_state_is_not_stored_in_clear():
    from django.core.cache import cache

    state = oauth.issue_state(oauth.AuthorizationRequest(region="NA", app_id=3))
    assert cache.get(f"saleor_amazon:oauth-state:{state}") is None
    assert oauth.consume_state(state).app_id == 3


def test_update_marketplace_refuses_unknown_fields(amazon_marketplace_de):
    with pytest.raises(ValueError, match="account"):
        update_marketplace(amazon_marketplace_de, {"account": None})


def test_update_marketplace_rejects_unknown_service_level(amazon_marketplace_de, shipping_method):
    with pytest.raises(ValidationError) as info:
        update_marketplace(amazon_marketplace_de, {"shipping_methods": {"ROCKET": shipping_method}})
    assert info.value.error_dict["shippingMethods"][0].code == "invalid"


def test_shipping_method_for_falls_back_to_the_default(amazon_marketplace_de):
    amazon_marketplace_de.shipping_methods = {"*": 7, "EXPEDITED": 9}
    assert shipping_method_for(amazon_marketplace_de, "EXPEDITED") == 9
    assert shipping_method_for(amazon_marketplace_de, "STANDARD") == 7
    amazon_marketplace_de.shipping_methods = {}
    assert shipping_method_for(amazon_marketplace_de, "STANDARD") is None


@pytest.mark.sandbox
def test_refresh_marketplaces_adds_new_participations(amazon_sandbox_config):
    from saleor_amazon.accounts.services import refresh_marketplaces
    from saleor_amazon.models import AccountStatus, AmazonAccount

    sandbox = amazon_sandbox_config
    account = AmazonAccount.objects.create(
        seller_id=sandbox.seller_id, name="S", region="NA", refresh_token=sandbox.refresh_token
    )
    AmazonMarketplace.objects.create(
        account=account, marketplace_id="ATVPDKIKX0DER", country="US", currency="USD"
    )
    created = refresh_marketplaces(account)
    assert [m.code for m in created] == ["CA"]
    assert refresh_marketplaces(account) == []

    sandbox.revoke(sandbox.refresh_token)
    with pytest.raises(ValidationError) as info:
        refresh_marketplaces(account)
    assert info.value.error_dict["id"][0].code == "invalid_token"
    account.refresh_from_db()
    assert account.status == AccountStatus.AUTH_FAILED
