# ruff: noqa: RUF001 - the test data is non-ASCII on purpose (typographic quotes, dashes)
"""Deterministic generator of realistic Orders API 2026-01-01 orders.

``generate_orders(n, seed=1, marketplaces=None, start=None)`` returns ``n`` Order objects
(as getOrder returns them with every includedData value). Order ``k`` depends only on
``seed`` and ``k``, so a smaller run is a prefix of a larger one.

Money conventions (Decimal math; 2 decimals, JPY 0):

- ``product.price.unitPrice`` is what the buyer sees per unit: VAT-inclusive in EU/UK/JP
  marketplaces, before sales tax in US/CA.
- Proceeds breakdowns always add up exactly to ``proceedsTotal`` (items) and
  ``grandTotal`` (order). In VAT marketplaces the VAT is split out of every gross amount:
  ``ITEM``/``SHIPPING``/``GIFT_WRAP``/``DISCOUNT`` hold net amounts and ``TAX`` the VAT, with
  ``detailedBreakdowns`` per subtype, so ``ITEM + TAX(ITEM) == unitPrice * quantity``. In
  US/CA ``ITEM == unitPrice * quantity`` and ``TAX`` is added on top (marketplace
  facilitator).
- ``DISCOUNT`` amounts are negative; a promoted item carries ``promotion.breakdowns``.

Seller SKUs come from ``SKU_POOL`` (stable), so tests can create matching variants.

CLI: ``python -m amazon_sandbox.generate --orders N --seed S [--out FILE]`` writes a
seed file (one seller) usable with ``--seed``.
"""

import argparse
import json
import random
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from . import marketplaces as mkts
from .clock import iso

DEFAULT_START = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
DEFAULT_SELLER_ID = "A2SANDBOXDEMO1"
DEFAULT_MARKETS = ["DE", "DE", "DE", "FR", "IT", "ES", "GB", "GB", "NL", "PL", "SE", "US", "US"]
EXPONENT = {"JPY": 0}
# Rough price levels relative to EUR, and what a price ends with there.
PRICE_FACTOR = {
    "EUR": Decimal("1"),
    "GBP": Decimal("0.86"),
    "PLN": Decimal("4.3"),
    "SEK": Decimal("11.5"),
    "USD": Decimal("1.08"),
    "CAD": Decimal("1.48"),
    "JPY": Decimal("160"),
}


@dataclass(frozen=True)
class Sku:
    sku: str
    asin: str
    ean: str
    title: str
    price_eur: Decimal  # VAT-inclusive base price in EUR


def _ean13(body12):
    digits = [int(c) for c in body12]
    total = sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return body12 + str((10 - total % 10) % 10)


