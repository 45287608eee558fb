"""Amazon Order (Orders API 2026-01-01) -> a plain order input for Saleor. Pure functions.

Money rules:
- Proceeds breakdowns (ITEM, SHIPPING, GIFT_WRAP, TAX, DISCOUNT, COD_FEE, OTHER) are
  line totals: the quantity is already in them and is never multiplied in again.
- ITEM/SHIPPING/GIFT_WRAP/DISCOUNT are either gross with TAX the tax inside them, or net
  with TAX in addition. Amazon's own example (a UK order) and its migration guide show
  net amounts plus TAX even where the buyer sees VAT-inclusive prices, while v0 reported
  VAT-inclusive item prices. Which reading applies is decided by Amazon's totals
  (``grandTotal`` / ``proceedsTotal``); only when they cannot tell (no tax, no totals)
  the marketplace's convention decides (``breakdowns_include_tax`` on the result).
- ``prices_include_tax`` stays the marketplace's convention for the Saleor order: EU, UK
  and PL buyers see gross prices; US and CA buyers see net prices with tax on top.
- DISCOUNT (promotions) reduces the line it belongs to (detailed subtype ITEM or
  GIFT_WRAP) or the shipping (subtype SHIPPING). Gift wrap is part of its line's
  total; COD fees and OTHER charges are part of the shipping charge.
- Marketplace-facilitator tax (Amazon collects and remits) is part of what the buyer
  paid and is reported separately as ``facilitator_tax``.
- Every amount is rounded half-up to the currency's precision; whenever an amount is
  split, the remainders are distributed so that parts add up exactly. The result's
  gross total equals Amazon's order total to the smallest currency unit.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import get_currency_precision

ZERO = Decimal(0)
COMPONENTS = ("ITEM", "SHIPPING", "GIFT_WRAP", "COD_FEE", "OTHER")
FACILITATOR = "MARKETPLACE_FACILITATOR"


class MappingError(ValueError):
    """An Amazon order that cannot be turned into a Saleor order, with a stable code."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Amount:
    """A net/gross pair in one currency (Decimal, rounded to the currency)."""

    net: Decimal = ZERO
    gross: Decimal = ZERO

    @property
    def tax(self) -> Decimal:
        return self.gross - self.net

    def __add__(self, other: "Amount") -> "Amount":
        return Amount(self.net + other.net, self.gross + other.gross)

    def __sub__(self, other: "Amount") -> "Amount":
        return Amount(self.net - other.net, self.gross - other.gross)

    def rate(self) -> Decimal:
        if not self.net:
            return ZERO
        return (self.tax / self.net).quantize(Decimal("0.0001"), ROUND_HALF_UP)


@dataclass
class LineInput:
    """One Amazon order item as a Saleor order line (totals are for the whole line)."""

    order_item_id: str
    asin: str
    seller_sku: str
    title: str
    quantity: int
    quantity_shipped: int
    unit_price: Decimal  # Amazon's product.price.unitPrice, as shown to the buyer
    item: Amount  # ITEM breakdown
    gift_wrap: Amount  # GIFT_WRAP breakdown
    discount: Amount  # promotion on the item and its gift wrap (positive)
    undiscounted_total: Amount  # item + gift wrap
    total: Amount  # undiscounted_total - discount
    shipping: Amount  # this item's share of the order's shipping (before discount)
    shipping_discount: Amount
    facilitator_tax: Decimal = ZERO
    promotion_ids: list[str] = field(default_factory=list)
    cancellation_requested: bool = False
    cancel_reason: str = ""

    @property
    def tax_rate(self) -> Decimal:
        return self.total.rate() if self.total.net else self.undiscounted_total.rate()

    def unit(self, amount: Amount, precision: int) -> Amount:
        if not self.quantity:
            return Amount()
        return Amount(
            quantize(amount.net / self.quantity, precision),
            quantize(amount.gross / self.quantity, precision),
        )


