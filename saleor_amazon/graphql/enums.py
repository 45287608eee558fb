"""GraphQL enums of the Amazon API; values are the stored model values."""

import graphene
from saleor.graphql.core.types import BaseEnum

from .. import models
from ..accounts.errors import AmazonErrorCode as AmazonErrorCodes
from ..accounts.marketplaces import DEFAULT_SERVICE_LEVEL, SERVICE_LEVELS

AmazonErrorCode = graphene.Enum.from_enum(AmazonErrorCodes)
AmazonErrorCode.__doc__ = "Error codes of the Amazon API's mutations."


def _choices_enum(name: str, choices, description: str):
    """A GraphQL enum whose names are the upper-cased stored values."""
    members = [(value.upper(), value) for value in choices.values]
    enum = graphene.Enum(name, members, description=description)
    return enum


AmazonRegion = graphene.Enum(
    "AmazonRegion",
    [("NA", "NA"), ("EU", "EU"), ("FE", "FE")],
    description="Amazon selling region: North America, Europe, Far East.",
)
AmazonAccountStatus = _choices_enum(
    "AmazonAccountStatus", models.AccountStatus, "Whether an account can be used."
)
AmazonUnmatchedLinePolicy = _choices_enum(
    "AmazonUnmatchedLinePolicy",
    models.UnmatchedLinePolicy,
    "What happens to an order with a line that matches no Saleor variant: HOLD keeps it "
    "waiting until the line is linked; PLACEHOLDER uses the marketplace's placeholder variant.",
)
AmazonCustomerPolicy = _choices_enum(
    "AmazonCustomerPolicy",
    models.CustomerPolicy,
    "GUEST: guest orders; ATTACH: attach to a matching customer; CREATE: attach or create.",
)
AmazonOrderStatus = _choices_enum(
    "AmazonOrderStatus", models.FulfillmentStatus, "Amazon's fulfilment status of an order."
)
AmazonFulfilledBy = _choices_enum(
    "AmazonFulfilledBy", models.FulfilledBy, "Who fulfils the order: the merchant or Amazon."
)
AmazonOrderProcessingState = _choices_enum(
    "AmazonOrderProcessingState",
    models.ProcessingState,
    "Where an Amazon order stands on its way to a Saleor order.",
)
AmazonOfferSyncState = _choices_enum(
    "AmazonOfferSyncState", models.OfferSyncState, "Where an offer stands with Amazon."
)


class AmazonOrderTab(BaseEnum):
    TO_PROCESS = "to_process"
    PROCESSED = "processed"

    class Meta:
        description = (
            "The two tabs of the Amazon order list: TO_PROCESS (not yet a Saleor order: "
            "pending, waiting for linking, failed) and PROCESSED."
        )


AmazonServiceLevel = graphene.Enum(
    "AmazonServiceLevel",
    [(level, level) for level in SERVICE_LEVELS] + [("DEFAULT", DEFAULT_SERVICE_LEVEL)],
    description=(
        "Amazon's shipping service level chosen by the buyer; DEFAULT applies to levels "
        "without their own shipping method."
    ),
)


def _fulfillment_enums():
    from ..fulfillment.models import FeedRecordState, ShipmentState

    shipment = _choices_enum(
        "AmazonShipmentState",
        ShipmentState,
        "Where a shipment confirmation stands: WAITING_FOR_APPROVAL, WAITING_FOR_TRACKING, "
        "PENDING (queued or retrying), SUBMITTED (in a feed, without tracking), CONFIRMED, "
        "FAILED (see its error), SKIPPED (not for Amazon, e.g. fulfilled by Amazon).",
    )
    record = _choices_enum(
        "AmazonReportState",
        FeedRecordState,
        "Where a cancellation, acknowledgement or invoice upload stands: PENDING, SUBMITTED "
        "(waiting for Amazon's report), DONE, FAILED (see its message), REFUSED (not sent: "
        "e.g. a cancellation after shipment), SKIPPED (not sent).",
    )
    return shipment, record


AmazonShipmentState, AmazonReportState = _fulfillment_enums()
