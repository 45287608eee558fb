"""Fixtures that run the local Amazon sandbox (saleor_amazon.sandbox) on loopback."""