@dataclass
class OrderInput:
    """Everything needed to create the Saleor order of one Amazon order."""

    amazon_order_id: str
    marketplace_id: str
    currency: str
    precision: int
    status: str
    fulfilled_by: str
    purchase_date: datetime | None
    last_updated: datetime | None
    prices_include_tax: bool  # the marketplace's convention (gross prices shown)
    breakdowns_include_tax: bool  # how Amazon's breakdowns of this order read
    lines: list[LineInput]
    shipping: Amount  # after shipping discounts, COD fees and other charges
    undiscounted_shipping: Amount
    subtotal: Amount
    undiscounted_subtotal: Amount
    total: Amount
    amazon_total: Decimal  # what the buyer paid, as Amazon reports it
    facilitator_tax: Decimal
    buyer_name: str = ""
    buyer_email: str = ""
    buyer_company: str = ""
    address: dict | None = None
    payment_method: str = ""
    service_level: str = ""
    delivery_method: str = ""
    seller_order_id: str = ""
    convention_note: str = ""

    @property
    def buyer_cancellation_requested(self) -> bool:
        return any(line.cancellation_requested for line in self.lines)


# -- numbers -----------------------------------------------------------------------------


def precision_of(currency: str) -> int:
    try:
        return get_currency_precision(currency)
    except Exception as exc:  # babel raises UnknownCurrencyError (a ValueError) or KeyError
        raise MappingError("UNKNOWN_CURRENCY", f"Unknown currency {currency!r}.") from exc


def quantize(value: Decimal, precision: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-precision), ROUND_HALF_UP)


def money(value, precision: int, where: str) -> Decimal:
    """Amazon's Money object (or a bare amount) as a rounded Decimal."""
    if value is None:
        return ZERO
    amount = value.get("amount") if isinstance(value, dict) else value
    try:
        number = Decimal(str(amount))
    except (InvalidOperation, ValueError, TypeError):
        raise MappingError("INVALID_AMOUNT", f"{where}: {amount!r} is not an amount.") from None
    if not number.is_finite():
        raise MappingError("INVALID_AMOUNT", f"{where}: {amount!r} is not an amount.")
    return quantize(number, precision)


def distribute(total: Decimal, weights: list[Decimal], precision: int) -> list[Decimal]:
    """Split ``total`` in proportion to ``weights`` so that the parts add up exactly.

    Parts are rounded half-up; the leftover smallest units go to the parts with the
    largest rounding loss (largest remainder method).
    """
    if not weights:
        return []
    base = sum(weights, ZERO)
    if not base:
        weights, base = [Decimal(1)] * len(weights), Decimal(len(weights))
    step = Decimal(1).scaleb(-precision)
    exact = [total * w / base for w in weights]
    parts = [e.quantize(step, ROUND_HALF_UP) for e in exact]
    leftover = total - sum(parts, ZERO)
    if leftover:
        sign = 1 if leftover > 0 else -1
        order = sorted(range(len(parts)), key=lambda i: (exact[i] - parts[i]) * sign, reverse=True)
        units = int(abs(leftover) / step)
        for n in range(units):
            parts[order[n % len(parts)]] += step * sign
    return parts


def parse_time(value) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise MappingError("INVALID_DATE", f"{value!r} is not an ISO 8601 date-time.") from None


# -- breakdowns --------------------------------------------------------------------------


@dataclass
class _Parts:
    """Proceeds of one item as signed amounts per category, tax per subtype."""

    amounts: dict[str, Decimal]
    discount: dict[str, Decimal]  # positive amounts per subtype (ITEM, SHIPPING, ...)
    tax: dict[str, Decimal]  # per subtype; DISCOUNT is the (negative) tax on promotions
    tax_total: Decimal


def _breakdowns(breakdowns, precision, where) -> _Parts:
    amounts = dict.fromkeys(COMPONENTS, ZERO)
    discount: dict[str, Decimal] = {}
    tax: dict[str, Decimal] = {}
    tax_total = ZERO
    for entry in breakdowns or []:
        kind = (entry.get("type") or "").upper()
        value = money(entry.get("subtotal"), precision, f"{where} {kind}")
        details = {
            (d.get("subtype") or "").upper(): money(d.get("value"), precision, f"{where} {kind}")
            for d in entry.get("detailedBreakdowns") or []
        }
        if kind == "TAX":
            tax_total += value
            for sub, amount in details.items():
                tax[sub] = tax.get(sub, ZERO) + amount
            if not details and value:
                tax["*"] = tax.get("*", ZERO) + value
        elif kind == "DISCOUNT":
            if details:
                for sub, amount in details.items():
                    discount[sub] = discount.get(sub, ZERO) + abs(amount)
            else:
                discount["ITEM"] = discount.get("ITEM", ZERO) + abs(value)
        elif kind in amounts:
            amounts[kind] += value
        elif kind == "DELIVERY_TIP":
            amounts["OTHER"] += value
    return _Parts(amounts, discount, tax, tax_total)


