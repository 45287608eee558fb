"""Offers sent to Amazon: ASIN matching, JSON_LISTINGS_FEED building, price and stock sync,
and the import of a seller's existing listings.

Modules: :mod:`.options` (per-marketplace settings), :mod:`.pricing` (price and quantity as
Amazon should show them), :mod:`.asin` (ASIN lookup), :mod:`.feed` (feed documents),
:mod:`.send` (amazonProductsSend), :mod:`.results` (processing reports), :mod:`.sync`
(periodic diff sync), :mod:`.importer` (amazonListingsImport), :mod:`.hooks` (Saleor hooks).
"""
