"""Everything the sandbox remembers: sellers, their orders and listings, tokens, what it
received, and a request log. One lock guards it all (the server is threaded).

Seed format (``--seed FILE`` or ``POST /_sandbox/reset`` body), either one seller::

    {"sellerId": "A2...", "refreshToken": "Atzr|...", "storeName": "...",
     "marketplaces": ["A1PA6795UKMFR9", ...],
     "orders": [<Orders API 2026-01-01 Order, as getOrder returns it with all includedData>],
     "catalog": [<Catalog Items 2022-04-01 Item>],
     "listings": [{"sku", "marketplaceId" | "marketplaceIds", "productType", "requirements",
                   "attributes"}],
     "inventory": [<FBA Inventory InventorySummary>]}

or several: ``{"sellers": [<seller>, ...]}``. Only ``sellerId`` is required; the refresh
token defaults to ``Atzr|sandbox-<sellerId>`` and marketplaces to the demo set.
"""

import copy
import secrets
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from . import marketplaces
from .clock import Clock, iso

REQUEST_LOG_LIMIT = 20000


@dataclass
class Seller:
    seller_id: str
    marketplaces: list
    store_name: str = "Sandbox Store"
    orders: dict = field(default_factory=dict)  # orderId -> full Order
    visible_at: dict = field(default_factory=dict)  # orderId -> sandbox timestamp
    catalog: list = field(default_factory=list)
    listings: dict = field(default_factory=dict)  # sku -> {marketplaceId: listing record}
    inventory: list = field(default_factory=list)


def normalize_seed(seed):
    """The list of seller dicts in a seed document (see module docstring)."""
    if seed is None:
        return []
    if isinstance(seed, list):
        return seed
    if "sellers" in seed:
        return list(seed["sellers"])
    return [seed]


