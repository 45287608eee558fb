"""Which Saleor permissions open which part of the Amazon API.

A nested object needs what its own top-level query needs: an order's (or offer's, or
feed's) ``account`` and ``marketplace`` need ``ACCOUNTS`` like ``amazonAccount``;
orders, offers and feeds carry a small non-sensitive view of their account and
marketplace (``accountName``, ``sellerId``, ``marketplaceCode``) for lists.

Feeds belong to the side that sends them: the order feeds (acknowledgements and
cancellations, fulfilments, invoices) are ``ORDERS`` matters, every other feed (the
listings feeds) ``OFFERS``. ``amazonFeeds`` and ``amazonFeed`` accept either permission
and show each requester only the feeds of their side; a feed nested in an order
record (``AmazonShipment.feed`` …) needs what ``amazonFeed`` would need for it.
"""

from django.db.models import Q
from saleor.core.exceptions import PermissionDenied
from saleor.permission.enums import (
    ChannelPermissions,
    OrderPermissions,
    PluginsPermissions,
    ProductPermissions,
)
from saleor.permission.utils import one_of_permissions_or_auth_filter_required

from ..fulfillment.feeds import ACKNOWLEDGEMENT, INVOICE, ORDER_FULFILLMENT

# Any one of them is enough.
ACCOUNTS = (ChannelPermissions.MANAGE_CHANNELS, PluginsPermissions.MANAGE_PLUGINS)
ORDERS = (OrderPermissions.MANAGE_ORDERS,)
OFFERS = (ProductPermissions.MANAGE_PRODUCTS,)
FEEDS = ORDERS + OFFERS  # each requester sees the feeds of their side

ORDER_FEED_TYPES = (ACKNOWLEDGEMENT, ORDER_FULFILLMENT, INVOICE)


def feed_permissions(feed_type: str) -> tuple:
    """What ``amazonFeed`` needs for a feed of ``feed_type``."""
    return ORDERS if feed_type in ORDER_FEED_TYPES else OFFERS


def has_one_of(context, perms) -> bool:
    return one_of_permissions_or_auth_filter_required(context, perms)


def visible_feeds(context) -> Q:
    """The feeds the requester may read (nothing without ORDERS or OFFERS)."""
    orders, offers = has_one_of(context, ORDERS), has_one_of(context, OFFERS)
    if orders and offers:
        return Q()
    if orders:
        return Q(feed_type__in=ORDER_FEED_TYPES)
    if offers:
        return ~Q(feed_type__in=ORDER_FEED_TYPES)
    return Q(pk__in=[])


def check_feed(context, feed):
    """The feed, or PermissionDenied when the requester's side does not cover it."""
    if feed is None:
        return None
    needed = feed_permissions(feed.feed_type)
    if not has_one_of(context, needed):
        raise PermissionDenied(permissions=needed)
    return feed
