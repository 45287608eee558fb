"""Amazon Selling Partner API integration for Saleor."""

__version__ = "0.1.0"
