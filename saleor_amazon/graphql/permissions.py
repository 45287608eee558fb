"""Which Saleor permissions open which part of the Amazon API."""

from saleor.permission.enums import (
    ChannelPermissions,
    OrderPermissions,
    PluginsPermissions,
    ProductPermissions,
)

# Any one of them is enough.
ACCOUNTS = (ChannelPermissions.MANAGE_CHANNELS, PluginsPermissions.MANAGE_PLUGINS)
ORDERS = (OrderPermissions.MANAGE_ORDERS,)
OFFERS = (ProductPermissions.MANAGE_PRODUCTS,)
