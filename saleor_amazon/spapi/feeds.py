"""Feeds 2021-06-30: documents, upload (UTF-8 bytes, optional gzip), feeds, result reports."""

import gzip as gzip_module
from urllib.parse import quote

from sp_api.api.feeds.feeds_2021_06_30 import FeedsV20210630

from . import transport
from .retry import call_with_retry


class FeedsOperations:
    """Mixed into :class:`.client.AmazonClient`."""

    # -- Feeds 2021-06-30 ---------------------------------------------------------------

    def create_feed_document(self, content_type) -> dict:
        return self._call(
            "createFeedDocument",
            FeedsV20210630,
            lambda c: c.create_feed_document(None, content_type),
        )

    def upload_feed_document(self, url, content, content_type, gzip=False) -> None:
        """PUT the document to Amazon's upload URL as UTF-8 bytes (the library would
        encode text as Latin-1)."""
        data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
        headers = {"content-type": content_type}
        if gzip:
            data = gzip_module.compress(data)
            headers["content-encoding"] = "gzip"

        def attempt(deadline):
            response = self._transport.put(url, content=data, headers=headers)
            transport.raise_for_response(response, "uploadFeedDocument")

        call_with_retry(attempt, budget=self.max_retry_seconds, backoff=self.backoff)

    def create_feed(self, feed_type, marketplace_ids, document_id, feed_options=None) -> str:
        kwargs = {"marketplaceIds": list(marketplace_ids)}
        if feed_options:
            kwargs["feedOptions"] = feed_options
        body = self._call(
            "createFeed",
            FeedsV20210630,
            lambda c: c.create_feed(feed_type, document_id, **kwargs),
        )
        return body["feedId"]

    def submit_feed(self, feed_type, marketplace_ids, content, content_type) -> str:
        """Create a document, upload ``content`` to it, create the feed: the feed id."""
        document = self.create_feed_document(content_type)
        self.upload_feed_document(document["url"], content, content_type)
        return self.create_feed(feed_type, marketplace_ids, document["feedDocumentId"])

    def get_feed(self, feed_id) -> dict:
        return self._call("getFeed", FeedsV20210630, lambda c: c.get_feed(feed_id))

    def get_feed_document(self, document_id) -> bytes:
        """Download a feed document (a result report): bytes, gunzipped when Amazon says
        ``compressionAlgorithm: GZIP``."""
        path = f"/feeds/2021-06-30/documents/{quote(str(document_id), safe='')}"
        info = self._call("getFeedDocument", FeedsV20210630, lambda c: c._request(path))

        def attempt(deadline):
            response = self._transport.get(info["url"])
            transport.raise_for_response(response, "downloadFeedDocument")
            return response.content

        content = call_with_retry(attempt, budget=self.max_retry_seconds, backoff=self.backoff)
        if (info.get("compressionAlgorithm") or "").upper() == "GZIP":
            content = gzip_module.decompress(content)
        return content

    def get_feed_result(self, feed_id):
        """The feed's processing report (parsed JSON, or bytes); None until there is one."""
        feed = self.get_feed(feed_id)
        document_id = feed.get("resultFeedDocumentId")
        if not document_id:
            return None
        return transport.json_or_bytes(self.get_feed_document(document_id))