_SKU_ROWS = [
    ("SBX-TSHIRT-BLK-M", "Bio-T-Shirt schwarz, Größe M", "19.99"),
    ("SBX-TSHIRT-BLK-L", "Bio-T-Shirt schwarz, Größe L", "19.99"),
    ("SBX-TSHIRT-WHT-S", "Bio-T-Shirt weiß, Größe S", "17.99"),
    ("SBX-HOODIE-GRY-M", "Kapuzenpullover grau, Größe M", "49.90"),
    ("SBX-SOCKS-3P", "Wollsocken, 3 Paar (Größe 39–42)", "12.50"),
    ("SBX-MUG-LODZ", "Kubek ceramiczny „Łódź” 330 ml", "9.99"),
    ("SBX-CANDLE-ASA", "Doftljus Åsa, 200 g", "14.95"),
    ("SBX-TEA-ROOIBOS", "Rooibos-Tee, 250 g", "7.49"),
    ("SBX-COFFEE-1KG", "Café en grains « Brûlerie » 1 kg", "24.90"),
    ("SBX-BOTTLE-750", "Edelstahl-Trinkflasche 750 ml", "21.00"),
    ("SBX-LAMP-E27", "Lámpara de mesa E27, latón", "39.95"),
    ("SBX-NOTEBOOK-A5", "Quaderno A5 a righe, 120 pagine", "6.90"),
    ("SBX-PEN-SET", "Füller-Set mit Etui", "29.99"),
    ("SBX-BLANKET-WOOL", "Koc wełniany 150×200 cm", "69.00"),
    ("SBX-SOAP-LAV", "Savon à la lavande, 100 g", "4.99"),
    ("SBX-CABLE-USBC-2M", "USB-C Kabel 2 m, geflochten", "11.99"),
    ("SBX-CHARGER-65W", "GaN-Ladegerät 65 W", "34.99"),
    ("SBX-BOOK-ZIELONA", "Książka „Zielona Góra — przewodnik”", "15.00"),
    ("SBX-PUZZLE-1000", "Puzzle 1000 pièces « Côte d’Azur »", "18.99"),
    ("SBX-YOGA-MAT", "Yogamatte 6 mm, rutschfest", "27.50"),
]
SKU_POOL = [
    Sku(sku, f"B0SBX{index:05d}", _ean13(f"400000{index:06d}"), title, Decimal(price))
    for index, (sku, title, price) in enumerate(_SKU_ROWS, start=1)
]
SKUS = {s.sku: s for s in SKU_POOL}

_PEOPLE = {
    "DE": [
        ("Jürgen Groß", "Königstraße 12", "Stuttgart", "70173", "Baden-Württemberg"),
        ("Anna Müller", "Schloßallee 5a", "Köln", "50667", "Nordrhein-Westfalen"),
        ("Björn Weiß", "Straße des 17. Juni 100", "Berlin", "10623", "Berlin"),
    ],
    "FR": [
        ("Hélène Lefèvre", "12 rue de l’Église", "Orléans", "45000", "Centre-Val de Loire"),
        ("François Dupré", "3 allée des Châtaigniers", "Besançon", "25000", None),
    ],
    "IT": [("Niccolò Mazzà", "Via Giuseppe Garibaldi 7", "Forlì", "47121", "FC")],
    "ES": [("José Ibáñez", "Calle de la Peña 4, 2º", "Logroño", "26001", "La Rioja")],
    "GB": [
        ("Siân O’Connor", "14 Queen’s Road", "Cardiff", "CF10 1AA", "South Glamorgan"),
        ("Zoë Brontë", "2 Church Lane", "Haworth", "BD22 8DR", "West Yorkshire"),
    ],
    "NL": [("Daniël van der Meer", "Prinsengracht 263", "’s-Hertogenbosch", "5211 AA", None)],
    "PL": [
        ("Łukasz Żółć", "ul. Piotrkowska 104", "Łódź", "90-926", "łódzkie"),
        ("Małgorzata Wiśniewska", "ul. Świętojańska 12/3", "Gdańsk", "80-840", "pomorskie"),
    ],
    "SE": [("Åsa Öberg", "Storgatan 9", "Malmö", "211 34", "Skåne")],
    "BE": [("Loïc Dubois", "Rue de l’Étuve 1", "Bruxelles", "1000", None)],
    "IE": [("Seán Ó Súilleabháin", "12 Grafton Street", "Dublin 2", "D02 X285", "Dublin")],
    "US": [
        ("John Smith", "123 Main Street", "Seattle", "98101", "WA"),
        ("María José Núñez", "455 Mission St Apt 12", "San Francisco", "94105", "CA"),
    ],
    "CA": [("Émilie Côté", "1200 Rue Sainte-Catherine O", "Montréal", "H3B 1K9", "QC")],
    "JP": [("山田 太郎", "渋谷区神南1-2-3", "東京都", "150-0041", "東京都")],
}
_CARRIERS = {
    "DE": "DHL",
    "FR": "Colissimo",
    "IT": "BRT",
    "ES": "Correos",
    "GB": "Royal Mail",
    "NL": "PostNL",
    "PL": "InPost",
    "SE": "PostNord",
    "BE": "bpost",
    "IE": "An Post",
    "US": "UPS",
    "CA": "Canada Post",
    "JP": "Yamato Transport",
}
CATEGORY_ORDER = ["ITEM", "SHIPPING", "GIFT_WRAP", "DISCOUNT", "TAX"]
_ORDER_PREFIX = {"NA": ["111", "112", "113", "114"], "EU": ["302", "303", "305", "028", "404"]}