class State:
    def __init__(self, clock=None):
        self.lock = threading.RLock()
        self.clock = clock or Clock()
        # Access tokens outlive resets (clients cache them, as python-amazon-sp-api does);
        # one is valid while the refresh token it came from is active for the same seller.
        self.access_tokens = {}  # token -> {"seller": id|None, "expires": ts, "refresh": token}
        self.clear()

    def clear(self):
        with self.lock:
            self.sellers = {}
            self.refresh_tokens = {}  # token -> seller id (active ones only)
            self.revoked = set()
            self.auth_codes = {}  # code -> {"seller": id, "expires": ts}
            self.received = defaultdict(list)
            self.request_log = []
            self.counters = defaultdict(Counter)  # operation -> Counter of outcomes
            self.pages = {}  # pagination token -> page state
            self.problems = []  # sandbox bugs found by response validation
            self.extra = {}  # per-feature stores (feeds, documents, ...)

    # -- sellers -------------------------------------------------------------
    def load(self, seed):
        """Replace all sellers with those in ``seed``."""
        with self.lock:
            self.clear()
            for data in normalize_seed(seed):
                self.add_seller(data)

    def add_seller(self, data):
        with self.lock:
            seller_id = data["sellerId"]
            seller = Seller(
                seller_id=seller_id,
                marketplaces=list(data.get("marketplaces") or marketplaces.DEMO_MARKETPLACE_IDS),
                store_name=data.get("storeName", "Sandbox Store"),
                catalog=copy.deepcopy(data.get("catalog", [])),
                inventory=copy.deepcopy(data.get("inventory", [])),
            )
            stamp = iso(self.clock.now())
            for listing in data.get("listings", []):
                markets = listing.get("marketplaceIds") or [listing["marketplaceId"]]
                for marketplace_id in markets:
                    record = {
                        "productType": listing.get("productType", "PRODUCT"),
                        "requirements": listing.get("requirements", "LISTING_OFFER_ONLY"),
                        "attributes": copy.deepcopy(listing.get("attributes", {})),
                        "createdDate": listing.get("createdDate", stamp),
                        "lastUpdatedDate": listing.get("lastUpdatedDate", stamp),
                        "issues": copy.deepcopy(listing.get("issues", [])),
                    }
                    seller.listings.setdefault(listing["sku"], {})[marketplace_id] = record
            self.sellers[seller_id] = seller
            token = data.get("refreshToken") or f"Atzr|sandbox-{seller_id}"
            self.refresh_tokens[token] = seller_id
            for order in data.get("orders", []):
                self.put_order(seller, order)
            return seller

    def default_seller(self):
        with self.lock:
            return next(iter(self.sellers.values()), None)

    def seller(self, seller_id=None):
        """A seller by id (None: the first one). KeyError when unknown."""
        with self.lock:
            if seller_id is None:
                seller = self.default_seller()
                if seller is None:
                    raise KeyError("no sellers loaded")
                return seller
            return self.sellers[seller_id]

    def refresh_token_of(self, seller_id):
        with self.lock:
            for token, owner in self.refresh_tokens.items():
                if owner == seller_id:
                    return token
        return None

    # -- orders --------------------------------------------------------------
    def put_order(self, seller, order, visible_at=None):
        with self.lock:
            order = copy.deepcopy(order)
            seller.orders[order["orderId"]] = order
            if visible_at is not None:
                seller.visible_at[order["orderId"]] = visible_at
            else:
                seller.visible_at.pop(order["orderId"], None)
            return order

    def find_order(self, order_id):
        """(seller, order) for an order id in any seller, or (None, None)."""
        with self.lock:
            for seller in self.sellers.values():
                if order_id in seller.orders:
                    return seller, seller.orders[order_id]
        return None, None

    # -- tokens --------------------------------------------------------------
    def mint_access_token(self, seller_id, refresh_token=None, lifetime=3600):
        with self.lock:
            token = "Atza|" + secrets.token_urlsafe(24)
            self.access_tokens[token] = {
                "seller": seller_id,
                "expires": self.clock.timestamp() + lifetime,
                "refresh": refresh_token,
            }
            return token

    def mint_refresh_token(self, seller_id):
        with self.lock:
            token = "Atzr|" + secrets.token_urlsafe(24)
            self.refresh_tokens[token] = seller_id
            return token

    def revoke(self, refresh_token):
        """Revoke a refresh token; the access tokens minted from it stop working too.
        True if it was active."""
        with self.lock:
            known = self.refresh_tokens.pop(refresh_token, None) is not None
            self.revoked.add(refresh_token)
            return known

    def access_token_problem(self, token, grantless=False):
        """None if ``token`` is a valid access token, else Amazon's reason."""
        with self.lock:
            entry = self.access_tokens.get(token)
            if entry is None:
                return "The access token you provided is revoked, malformed or invalid."
            refresh = entry["refresh"]
            if refresh is not None and self.refresh_tokens.get(refresh) != entry["seller"]:
                return "The access token you provided is revoked, malformed or invalid."
            if entry["seller"] is not None and entry["seller"] not in self.sellers:
                return "The access token you provided is revoked, malformed or invalid."
            if entry["expires"] < self.clock.timestamp():
                return "The access token you provided has expired."
            if entry["seller"] is None and not grantless:
                return "Access to requested resource is denied."
            return None

    # -- pagination tokens -------------------------------------------------------
    def add_page(self, token, page, kind, lifetime=24 * 3600):
        """Remember what a pagination token stands for; expired tokens are dropped."""
        with self.lock:
            now = self.clock.timestamp()
            page.setdefault("expires", now + lifetime)
            page["kind"] = kind
            if len(self.pages) > 1000:
                for old in [t for t, p in self.pages.items() if p["expires"] < now]:
                    del self.pages[old]
            self.pages[token] = page

    def get_page(self, token, kind, seller_id):
        """The page a token stands for, or None if unknown, expired, another seller's or
        another operation's."""
        with self.lock:
            page = self.pages.get(token)
            if (
                page is None
                or page["kind"] != kind
                or page.get("seller") != seller_id
                or page["expires"] < self.clock.timestamp()
            ):
                return None
            return page

    # -- records -------------------------------------------------------------
    def record(self, kind, item):
        with self.lock:
            self.received[kind].append(copy.deepcopy(item))

    def log_request(self, entry):
        with self.lock:
            self.request_log.append(entry)
            if len(self.request_log) > REQUEST_LOG_LIMIT:
                del self.request_log[: len(self.request_log) - REQUEST_LOG_LIMIT]
            self.counters[entry["operation"]][str(entry["status"])] += 1
            self.counters[entry["operation"]]["total"] += 1
