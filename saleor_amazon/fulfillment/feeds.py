"""Order feeds to Amazon (Feeds API 2021-06-30): XML documents, submission, outcome.

Each submission is an ``AmazonFeed`` row. :func:`check` asks Amazon for the feed's status
and, once it is DONE, reads the XML processing report: the errors per ``MessageID`` are
returned so that each record can store Amazon's verdict on its own message.
"""

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from django.utils import timezone

from .. import spapi
from ..models import AmazonFeed, FeedStatus

XML = "text/xml; charset=UTF-8"
ACKNOWLEDGEMENT = "POST_ORDER_ACKNOWLEDGEMENT_DATA"
ORDER_FULFILLMENT = "POST_ORDER_FULFILLMENT_DATA"
INVOICE = "UPLOAD_VAT_INVOICE"
FINAL = (FeedStatus.DONE, FeedStatus.FATAL, FeedStatus.CANCELLED)


def envelope(seller_id: str, message_type: str, messages: list[ET.Element]) -> str:
    """An ``AmazonEnvelope`` with one ``Message`` per element (MessageID 1..n)."""
    root = ET.Element(
        "AmazonEnvelope",
        {
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:noNamespaceSchemaLocation": "amzn-envelope.xsd",
        },
    )
    header = ET.SubElement(root, "Header")
    ET.SubElement(header, "DocumentVersion").text = "1.01"
    ET.SubElement(header, "MerchantIdentifier").text = seller_id
    ET.SubElement(root, "MessageType").text = message_type
    for number, body in enumerate(messages, start=1):
        message = ET.SubElement(root, "Message")
        ET.SubElement(message, "MessageID").text = str(number)
        message.append(body)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def element(tag: str, *children, text=None) -> ET.Element:
    """``element("Item", ("AmazonOrderItemCode", "123"), ...)``: a small XML builder."""
    node = ET.Element(tag)
    if text is not None:
        node.text = str(text)
    for child in children:
        if child is None:
            continue
        if isinstance(child, ET.Element):
            node.append(child)
        else:
            name, value = child
            if value not in (None, ""):
                ET.SubElement(node, name).text = str(value)
    return node


def submit(
    client,
    account,
    feed_type: str,
    marketplace_ids: list[str],
    content,
    content_type: str,
    feed_options: dict | None = None,
    marketplace=None,
    messages_total: int = 1,
) -> AmazonFeed:
    """Upload ``content`` and create the feed; the stored ``AmazonFeed``.

    SP-API errors propagate (the caller decides between retry and failure); the feed row
    is only stored once Amazon accepted it.
    """
    document = client.create_feed_document(content_type)
    client.upload_feed_document(document["url"], content, content_type)
    feed_id = client.create_feed(
        feed_type, marketplace_ids, document["feedDocumentId"], feed_options=feed_options
    )
    return AmazonFeed.objects.create(
        account=account,
        marketplace=marketplace,
        feed_type=feed_type,
        amazon_feed_id=feed_id,
        document_id=document["feedDocumentId"],
        status=FeedStatus.SUBMITTED,
        messages_total=messages_total,
        submitted_at=timezone.now(),
    )


@dataclass
class Outcome:
    """A finished feed: ``errors`` maps MessageID -> Amazon's message (``0``: whole feed)."""

    done: bool
    status: str
    errors: dict[int, str] = field(default_factory=dict)

    def error_for(self, message_id: int) -> str:
        return self.errors.get(message_id) or self.errors.get(0, "")


def parse_report(content) -> tuple[dict, dict[int, str]]:
    """An XML ProcessingReport: (summary counts, {MessageID: error description})."""
    text = content.decode("utf-8") if isinstance(content, bytes) else str(content)
    root = ET.fromstring(text)  # noqa: S314 - Amazon's report, no entities expanded
    summary = {}
    for name in ("MessagesProcessed", "MessagesSuccessful", "MessagesWithError"):
        value = root.findtext(f".//ProcessingSummary/{name}")
        summary[name] = int(value) if value and value.isdigit() else 0
    errors: dict[int, str] = {}
    for result in root.iter("Result"):
        if (result.findtext("ResultCode") or "").strip() != "Error":
            continue
        raw_id = (result.findtext("MessageID") or "0").strip()
        message_id = int(raw_id) if raw_id.isdigit() else 0
        description = (result.findtext("ResultDescription") or "").strip()
        code = (result.findtext("ResultMessageCode") or "").strip()
        text = f"{description} (code {code})" if code else description
        errors[message_id] = "; ".join(filter(None, [errors.get(message_id), text]))
    return summary, errors


def check(client, feed: AmazonFeed) -> Outcome:
    """Ask Amazon how ``feed`` went; store the status and the report on it."""
    if feed.status in FINAL:
        return Outcome(True, feed.status, _stored_errors(feed))
    info = client.get_feed(feed.amazon_feed_id) or {}
    status = info.get("processingStatus") or feed.status
    feed.status = status
    if status not in FINAL:
        feed.save(update_fields=["status", "updated_at"])
        return Outcome(False, status)
    errors: dict[int, str] = {}
    summary = {}
    document_id = info.get("resultFeedDocumentId")
    if document_id:
        try:
            summary, errors = parse_report(client.get_feed_document(document_id))
        except ET.ParseError as exc:
            errors = {0: f"Amazon's processing report could not be read: {exc}"}
    if status != FeedStatus.DONE and not errors:
        errors = {0: f"Amazon ended the feed with status {status}."}
    feed.processing_report = {"summary": summary, "errors": {str(k): v for k, v in errors.items()}}
    feed.messages_accepted = summary.get("MessagesSuccessful", 0)
    feed.messages_invalid = summary.get("MessagesWithError", 0)
    feed.errors = len(errors)
    feed.processed_at = timezone.now()
    feed.save()
    return Outcome(True, status, errors)


def _stored_errors(feed: AmazonFeed) -> dict[int, str]:
    report = feed.processing_report or {}
    return {int(k): v for k, v in (report.get("errors") or {}).items()}


def client_for(account, **options):
    return spapi.client_for_account(account, **options)
