"""Celery tasks of the Amazon plugin (found by Saleor's Celery autodiscovery)."""
