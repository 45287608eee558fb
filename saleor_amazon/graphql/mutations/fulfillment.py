"""Staff's retry of shipments, cancellations and invoice uploads Amazon did not take."""

import graphene
from django.core.exceptions import ValidationError

from ...accounts.errors import AmazonErrorCode
from ...fulfillment import retry
from .. import permissions
from ..errors import AmazonError
from ..types.fulfillment import AmazonCancellation, AmazonInvoiceUpload, AmazonShipment
from .base import AmazonMutation


def _retry_mutation(name, node_type, service, result_field, description):
    class Arguments:
        id = graphene.ID(required=True, description=f"The {result_field} to send again.")

    class Meta:
        pass

    Meta.description = description
    Meta.permissions = permissions.ORDERS
    Meta.error_type_class = AmazonError

    @classmethod
    def perform_mutation(cls, _root, info, /, *, id):
        record = cls.get_node_or_error(info, id, field="id", only_type=node_type)
        try:
            record = service(record)
        except retry.NotRetryable as exc:
            raise ValidationError(
                {"id": ValidationError(exc.message, code=AmazonErrorCode.NOT_RETRYABLE.value)}
            ) from exc
        return cls(**{result_field: record})

    return type(
        name,
        (AmazonMutation,),
        {
            result_field: graphene.Field(node_type),
            "Arguments": Arguments,
            "Meta": Meta,
            "perform_mutation": perform_mutation,
        },
    )


AmazonShipmentRetry = _retry_mutation(
    "AmazonShipmentRetry",
    AmazonShipment,
    retry.retry_shipment,
    "shipment",
    "Send a failed shipment confirmation again (after fixing its cause), or a pending one "
    "now instead of at its next retry. Confirmed, skipped and waiting shipments are refused.",
)
AmazonCancellationRetry = _retry_mutation(
    "AmazonCancellationRetry",
    AmazonCancellation,
    retry.retry_cancellation,
    "cancellation",
    "Send a failed cancellation to Amazon again. Refusals (something was shipped) are final.",
)
AmazonInvoiceUploadRetry = _retry_mutation(
    "AmazonInvoiceUploadRetry",
    AmazonInvoiceUpload,
    retry.retry_invoice_upload,
    "invoice_upload",
    "Upload a failed invoice again (e.g. after its file was generated).",
)
