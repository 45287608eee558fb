"""Sort inputs; every ordering ends with the primary key so cursors are stable."""

from saleor.graphql.core.types import BaseEnum, SortInputObjectType


class AmazonAccountSortField(BaseEnum):
    NAME = ["name", "pk"]
    SELLER_ID = ["seller_id", "region", "pk"]
    CREATED_AT = ["created_at", "pk"]

    @property
    def description(self):
        return f"Sort accounts by {self.name.lower().replace('_', ' ')}."


class AmazonAccountSortingInput(SortInputObjectType):
    class Meta:
        sort_enum = AmazonAccountSortField
        type_name = "Amazon accounts"


class AmazonOrderSortField(BaseEnum):
    PURCHASE_DATE = ["purchase_date", "pk"]
    LAST_UPDATED = ["last_updated", "pk"]
    TOTAL = ["total", "pk"]
    STATUS = ["status", "purchase_date", "pk"]
    PROCESSING_STATE = ["state", "purchase_date", "pk"]

    @property
    def description(self):
        return f"Sort Amazon orders by {self.name.lower().replace('_', ' ')}."


class AmazonOrderSortingInput(SortInputObjectType):
    class Meta:
        sort_enum = AmazonOrderSortField
        type_name = "Amazon orders"


class AmazonOfferSortField(BaseEnum):
    SELLER_SKU = ["seller_sku", "pk"]
    CREATED_AT = ["created_at", "pk"]
    SYNC_STATE = ["sync_state", "seller_sku", "pk"]

    @property
    def description(self):
        return f"Sort offers by {self.name.lower().replace('_', ' ')}."


class AmazonOfferSortingInput(SortInputObjectType):
    class Meta:
        sort_enum = AmazonOfferSortField
        type_name = "Amazon offers"
