"""Outcome codes of sending a variant to an Amazon marketplace (as Shoper's error report).

They are stored on the offer as issues ``{code, severity, message}`` next to Amazon's own
issues from the processing report (Amazon's codes are numeric strings).
"""

NO_SKU = "NO_SKU"
NO_BARCODE = "NO_BARCODE"
NO_ASIN_FOR_BARCODE = "NO_ASIN_FOR_BARCODE"
SEVERAL_ASINS = "SEVERAL_ASINS"
ZERO_STOCK = "ZERO_STOCK"
NO_PRICE = "NO_PRICE"
NO_CHANNEL = "NO_CHANNEL"
AMAZON_UNAVAILABLE = "AMAZON_UNAVAILABLE"
FEED_FATAL = "FEED_FATAL"
QUEUED = "QUEUED"


def issue(code, message, severity="ERROR"):
    return {"code": code, "severity": severity, "message": message}