def quantize(amount, currency):
    exponent = EXPONENT.get(currency, 2)
    return Decimal(amount).quantize(Decimal(1).scaleb(-exponent), rounding=ROUND_HALF_UP)


def money(amount, currency):
    return {"amount": str(quantize(amount, currency)), "currencyCode": currency}


def local_price(eur, currency):
    """A shop-like price in ``currency`` (ending in .99 / .90, or whole yen)."""
    raw = eur * PRICE_FACTOR[currency]
    if EXPONENT.get(currency, 2) == 0:
        return quantize(raw.quantize(Decimal(10), rounding=ROUND_HALF_UP), currency)
    whole = raw.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return quantize(max(whole, Decimal(1)) - Decimal("0.01"), currency)


def _weighted(rng, choices):
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights=weights)[0]


class _Line:
    """Money of one order item, by category, before the tax split."""

    def __init__(self, currency):
        self.currency = currency
        self.gross = {}  # category -> gross (buyer-paid) amount

    def add(self, category, amount):
        self.gross[category] = self.gross.get(category, Decimal(0)) + amount

    def proceeds(self, market):
        cur = self.currency
        breakdowns, tax_details, total = [], [], Decimal(0)
        for category in ("ITEM", "SHIPPING", "GIFT_WRAP", "DISCOUNT"):
            if category not in self.gross:
                continue
            gross = quantize(self.gross[category], cur)
            if market.prices_include_tax:
                tax = quantize(gross * market.tax_rate / (1 + market.tax_rate), cur)
                net = gross - tax
            else:
                net = gross
                tax = quantize(gross * market.tax_rate, cur)
            breakdowns.append({"type": category, "subtotal": money(net, cur)})
            if tax:
                tax_details.append({"subtype": category, "value": money(tax, cur)})
            total += net + tax
        if tax_details:
            tax_sum = sum(Decimal(d["value"]["amount"]) for d in tax_details)
            breakdowns.append(
                {"type": "TAX", "subtotal": money(tax_sum, cur), "detailedBreakdowns": tax_details}
            )
        return {"proceedsTotal": money(total, cur), "breakdowns": breakdowns}


def _order_id(rng, market):
    prefix = rng.choice(_ORDER_PREFIX.get(market.region, ["249", "250", "503"]))
    return f"{prefix}-{rng.randrange(10**7):07d}-{rng.randrange(10**7):07d}"


def _status(rng, fulfilled_by, statuses):
    if statuses:
        return rng.choice(list(statuses))
    if fulfilled_by == "AMAZON":
        return "SHIPPED"
    return _weighted(
        rng,
        [
            ("UNSHIPPED", 70),
            ("PENDING", 8),
            ("SHIPPED", 12),
            ("PARTIALLY_SHIPPED", 5),
            ("CANCELLED", 5),
        ],
    )


