"""The Saleor customer of an Amazon order, following the marketplace's customer policy.

Guest (default): no customer, the order keeps Amazon's relay e-mail. Attach: an
existing customer with the buyer's e-mail, else one with the same name and address
(duplicate search). Create: as attach, and a new customer when none matches.
"""

from saleor.account.models import Address, User

from ..models import AmazonMarketplace, CustomerPolicy
from .mapping import OrderInput

# How a customer the plugin created is recognised (metadata), e.g. to anonymise it once
# its orders are (see privacy.py); customers that existed before never carry it.
CREATED_MARK = {"amazon": "created from an Amazon order"}


def find_customer(order: OrderInput) -> User | None:
    if order.buyer_email:
        user = User.objects.filter(email__iexact=order.buyer_email).first()
        if user:
            return user
    address = order.address or {}
    if not (address.get("last_name") and address.get("postal_code")):
        return None
    same_address = Address.objects.filter(
        first_name__iexact=address["first_name"],
        last_name__iexact=address["last_name"],
        postal_code__iexact=address["postal_code"],
        street_address_1__iexact=address["street_address_1"],
    )
    return User.objects.filter(addresses__in=same_address).distinct().first()


def customer_for(marketplace: AmazonMarketplace, order: OrderInput) -> User | None:
    policy = marketplace.customer_policy
    if policy == CustomerPolicy.GUEST:
        return None
    user = find_customer(order)
    if user or policy != CustomerPolicy.CREATE or not order.buyer_email:
        return user
    address = order.address or {}
    first, _, last = (order.buyer_name or "").partition(" ")
    return User.objects.create(
        email=order.buyer_email.lower(),
        first_name=address.get("first_name") or first,
        last_name=address.get("last_name") or last,
        is_active=True,
        is_confirmed=False,
        metadata=dict(CREATED_MARK),
    )
