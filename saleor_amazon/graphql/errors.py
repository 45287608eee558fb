from saleor.graphql.core.types import Error

from .enums import AmazonErrorCode


class AmazonError(Error):
    code = AmazonErrorCode(description="The error code.", required=True)

    class Meta:
        description = "An error of an Amazon mutation."