def generate_order(
    index,
    seed=1,
    marketplaces=None,
    start=None,
    statuses=None,
    fulfilled_by=None,
    spacing_minutes=7,
    until=None,
):
    """Order number ``index`` of the stream for ``seed`` (see the module docstring)."""
    rng = random.Random(f"{seed}:{index}")  # noqa: S311 - test data, not security
    countries = [
        m.country if hasattr(m, "country") else m for m in (marketplaces or DEFAULT_MARKETS)
    ]
    market = _lookup(rng.choice(countries))
    cur = market.currency
    start = start or DEFAULT_START
    created = start + timedelta(
        minutes=index * spacing_minutes, seconds=rng.randrange(spacing_minutes * 60)
    )
    channel = fulfilled_by or ("AMAZON" if rng.random() < 0.25 else "MERCHANT")
    status = _status(rng, channel, statuses)
    order_id = _order_id(rng, market)
    person = rng.choice(_PEOPLE.get(market.country, _PEOPLE["DE"]))
    business = rng.random() < 0.1
    prime = channel == "AMAZON" or rng.random() < 0.3

    line_count = _weighted(rng, [(1, 50), (2, 25), (3, 12), (4, 8), (5, 5)])
    picks = rng.sample(SKU_POOL, line_count)
    items, lines = [], []
    for position, product in enumerate(picks):
        quantity = _weighted(rng, [(1, 70), (2, 20), (3, 7), (5, 3)])
        unit = local_price(product.price_eur, cur)
        line = _Line(cur)
        line.add("ITEM", unit * quantity)
        item = {
            "orderItemId": f"{rng.randrange(10**13, 10**14)}",
            "quantityOrdered": quantity,
            "product": {
                "asin": product.asin,
                "title": product.title,
                "sellerSku": product.sku,
                "condition": {"conditionType": "NEW", "conditionSubtype": "NEW"},
                "price": {"unitPrice": money(unit, cur)},
            },
        }
        if position == 0 and channel == "MERCHANT" and rng.random() < 0.5:
            line.add("SHIPPING", local_price(Decimal("4.99"), cur))
        if rng.random() < 0.15:
            discount = quantize(unit * quantity * Decimal("0.10"), cur)
            line.add("DISCOUNT", -discount)
            item["promotion"] = {
                "breakdowns": [{"promotionId": f"PROMO-{rng.randrange(10**6):06d}"}]
            }
        packing = None
        if rng.random() < 0.08:
            line.add("GIFT_WRAP", local_price(Decimal("3.99"), cur))
            packing = {
                "giftOption": {
                    "giftMessage": "Alles Gute! Wszystkiego najlepszego! 🎁",
                    "giftWrapLevel": "Classic",
                }
            }
        item["proceeds"] = line.proceeds(market)
        if not market.prices_include_tax:
            item["tax"] = {
                "taxCollections": [
                    {
                        "model": "MARKETPLACE_FACILITATOR",
                        "responsibleParty": "Amazon Services, Inc.",
                    }
                ]
            }
        item["fulfillment"] = {"quantityFulfilled": 0, "quantityUnfulfilled": quantity}
        if packing:
            item["fulfillment"]["packing"] = packing
        items.append(item)
        lines.append(line)

    if status == "PARTIALLY_SHIPPED" and len(items) < 2:
        status = "UNSHIPPED"
    updated = created + timedelta(minutes=rng.randrange(1, 45))
    packages = []
    shipped_items = []
    if status == "SHIPPED":
        shipped_items = items
    elif status == "PARTIALLY_SHIPPED":
        shipped_items = items[:1]
    for item in shipped_items:
        item["fulfillment"]["quantityFulfilled"] = item["quantityOrdered"]
        item["fulfillment"]["quantityUnfulfilled"] = 0
    if shipped_items:
        updated = created + timedelta(hours=rng.randrange(6, 40))
    if until is not None and updated > until:
        updated = max(created, until)
    if shipped_items:
        if channel == "MERCHANT":
            packages.append(
                {
                    "packageReferenceId": "1",
                    "createdTime": iso(updated),
                    "packageStatus": {"status": "SHIPPED"},
                    "carrier": _CARRIERS.get(market.country, "DHL"),
                    "shipTime": iso(updated),
                    "trackingNumber": f"SBX{rng.randrange(10**11):011d}",
                    "packageItems": [
                        {"orderItemId": i["orderItemId"], "quantity": i["quantityOrdered"]}
                        for i in shipped_items
                    ],
                }
            )
    if status == "CANCELLED":
        for item in items:
            item["cancellation"] = {
                "cancellationExecution": {
                    "cancelledBy": "BUYER",
                    "cancelReason": "Buyer requested cancellation",
                }
            }

    order = {
        "orderId": order_id,
        "createdTime": iso(created),
        "lastUpdatedTime": iso(updated),
        "programs": [p for p, on in (("PRIME", prime), ("AMAZON_BUSINESS", business)) if on],
        "salesChannel": {
            "channelName": "AMAZON",
            "marketplaceId": market.id,
            "marketplaceName": market.name,
        },
        "proceeds": _order_proceeds(items, cur),
        "fulfillment": _fulfillment(rng, status, channel, created, prime),
        "orderItems": items,
    }
    if status not in ("PENDING", "PENDING_AVAILABILITY"):
        order["buyer"] = _buyer(rng, person, market, channel, status, business)
        order["recipient"] = {"deliveryAddress": _address(rng, person, market, channel)}
    if packages:
        order["packages"] = packages
    return order


