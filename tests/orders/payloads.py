"""Amazon Order objects (Orders API 2026-01-01 shape) built from readable line specs.

Amounts are what Seller Central shows for a line: ITEM is unit price x quantity, and
every breakdown is a line total. With ``included`` (EU/UK) prices contain the VAT;
without it (US/CA) tax is added on top.
"""

from decimal import Decimal

MARKETPLACES = {
    "DE": ("A1PA6795UKMFR9", "EUR"),
    "FR": ("A13V1IB3VIYZZH", "EUR"),
    "IT": ("APJ6JRA9NG5V4", "EUR"),
    "UK": ("A1F83G8C2ARO7P", "GBP"),
    "PL": ("A1C3SOZRARQ6R3", "PLN"),
    "SE": ("A2NODRKZP88ZB9", "SEK"),
    "US": ("ATVPDKIKX0DER", "USD"),
}

ADDRESS = {
    "name": "Anna Kowalska",
    "addressLine1": "ul. Długa 5",
    "addressLine2": "m. 12",
    "city": "Kraków",
    "postalCode": "31-147",
    "countryCode": "PL",
    "phone": "+48 501 234 567",
}


def _money(value, currency):
    return {"amount": str(Decimal(str(value))), "currencyCode": currency}


def line(sku, qty, unit, **amounts):
    """A line spec: tax, shipping, shipping_tax, gift_wrap, gift_wrap_tax, discount,
    discount_tax, shipping_discount, shipped, facilitator, cancel_reason, asin."""
    return {"sku": sku, "qty": qty, "unit": Decimal(str(unit)), **amounts}


TAX_SUBTYPES = (("ITEM", "tax"), ("SHIPPING", "shipping_tax"), ("GIFT_WRAP", "gift_wrap_tax"))


def _item(index, spec, currency, included, order_id):
    d = lambda key: Decimal(str(spec.get(key, 0)))  # noqa: E731
    item_total = spec["unit"] * spec["qty"]
    breakdowns = [{"type": "ITEM", "subtotal": _money(item_total, currency)}]
    charges = item_total
    if d("shipping"):
        breakdowns.append({"type": "SHIPPING", "subtotal": _money(d("shipping"), currency)})
        charges += d("shipping")
    if d("gift_wrap"):
        breakdowns.append({"type": "GIFT_WRAP", "subtotal": _money(d("gift_wrap"), currency)})
        charges += d("gift_wrap")
    tax_details = [
        {"subtype": sub, "value": _money(d(key), currency)} for sub, key in TAX_SUBTYPES if d(key)
    ]
    if d("discount_tax"):
        tax_details.append({"subtype": "DISCOUNT", "value": _money(-d("discount_tax"), currency)})
    tax = d("tax") + d("shipping_tax") + d("gift_wrap_tax") - d("discount_tax")
    if tax_details:
        breakdowns.append(
            {"type": "TAX", "subtotal": _money(tax, currency), "detailedBreakdowns": tax_details}
        )
    discount = d("discount") + d("shipping_discount")
    if discount:
        details = []
        if d("discount"):
            details.append({"subtype": "ITEM", "value": _money(-d("discount"), currency)})
        if d("shipping_discount"):
            value = _money(-d("shipping_discount"), currency)
            details.append({"subtype": "SHIPPING", "value": value})
        breakdowns.append(
            {
                "type": "DISCOUNT",
                "subtotal": _money(-discount, currency),
                "detailedBreakdowns": details,
            }
        )
    paid = charges - discount + (0 if included else tax)
    proceeds = paid - (tax if spec.get("facilitator") else 0)
    item = {
        "orderItemId": f"{order_id.replace('-', '')[:10]}{index:04d}",
        "quantityOrdered": spec["qty"],
        "product": {
            "asin": spec.get("asin", f"B0{abs(hash(spec['sku'])) % 10**8:08d}"),
            "title": spec.get("title", f"Product {spec['sku']}"),
            "sellerSku": spec["sku"],
            "price": {"unitPrice": _money(spec["unit"], currency)},
        },
        "proceeds": {"proceedsTotal": _money(proceeds, currency), "breakdowns": breakdowns},
        "fulfillment": {
            "quantityFulfilled": spec.get("shipped", 0),
            "quantityUnfulfilled": spec["qty"] - spec.get("shipped", 0),
        },
    }
    if spec.get("facilitator"):
        item["tax"] = {
            "taxCollections": [{"model": "MARKETPLACE_FACILITATOR", "responsibleParty": "Amazon"}]
        }
    if spec.get("promotion"):
        item["promotion"] = {"breakdowns": [{"promotionId": spec["promotion"]}]}
    if spec.get("cancel_reason"):
        item["cancellation"] = {
            "cancellationRequest": {"requester": "BUYER", "cancelReason": spec["cancel_reason"]}
        }
    return item, proceeds, {"charges": charges, "discount": discount, "tax": tax}


def amazon_order(
    order_id,
    market,
    lines,
    *,
    included=None,
    status="UNSHIPPED",
    fulfilled_by="MERCHANT",
    created="2026-11-20T10:00:00Z",
    updated="2026-11-20T10:05:00Z",
    address=ADDRESS,
    buyer_email="abc123@marketplace.amazon.pl",
    order_level_only=False,
):
    marketplace_id, currency = MARKETPLACES[market]
    if included is None:
        included = market not in ("US", "CA")
    items, sums = [], {"charges": Decimal(0), "discount": Decimal(0), "tax": Decimal(0)}
    grand = Decimal(0)
    for index, spec in enumerate(lines, start=1):
        item, proceeds, parts = _item(index, spec, currency, included, order_id)
        items.append(item)
        grand += proceeds
        for key, value in parts.items():
            sums[key] += value
    order = {
        "orderId": order_id,
        "createdTime": created,
        "lastUpdatedTime": updated,
        "salesChannel": {"channelName": "AMAZON", "marketplaceId": marketplace_id},
        "buyer": {"buyerName": "Anna Kowalska", "buyerEmail": buyer_email},
        "proceeds": {"grandTotal": _money(grand, currency)},
        "fulfillment": {
            "fulfillmentStatus": status,
            "fulfilledBy": fulfilled_by,
            "fulfillmentServiceLevel": "STANDARD",
        },
        "orderItems": items,
    }
    if address:
        order["recipient"] = {"deliveryAddress": dict(address)}
    if order_level_only:
        # Only order-level breakdowns (items without their own proceeds).
        order["proceeds"]["breakdowns"] = _order_breakdowns(items, currency)
        for item in items:
            item.pop("proceeds")
    return order


def _order_breakdowns(items, currency):
    totals: dict[str, Decimal] = {}
    for item in items:
        for entry in item["proceeds"]["breakdowns"]:
            totals[entry["type"]] = totals.get(entry["type"], Decimal(0)) + Decimal(
                entry["subtotal"]["amount"]
            )
    return [{"type": kind, "subtotal": _money(value, currency)} for kind, value in totals.items()]
