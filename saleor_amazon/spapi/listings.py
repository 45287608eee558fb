"""Listings Items 2021-08-01 and Catalog Items 2022-04-01."""

from collections.abc import Iterable, Iterator
from urllib.parse import quote

from sp_api.api.catalog_items.catalog_items_2022_04_01 import CatalogItemsV20220401
from sp_api.api.listings_items.listings_items_2021_08_01 import ListingsItemsV20210801

from .pagination import Page, next_token, pages
from .params import chunks as _chunks
from .params import clean as _clean
from .params import csv as _csv

CATALOG_IDENTIFIERS_PER_CALL = 20


class ListingsOperations:
    """Mixed into :class:`.client.AmazonClient`."""

    # -- Listings Items 2021-08-01 ------------------------------------------------------

    def _listing_kwargs(self, marketplace_ids, **extra):
        return _clean({"marketplaceIds": _csv(marketplace_ids), **extra})

    def put_listing(self, sku, marketplace_ids, body, mode=None) -> dict:
        kwargs = self._listing_kwargs(marketplace_ids, mode=mode)
        return self._call(
            "putListingsItem",
            ListingsItemsV20210801,
            lambda c: c.put_listings_item(self.credentials.seller_id, sku, body=body, **kwargs),
        )

    def patch_listing(self, sku, marketplace_ids, body, mode=None) -> dict:
        kwargs = self._listing_kwargs(marketplace_ids, mode=mode)
        return self._call(
            "patchListingsItem",
            ListingsItemsV20210801,
            lambda c: c.patch_listings_item(self.credentials.seller_id, sku, body=body, **kwargs),
        )

    def get_listing(self, sku, marketplace_ids, included_data=None) -> dict:
        kwargs = self._listing_kwargs(marketplace_ids, includedData=_csv(included_data))
        return self._call(
            "getListingsItem",
            ListingsItemsV20210801,
            lambda c: c.get_listings_item(self.credentials.seller_id, sku, **kwargs),
        )

    def delete_listing(self, sku, marketplace_ids) -> dict:
        # The library's delete sends its own default marketplace: call the path directly.
        path = "/listings/2021-08-01/items/{}/{}".format(
            quote(self.credentials.seller_id, safe=""), quote(sku, safe="")
        )
        params = {"marketplaceIds": _csv(marketplace_ids), "method": "DELETE"}
        return self._call(
            "deleteListingsItem",
            ListingsItemsV20210801,
            lambda c: c._request(path, params=dict(params)),
        )

    def confirm_seller(self, marketplace_id: str) -> None:
        """Raise :class:`~.errors.AuthError` unless the token belongs to
        ``credentials.seller_id``: Listings Items answers a seller-scoped path only for
        the token's own seller (Amazon answers 403 for any other seller id)."""
        self._call(
            "searchListingsItems",
            ListingsItemsV20210801,
            lambda c: c.search_listings_items(
                self.credentials.seller_id, marketplaceIds=marketplace_id, pageSize=1
            ),
        )

    def iter_listings(self, marketplace_ids, **filters) -> Iterator[Page]:
        """Pages of searchListingsItems; ``filters`` are Amazon's parameter names
        (``identifiers``, ``identifiersType``, ``includedData``, ``pageSize``...)."""
        params = self._listing_kwargs(
            marketplace_ids, **{k: _csv(v) if k != "pageSize" else v for k, v in filters.items()}
        )

        def fetch(token):
            query = dict(params, pageToken=token) if token else dict(params)
            body = self._call(
                "searchListingsItems",
                ListingsItemsV20210801,
                lambda c: c.search_listings_items(self.credentials.seller_id, **query),
            )
            body = body or {}
            return Page(items=body.get("items") or [], next_token=next_token(body), payload=body)

        return pages(fetch, "searchListingsItems")

    # -- Catalog Items 2022-04-01 -------------------------------------------------------

    def search_catalog_items(
        self,
        identifiers: Iterable[str],
        identifiers_type,
        marketplace_id,
        included_data=("summaries", "identifiers"),
    ) -> list[dict]:
        """Catalog items matching ``identifiers`` (EAN, UPC, ISBN, GTIN...), 20 per call."""
        results = []
        for chunk in _chunks(identifiers, CATALOG_IDENTIFIERS_PER_CALL):
            params = _clean(
                {
                    "identifiers": _csv(chunk),
                    "identifiersType": identifiers_type,
                    "marketplaceIds": marketplace_id,
                    "includedData": _csv(included_data),
                    "pageSize": CATALOG_IDENTIFIERS_PER_CALL,
                    "sellerId": self.credentials.seller_id if identifiers_type == "SKU" else None,
                }
            )

            def fetch(token, params=params):
                query = dict(params, pageToken=token) if token else dict(params)
                body = self._call(
                    "searchCatalogItems",
                    CatalogItemsV20220401,
                    lambda c: c.search_catalog_items(**query),
                )
                body = body or {}
                return Page(items=body.get("items") or [], next_token=next_token(body))

            for page in pages(fetch, "searchCatalogItems"):
                results.extend(page.items)
        return results