def _lookup(country):
    market = mkts.BY_COUNTRY.get(country) or mkts.MARKETPLACES.get(country)
    if market is None:
        raise ValueError(f"unknown marketplace {country!r}")
    return market


def _order_proceeds(items, cur):
    totals = {}
    for item in items:
        for row in item["proceeds"]["breakdowns"]:
            totals[row["type"]] = totals.get(row["type"], Decimal(0)) + Decimal(
                row["subtotal"]["amount"]
            )
    grand = sum(Decimal(i["proceeds"]["proceedsTotal"]["amount"]) for i in items)
    assert grand == sum(totals.values())
    return {
        "grandTotal": money(grand, cur),
        "breakdowns": [
            {"type": t, "subtotal": money(totals[t], cur)} for t in CATEGORY_ORDER if t in totals
        ],
    }


def _fulfillment(rng, status, channel, created, prime):
    ship_by = created + timedelta(days=1 if prime else 2)
    return {
        "fulfillmentStatus": status,
        "fulfilledBy": channel,
        "fulfillmentServiceLevel": "NEXT_DAY" if prime and rng.random() < 0.3 else "STANDARD",
        "shipByWindow": {"earliestDateTime": iso(created), "latestDateTime": iso(ship_by)},
        "deliverByWindow": {
            "earliestDateTime": iso(ship_by + timedelta(days=1)),
            "latestDateTime": iso(ship_by + timedelta(days=4)),
        },
    }


def _buyer(rng, person, market, channel, status, business):
    buyer = {"buyerName": person[0]}
    if channel == "MERCHANT" and status in ("UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED"):
        domain = market.domain.removeprefix("www.")
        buyer["buyerEmail"] = f"{rng.randrange(16**12):012x}@marketplace.{domain}"
    if business:
        buyer["buyerCompanyName"] = "Żabka & Söhne GmbH"
        buyer["buyerPurchaseOrderNumber"] = f"PO-{rng.randrange(10**5):05d}"
    return buyer


def _address(rng, person, market, channel):
    name, street, city, postal, region = person
    address = {
        "name": name,
        "addressLine1": street,
        "city": city,
        "postalCode": postal,
        "countryCode": market.country,
        "addressType": "RESIDENTIAL",
    }
    if rng.random() < 0.2:
        address["addressLine2"] = "2. OG, links"
    if region:
        address["stateOrRegion"] = region
    if channel == "MERCHANT":
        address["phone"] = f"+{rng.randrange(10**10, 10**11)}"
    return address