def _split_undetailed_tax(parts: _Parts, precision: int):
    """Tax given without detailed breakdowns: share it over the charged components."""
    undetailed = parts.tax.pop("*", ZERO)
    if not undetailed:
        return
    keys = [k for k in COMPONENTS if parts.amounts[k]]
    if not keys:
        keys = ["ITEM"]
    shares = distribute(undetailed, [abs(parts.amounts[k]) for k in keys], precision)
    for key, share in zip(keys, shares, strict=True):
        parts.tax[key] = parts.tax.get(key, ZERO) + share


def _amount(value: Decimal, tax: Decimal, included: bool) -> Amount:
    return Amount(value - tax, value) if included else Amount(value, value + tax)


# -- the mapper --------------------------------------------------------------------------


def _item_parts(order: dict, currency: str, precision: int) -> list[_Parts]:
    """Proceeds per item: the item's own breakdowns, else the order's split by value."""
    items = order.get("orderItems") or []
    if items and all((i.get("proceeds") or {}).get("breakdowns") for i in items):
        return [
            _breakdowns(i["proceeds"]["breakdowns"], precision, f"item {i.get('orderItemId')}")
            for i in items
        ]
    weights = []
    for item in items:
        unit = money(
            ((item.get("product") or {}).get("price") or {}).get("unitPrice"),
            precision,
            f"item {item.get('orderItemId')} unitPrice",
        )
        weights.append(unit * int(item.get("quantityOrdered") or 0))
    order_breakdowns = (order.get("proceeds") or {}).get("breakdowns")
    if not order_breakdowns:
        # Nothing but unit prices: the line totals are unit price x quantity, no tax known.
        return [
            _Parts({**dict.fromkeys(COMPONENTS, ZERO), "ITEM": w}, {}, {}, ZERO) for w in weights
        ]
    whole = _breakdowns(order_breakdowns, precision, "order")
    _split_undetailed_tax(whole, precision)
    result = [_Parts(dict.fromkeys(COMPONENTS, ZERO), {}, {}, ZERO) for _ in items]

    def spread(source: dict, attr: str):
        for key, value in source.items():
            for part, share in zip(result, distribute(value, weights, precision), strict=True):
                target = getattr(part, attr)
                target[key] = target.get(key, ZERO) + share

    spread(whole.amounts, "amounts")
    spread(whole.discount, "discount")
    spread(whole.tax, "tax")
    for part in result:
        part.tax_total = sum(part.tax.values(), ZERO)
    return result


def _grand_total(order: dict, precision: int) -> Decimal | None:
    proceeds = order.get("proceeds") or {}
    if proceeds.get("grandTotal"):
        return money(proceeds["grandTotal"], precision, "grandTotal")
    totals = [(i.get("proceeds") or {}).get("proceedsTotal") for i in order.get("orderItems") or []]
    if totals and all(totals):
        return sum((money(t, precision, "proceedsTotal") for t in totals), ZERO)
    return None


def _choose_convention(parts, included, facilitator, amazon_total, order_id):
    """The price convention that makes the breakdowns add up to Amazon's total."""
    charged = sum(
        (sum(p.amounts.values(), ZERO) - sum(p.discount.values(), ZERO) for p in parts), ZERO
    )
    tax = sum((p.tax_total for p in parts), ZERO)
    buyer_paid = {True: charged, False: charged + tax}
    if amazon_total is None:
        return included, buyer_paid[included], ""
    for convention in (included, not included):
        expected = buyer_paid[convention]
        # Proceeds leave out tax that Amazon remits itself (marketplace facilitator).
        if amazon_total in (expected, expected - facilitator):
            if convention == included or not tax:
                return included, expected, ""
            word = "included in" if convention else "added to"
            return convention, expected, f"Amazon's totals show tax {word} its breakdowns."
    raise MappingError(
        "TOTAL_MISMATCH",
        f"Order {order_id}: Amazon's total {amazon_total} does not match its breakdowns "
        f"(charges {charged}, tax {tax}).",
    )


