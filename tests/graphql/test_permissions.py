"""Every operation of the Amazon API against every kind of requester.

Accounts and marketplaces: MANAGE_CHANNELS or MANAGE_PLUGINS; orders: MANAGE_ORDERS;
offers: MANAGE_PRODUCTS. Anonymous users, customers, staff and apps without the
permission are refused with Saleor's PermissionDenied; staff and apps with it get data.
"""

from dataclasses import dataclass

import graphene
import pytest
from saleor.permission.enums import (
    ChannelPermissions,
    OrderPermissions,
    PluginsPermissions,
    ProductPermissions,
)

from saleor_amazon.models import AmazonAccount, AmazonOffer, AmazonOrder

ACCOUNT_PERMS = (ChannelPermissions.MANAGE_CHANNELS, PluginsPermissions.MANAGE_PLUGINS)
ORDER_PERMS = (OrderPermissions.MANAGE_ORDERS,)
OFFER_PERMS = (ProductPermissions.MANAGE_PRODUCTS,)


def gid(obj):
    return graphene.Node.to_global_id(type(obj).__name__, obj.pk)


@dataclass
class Operation:
    field: str
    document: str
    variables: object  # objects -> variables
    permissions: tuple


OPERATIONS = [
    Operation(
        "amazonAccounts",
        "{ amazonAccounts(first: 5) { edges { node { id } } } }",
        lambda o: {},
        ACCOUNT_PERMS,
    ),
    Operation(
        "amazonAccount",
        "query ($id: ID!) { amazonAccount(id: $id) { id } }",
        lambda o: {"id": gid(o["account"])},
        ACCOUNT_PERMS,
    ),
    Operation(
        "amazonMarketplaces",
        "{ amazonMarketplaces(first: 5) { edges { node { id } } } }",
        lambda o: {},
        ACCOUNT_PERMS,
    ),
    Operation(
        "amazonOrders",
        "{ amazonOrders(first: 5) { edges { node { id } } } }",
        lambda o: {},
        ORDER_PERMS,
    ),
    Operation(
        "amazonOrder",
        "query ($id: ID!) { amazonOrder(id: $id) { id } }",
        lambda o: {"id": gid(o["order"])},
        ORDER_PERMS,
    ),
    Operation(
        "amazonOffers",
        "{ amazonOffers(first: 5) { edges { node { id } } } }",
        lambda o: {},
        OFFER_PERMS,
    ),
    Operation(
        "amazonAccountConnect",
        "mutation { amazonAccountConnect(region: EU) { consentUrl errors { code } } }",
        lambda o: {},
        ACCOUNT_PERMS,
    ),
    Operation(
        "amazonAccountCreate",
        """mutation { amazonAccountCreate(
             input: {sellerId: "", region: EU, refreshToken: ""}) { errors { code } } }""",
        lambda o: {},
        ACCOUNT_PERMS,
    ),
    Operation(
        "amazonAccountDelete",
        "mutation ($id: ID!) { amazonAccountDelete(id: $id) { errors { code } } }",
        lambda o: {"id": gid(o["spare_account"])},
        ACCOUNT_PERMS,
    ),
    Operation(
        "amazonMarketplaceUpdate",
        """mutation ($id: ID!) { amazonMarketplaceUpdate(id: $id, input: {importOrders: false})
             { errors { code } } }""",
        lambda o: {"id": gid(o["marketplace"])},
        ACCOUNT_PERMS,
    ),
    Operation(
        "amazonOrdersFetch",
        """mutation ($id: ID!) { amazonOrdersFetch(
             marketplace: $id, since: "2026-01-01T00:00:00Z") { errors { code } } }""",
        lambda o: {"id": gid(o["marketplace"])},
        ORDER_PERMS,
    ),
    Operation(
        "amazonOrderRecover",
        """mutation { amazonOrderRecover(amazonOrderId: "not-a-number") { errors { code } } }""",
        lambda o: {},
        ORDER_PERMS,
    ),
    Operation(
        "amazonOrdersCreate",
        "mutation { amazonOrdersCreate(ids: []) { errors { code } } }",
        lambda o: {},
        ORDER_PERMS,
    ),
    Operation(
        "amazonOfferLink",
        """mutation ($variant: ID!, $marketplace: ID!) { amazonOfferLink(input: {
             variant: $variant, marketplace: $marketplace, sellerSku: "SKU-9"}) {
             errors { code } } }""",
        lambda o: {"variant": gid(o["variant"]), "marketplace": gid(o["marketplace"])},
        OFFER_PERMS,
    ),
    Operation(
        "amazonOfferUnlink",
        "mutation ($id: ID!) { amazonOfferUnlink(id: $id) { errors { code } } }",
        lambda o: {"id": gid(o["offer"])},
        OFFER_PERMS,
    ),
]
# A Saleor permission that opens none of the operation's doors.
UNRELATED = {
    ACCOUNT_PERMS: OrderPermissions.MANAGE_ORDERS,
    ORDER_PERMS: ProductPermissions.MANAGE_PRODUCTS,
    OFFER_PERMS: OrderPermissions.MANAGE_ORDERS,
}


@pytest.fixture
def objects(amazon_account, amazon_marketplace_de, variant):
    order = AmazonOrder.objects.create(
        account=amazon_account,
        marketplace=amazon_marketplace_de,
        amazon_order_id="302-9999999-0000001",
        status="UNSHIPPED",
        currency="EUR",
    )
    offer = AmazonOffer.objects.create(
        variant=variant,
        account=amazon_account,
        marketplace=amazon_marketplace_de,
        seller_sku="SKU-1",
    )
    spare = AmazonAccount.objects.create(seller_id="A2SPARE", name="Spare", region="NA")
    return {
        "account": amazon_account,
        "spare_account": spare,
        "marketplace": amazon_marketplace_de,
        "order": order,
        "offer": offer,
        "variant": variant,
    }


def _cases():
    for op in OPERATIONS:
        yield pytest.param(op, "anonymous", (), False, id=f"{op.field}-anonymous")
        yield pytest.param(op, "customer", (), False, id=f"{op.field}-customer")
        yield pytest.param(op, "staff", (), False, id=f"{op.field}-staff-no-permission")
        yield pytest.param(
            op, "staff", (UNRELATED[op.permissions],), False, id=f"{op.field}-staff-other"
        )
        for perm in op.permissions:
            yield pytest.param(op, "staff", (perm,), True, id=f"{op.field}-staff-{perm.name}")
        yield pytest.param(op, "app", (), False, id=f"{op.field}-app-no-permission")
        yield pytest.param(
            op, "app", (op.permissions[0],), True, id=f"{op.field}-app-{op.permissions[0].name}"
        )


@pytest.mark.parametrize(("operation", "role", "granted", "allowed"), list(_cases()))
def test_permissions(amazon_api, objects, operation, role, granted, allowed):
    api = amazon_api(role)
    if granted:
        api.grant(*granted)

    response = api.post_graphql(operation.document, operation.variables(objects))

    content = response.json()
    errors = content.get("errors") or []
    denied = [e for e in errors if e["extensions"]["exception"]["code"] == "PermissionDenied"]
    if allowed:
        assert errors == [], errors
        assert content["data"][operation.field] is not None
    else:
        assert denied, content
        assert content["data"][operation.field] is None
