from django.apps import AppConfig


class SaleorAmazonConfig(AppConfig):
    name = "saleor_amazon"
    label = "saleor_amazon"
    verbose_name = "Amazon (Selling Partner API)"
    default_auto_field = "django.db.models.BigAutoField"