def _address(order: dict) -> dict | None:
    address = (order.get("recipient") or {}).get("deliveryAddress")
    if not address:
        return None
    name = (address.get("name") or "").strip()
    first, _, last = name.partition(" ")
    street_2 = " ".join(
        part.strip() for part in (address.get("addressLine2"), address.get("addressLine3")) if part
    ).strip()
    return {
        "first_name": first,
        "last_name": last,
        "company_name": address.get("companyName") or "",
        "street_address_1": address.get("addressLine1") or "",
        "street_address_2": street_2,
        "city": address.get("city") or "",
        "city_area": address.get("districtOrCounty") or address.get("municipality") or "",
        "postal_code": address.get("postalCode") or "",
        "country": (address.get("countryCode") or "").upper(),
        "country_area": address.get("stateOrRegion") or "",
        "phone": address.get("phone") or "",
    }


def _check_address(address: dict | None, fulfilled_by: str, order_id: str):
    if fulfilled_by != "MERCHANT":
        return
    if not address:
        raise MappingError("MISSING_ADDRESS", f"Order {order_id} has no delivery address.")
    missing = [k for k in ("street_address_1", "city", "country") if not address.get(k)]
    if missing:
        raise MappingError(
            "INVALID_ADDRESS",
            f"Order {order_id}: the delivery address lacks {', '.join(missing)}.",
        )


def map_order(order: dict, prices_include_tax: bool) -> OrderInput:
    """Map Amazon's Order object to an :class:`OrderInput`; raise :class:`MappingError`."""
    if not isinstance(order, dict) or not order.get("orderId"):
        raise MappingError("INVALID_ORDER", "The order has no orderId.")
    order_id = str(order["orderId"])
    fulfillment = order.get("fulfillment") or {}
    status = fulfillment.get("fulfillmentStatus")
    if not status:
        raise MappingError("INVALID_ORDER", f"Order {order_id} has no fulfillment status.")
    items = order.get("orderItems")
    if not items:
        raise MappingError("NO_ITEMS", f"Order {order_id} has no order items.")
    currency = _currency(order, order_id)
    precision = precision_of(currency)

    parts = _item_parts(order, currency, precision)
    for part in parts:
        _split_undetailed_tax(part, precision)
    facilitators = [_is_facilitator(item) for item in items]
    facilitator = sum(
        (p.tax_total for p, fac in zip(parts, facilitators, strict=True) if fac), ZERO
    )
    amazon_total = _grand_total(order, precision)
    included, buyer_paid, note = _choose_convention(
        parts, prices_include_tax, facilitator, amazon_total, order_id
    )
    lines = [
        _line(item, part, included, precision, fac)
        for item, part, fac in zip(items, parts, facilitators, strict=True)
    ]
    undiscounted_shipping = sum((line.shipping for line in lines), Amount())
    shipping_discount = sum((line.shipping_discount for line in lines), Amount())
    shipping = undiscounted_shipping - shipping_discount
    subtotal = sum((line.total for line in lines), Amount())
    undiscounted_subtotal = sum((line.undiscounted_total for line in lines), Amount())
    total = subtotal + shipping
    if total.gross != buyer_paid:  # pragma: no cover - guarded by construction
        raise MappingError(
            "TOTAL_MISMATCH", f"Order {order_id}: lines add up to {total.gross}, not {buyer_paid}."
        )
    fulfilled_by = (fulfillment.get("fulfilledBy") or "MERCHANT").upper()
    address = _address(order)
    if status in ("UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED"):
        # Amazon gives no address before the order is released (PENDING) or when cancelled.
        _check_address(address, fulfilled_by, order_id)
    buyer = order.get("buyer") or {}
    aliases = [
        a.get("aliasId")
        for a in order.get("orderAliases") or []
        if a.get("aliasType") == "SELLER_ORDER_ID"
    ]
    payments = (order.get("payment") or {}).get("paymentExecutions") or []
    return OrderInput(
        amazon_order_id=order_id,
        marketplace_id=(order.get("salesChannel") or {}).get("marketplaceId") or "",
        currency=currency,
        precision=precision,
        status=status,
        fulfilled_by=fulfilled_by,
        purchase_date=parse_time(order.get("createdTime")),
        last_updated=parse_time(order.get("lastUpdatedTime")),
        prices_include_tax=prices_include_tax,
        breakdowns_include_tax=included,
        lines=lines,
        shipping=shipping,
        undiscounted_shipping=undiscounted_shipping,
        subtotal=subtotal,
        undiscounted_subtotal=undiscounted_subtotal,
        total=total,
        amazon_total=buyer_paid,
        facilitator_tax=facilitator,
        buyer_name=buyer.get("buyerName") or "",
        buyer_email=buyer.get("buyerEmail") or "",
        buyer_company=buyer.get("buyerCompanyName") or "",
        address=address,
        payment_method=",".join(sorted({p.get("paymentMethod") or "" for p in payments} - {""})),
        service_level=fulfillment.get("fulfillmentServiceLevel") or "",
        delivery_method=", ".join(order.get("programs") or []),
        seller_order_id=aliases[0] if aliases else "",
        convention_note=note,
    )