def generate_orders(
    n,
    seed=1,
    marketplaces=None,
    start=None,
    statuses=None,
    fulfilled_by=None,
    spacing_minutes=7,
    until=None,
):
    """``n`` orders (see module docstring). ``marketplaces``: country codes or marketplace
    ids to draw from; ``statuses``: fulfillment statuses to draw from (default a realistic
    mix, FBA orders SHIPPED); ``fulfilled_by``: force MERCHANT or AMAZON; ``until``: no
    timestamp after this datetime (shipped orders are otherwise updated up to 40 hours
    after creation)."""
    return [
        generate_order(k, seed, marketplaces, start, statuses, fulfilled_by, spacing_minutes, until)
        for k in range(n)
    ]


def skus_of(orders):
    """The seller SKUs used in these orders."""
    return sorted({i["product"]["sellerSku"] for o in orders for i in o["orderItems"]})


def catalog_items(marketplace_ids=None):
    """Catalog Items 2022-04-01 ``Item`` objects for ``SKU_POOL`` (ASIN, EAN, title) in the
    given marketplaces (default: the demo ones)."""
    markets = marketplace_ids or mkts.DEMO_MARKETPLACE_IDS
    return [
        {
            "asin": product.asin,
            "identifiers": [
                {
                    "marketplaceId": m,
                    "identifiers": [{"identifierType": "EAN", "identifier": product.ean}],
                }
                for m in markets
            ],
            "summaries": [
                {
                    "marketplaceId": m,
                    "brand": "Sandbox Goods",
                    "itemClassification": "BASE_PRODUCT",
                    "itemName": product.title,
                    "manufacturer": "Sandbox Goods GmbH",
                }
                for m in markets
            ],
            "productTypes": [{"marketplaceId": m, "productType": "PRODUCT"} for m in markets],
        }
        for product in SKU_POOL
    ]


def inventory_summaries(start=None):
    """FBA Inventory ``InventorySummary`` rows for ``SKU_POOL``: a few units of each
    (deterministic), as a pan-European pool."""
    stamp = iso(start or DEFAULT_START)
    rows = []
    for index, product in enumerate(SKU_POOL):
        fulfillable = (index * 7) % 23
        reserved = index % 3
        rows.append(
            {
                "asin": product.asin,
                "fnSku": "X00" + product.asin[-7:],
                "sellerSku": product.sku,
                "condition": "NewItem",
                "productName": product.title,
                "lastUpdatedTime": stamp,
                "totalQuantity": fulfillable + reserved,
                "inventoryDetails": {
                    "fulfillableQuantity": fulfillable,
                    "inboundWorkingQuantity": 0,
                    "inboundShippedQuantity": 0,
                    "inboundReceivingQuantity": 0,
                    "reservedQuantity": {
                        "totalReservedQuantity": reserved,
                        "pendingCustomerOrderQuantity": reserved,
                        "pendingTransshipmentQuantity": 0,
                        "fcProcessingQuantity": 0,
                    },
                },
            }
        )
    return rows


def seed_document(orders, seller_id=DEFAULT_SELLER_ID, refresh_token=None):
    """A one-seller seed document (see state.py) holding these orders."""
    document = {
        "sellerId": seller_id,
        "marketplaces": mkts.DEMO_MARKETPLACE_IDS,
        "orders": orders,
        "catalog": catalog_items(),
        "inventory": inventory_summaries(),
    }
    if refresh_token:
        document["refreshToken"] = refresh_token
    return document


def main(argv=None):
    parser = argparse.ArgumentParser(description="Generate sandbox orders (a seed file).")
    parser.add_argument("--orders", type=int, default=20)
    parser.add_argument("--seed", default="1")
    parser.add_argument("--start", help="ISO date-time of the first order (UTC)")
    parser.add_argument("--marketplaces", help="comma-separated country codes, e.g. DE,FR,US")
    parser.add_argument("--out", help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    start = datetime.fromisoformat(args.start.replace("Z", "+00:00")) if args.start else None
    markets = args.marketplaces.split(",") if args.marketplaces else None
    orders = generate_orders(args.orders, seed=args.seed, marketplaces=markets, start=start)
    text = json.dumps(seed_document(orders), ensure_ascii=False, indent=1)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
