"""Add, connect, re-authorize and remove seller accounts; read their marketplaces."""

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import regions
from ..models import AccountStatus, AmazonAccount, AmazonMarketplace, AmazonOrder
from . import amazon
from .errors import AmazonErrorCode
from .oauth import AuthorizationRequest, validate_region

logger = logging.getLogger(__name__)


def add_account(*, seller_id: str, name: str, region: str, refresh_token: str) -> AmazonAccount:
    """Store an account from a refresh token pasted by the merchant (self-authorization).

    The token is checked against Login with Amazon and the seller's marketplace
    participations are read before anything is saved.
    """
    errors = {}
    seller_id = (seller_id or "").strip()
    name = (name or "").strip()
    refresh_token = (refresh_token or "").strip()
    if not seller_id:
        errors["sellerId"] = ValidationError("Enter the seller id.", code="required")
    if not refresh_token:
        errors["refreshToken"] = ValidationError("Paste the refresh token.", code="required")
    if errors:
        raise ValidationError(errors)
    region = validate_region(region)
    if AmazonAccount.objects.filter(seller_id=seller_id, region=region).exists():
        raise _already_connected(seller_id, region)
    participations = amazon.verify_token(
        region, refresh_token, seller_id=seller_id, field="refreshToken"
    )
    try:
        with transaction.atomic():
            account = AmazonAccount.objects.create(
                seller_id=seller_id,
                name=name or seller_id,
                region=region,
                refresh_token=refresh_token,
                last_used_at=timezone.now(),
            )
            sync_marketplaces(account, participations)
            reattach_orders(account)
    except IntegrityError as exc:  # the same seller was added meanwhile
        raise _already_connected(seller_id, region) from exc
    return account


def _already_connected(seller_id: str, region: str) -> ValidationError:
    return ValidationError(
        {
            "sellerId": ValidationError(
                f"Seller {seller_id} is already connected in region {region}.",
                code=AmazonErrorCode.UNIQUE.value,
            )
        }
    )


def connect_account(
    request: AuthorizationRequest, *, selling_partner_id: str, code: str
) -> AmazonAccount:
    """Finish Login with Amazon: exchange the code and store (or re-authorize) the account."""
    selling_partner_id = (selling_partner_id or "").strip()
    if not selling_partner_id or not code:
        raise ValidationError(
            "Amazon did not send the seller id and authorization code.",
            code=AmazonErrorCode.INVALID.value,
        )
    refresh_token = amazon.exchange_code(code)
    participations = amazon.verify_token(
        request.region, refresh_token, seller_id=selling_partner_id, field="code"
    )
    with transaction.atomic():
        account, created = AmazonAccount.objects.select_for_update().get_or_create(
            seller_id=selling_partner_id,
            region=request.region,
            defaults={"name": _default_name(selling_partner_id, participations)},
        )
        account.refresh_token = refresh_token
        account.status = AccountStatus.ACTIVE
        account.status_message = ""
        account.last_used_at = timezone.now()
        account.save()
        sync_marketplaces(account, participations)
        reattached = reattach_orders(account)
    logger.info(
        "Amazon seller %s (%s) %s by %s; %s earlier orders re-attached.",
        selling_partner_id,
        request.region,
        "connected" if created else "re-authorized",
        f"user {request.user_id}" if request.user_id else f"app {request.app_id}",
        reattached,
    )
    return account


def _default_name(seller_id: str, participations: list[dict]) -> str:
    for item in participations:
        if item.get("storeName"):
            return item["storeName"]
    return seller_id


def sync_marketplaces(account: AmazonAccount, participations: list[dict]):
    """Create the marketplaces the seller participates in (inactive until mapped).

    Existing marketplaces keep their configuration; their country and currency are
    refreshed. Marketplaces of another region or unknown to the plugin are skipped.
    """
    created = []
    for item in participations:
        market = item.get("marketplace") or {}
        participation = item.get("participation") or {}
        info = regions.marketplace(market.get("id", ""))
        if info is None or info.region != account.region:
            continue
        if participation.get("isParticipating") is False:
            continue
        marketplace, was_created = AmazonMarketplace.objects.get_or_create(
            account=account,
            marketplace_id=info.id,
            defaults={
                "country": market.get("countryCode") or info.country,
                "currency": market.get("defaultCurrencyCode") or info.currency,
                "prices_include_tax": info.prices_include_tax,
                "is_active": False,
            },
        )
        if was_created:
            created.append(marketplace)
    return created


def reattach_orders(account: AmazonAccount) -> int:
    """Give a (re)connected account the orders imported before it was removed.

    Orders keep the seller id and Amazon marketplace id when their account is removed;
    those of this seller in this account's region get the account and the marketplace
    back. Returns how many orders were re-attached.
    """
    region_marketplaces = [
        m.id for m in regions.MARKETPLACES.values() if m.region == account.region
    ]
    count = AmazonOrder.objects.filter(
        seller_id=account.seller_id,
        account__isnull=True,
        amazon_marketplace_id__in=region_marketplaces,
    ).update(account=account)
    for marketplace in account.marketplaces.all():
        AmazonOrder.objects.filter(
            account=account,
            marketplace__isnull=True,
            amazon_marketplace_id=marketplace.marketplace_id,
        ).update(marketplace=marketplace)
    return count


def refresh_marketplaces(account: AmazonAccount) -> list[AmazonMarketplace]:
    """Read the seller's participations again (e.g. after joining a new marketplace);
    returns the marketplaces created."""
    participations = amazon.participations(account)
    with transaction.atomic():
        return sync_marketplaces(account, participations)


def remove_account(account: AmazonAccount) -> None:
    """Delete the account and its token; imported Amazon orders (and Saleor orders) stay.

    Orders keep their Amazon marketplace id; their account and marketplace links are
    cleared by the database (SET_NULL). Offers and import cursors of the account go.
    """
    amazon.forget_access_tokens(account)
    with transaction.atomic():
        # Overwrite the secret first so no copy of it survives in a row version
        # another transaction might still read.
        AmazonAccount.objects.filter(pk=account.pk).update(
            refresh_token="", status=AccountStatus.DISABLED
        )
        account.refresh_token = ""
        account.status = AccountStatus.DISABLED
        account.delete()