def _currency(order: dict, order_id: str) -> str:
    candidates = [((order.get("proceeds") or {}).get("grandTotal") or {}).get("currencyCode")]
    for item in order.get("orderItems") or []:
        unit = ((item.get("product") or {}).get("price") or {}).get("unitPrice") or {}
        candidates.append(unit.get("currencyCode"))
        candidates.append(
            ((item.get("proceeds") or {}).get("proceedsTotal") or {}).get("currencyCode")
        )
    found = {c for c in candidates if c}
    if not found:
        raise MappingError("MISSING_CURRENCY", f"Order {order_id} states no currency.")
    if len(found) > 1:
        raise MappingError(
            "MIXED_CURRENCIES", f"Order {order_id} mixes currencies {', '.join(sorted(found))}."
        )
    return found.pop()


def _is_facilitator(item: dict) -> bool:
    collections = (item.get("tax") or {}).get("taxCollections") or []
    return any((c.get("model") or "").upper() == FACILITATOR for c in collections)


def _line(item: dict, part: _Parts, included: bool, precision: int, facilitator: bool):
    item_id = str(item.get("orderItemId") or "")
    try:
        quantity = int(item.get("quantityOrdered"))
    except (TypeError, ValueError):
        raise MappingError(
            "INVALID_QUANTITY", f"Item {item_id}: quantityOrdered is not a number."
        ) from None
    if quantity < 0:
        raise MappingError("INVALID_QUANTITY", f"Item {item_id}: negative quantity.")
    product = item.get("product") or {}
    amounts, tax, discount = part.amounts, part.tax, part.discount

    item_amount = _amount(amounts["ITEM"], tax.get("ITEM", ZERO), included)
    wrap = _amount(amounts["GIFT_WRAP"], tax.get("GIFT_WRAP", ZERO), included)
    shipping = _amount(
        amounts["SHIPPING"] + amounts["COD_FEE"] + amounts["OTHER"],
        tax.get("SHIPPING", ZERO) + tax.get("COD_FEE", ZERO) + tax.get("OTHER", ZERO),
        included,
    )
    # Tax on promotions (negative in Amazon's breakdowns) reduces the discounted parts.
    discount_on = {
        "line": discount.get("ITEM", ZERO) + discount.get("GIFT_WRAP", ZERO),
        "shipping": sum((discount.get(k, ZERO) for k in ("SHIPPING", "COD_FEE", "OTHER")), ZERO),
    }
    discount_tax = abs(tax.get("DISCOUNT", ZERO))
    line_dtax, ship_dtax = distribute(
        discount_tax, [discount_on["line"], discount_on["shipping"]], precision
    )
    line_discount = _amount(discount_on["line"], line_dtax, included)
    ship_discount = _amount(discount_on["shipping"], ship_dtax, included)
    undiscounted = item_amount + wrap
    fulfilment = item.get("fulfillment") or {}
    request = (item.get("cancellation") or {}).get("cancellationRequest") or {}
    return LineInput(
        order_item_id=item_id,
        asin=product.get("asin") or "",
        seller_sku=product.get("sellerSku") or "",
        title=product.get("title") or product.get("sellerSku") or product.get("asin") or "",
        quantity=quantity,
        quantity_shipped=int(fulfilment.get("quantityFulfilled") or 0),
        unit_price=money(
            (product.get("price") or {}).get("unitPrice"), precision, f"item {item_id} unitPrice"
        ),
        item=item_amount,
        gift_wrap=wrap,
        discount=line_discount,
        undiscounted_total=undiscounted,
        total=undiscounted - line_discount,
        shipping=shipping,
        shipping_discount=ship_discount,
        facilitator_tax=part.tax_total if facilitator else ZERO,
        promotion_ids=[
            p.get("promotionId")
            for p in (item.get("promotion") or {}).get("breakdowns") or []
            if p.get("promotionId")
        ],
        cancellation_requested=bool(request),
        cancel_reason=request.get("cancelReason") or "",
    )
