"""Listings feeds sent to Amazon, their processing reports, and listings import reports."""

import graphene
from saleor.graphql.core.connection import CountableConnection
from saleor.graphql.core.scalars import JSON, DateTime
from saleor.graphql.core.types import BaseObjectType, ModelObjectType, NonNullList

from ... import models
from ..dataloaders import AccountByIdLoader, MarketplaceByIdLoader, load
from .accounts import AccountSummaryFields, account_field, marketplace_field

AmazonFeedStatus = graphene.Enum(
    "AmazonFeedStatus",
    [(value.upper(), value) for value in models.FeedStatus.values],
    description=(
        "Where a feed stands: NEW (being prepared), SUBMITTED, IN_QUEUE, IN_PROGRESS, "
        "DONE, FATAL, CANCELLED (Amazon's processing statuses), ERROR (Amazon did not take it)."
    ),
)


class AmazonFeedIssue(BaseObjectType):
    message_id = graphene.Int(description="The feed message the issue is about.")
    sku = graphene.String()
    code = graphene.String()
    severity = graphene.String()
    message = graphene.String()
    attribute_name = graphene.String()

    class Meta:
        description = "An issue of Amazon's processing report."


class AmazonFeed(AccountSummaryFields, ModelObjectType[models.AmazonFeed]):
    id = graphene.GlobalID(required=True)
    account = account_field(description="The seller account.")
    marketplace = marketplace_field(description="The marketplace (none for some order feeds).")
    feed_type = graphene.String(required=True)
    amazon_feed_id = graphene.String(required=True, description="Amazon's feed id.")
    status = AmazonFeedStatus(required=True)
    messages_total = graphene.Int(required=True)
    messages_accepted = graphene.Int(required=True)
    messages_invalid = graphene.Int(required=True)
    errors = graphene.Int(required=True)
    warnings = graphene.Int(required=True)
    error = graphene.String(required=True, description="Why Amazon did not take the feed.")
    issues = NonNullList(
        AmazonFeedIssue, required=True, description="The issues of Amazon's processing report."
    )
    processing_report = JSON(description="Amazon's processing report as it came.")
    created_at = DateTime(required=True)
    submitted_at = DateTime()
    processed_at = DateTime()

    class Meta:
        description = "A feed sent to Amazon (e.g. JSON_LISTINGS_FEED) and what Amazon made of it."
        model = models.AmazonFeed
        interfaces = [graphene.relay.Node]

    @staticmethod
    def resolve_account(root: models.AmazonFeed, info):
        return load(AccountByIdLoader, info, root.account_id)

    @staticmethod
    def resolve_marketplace(root: models.AmazonFeed, info):
        return load(MarketplaceByIdLoader, info, root.marketplace_id)

    @staticmethod
    def resolve_issues(root: models.AmazonFeed, _info):
        report = root.processing_report or {}
        return [
            AmazonFeedIssue(
                message_id=issue.get("messageId"),
                sku=issue.get("sku"),
                code=issue.get("code"),
                severity=issue.get("severity"),
                message=issue.get("message"),
                attribute_name=issue.get("attributeName"),
            )
            for issue in report.get("issues") or []
            if isinstance(issue, dict)
        ]


class AmazonFeedCountableConnection(CountableConnection):
    class Meta:
        node = AmazonFeed


class AmazonListingsImportLine(BaseObjectType):
    sku = graphene.String(required=True)
    action = graphene.String(required=True, description="created, linked or skipped.")
    reason = graphene.String(required=True, description="Why it was skipped.")
    title = graphene.String(required=True, description="Amazon's title of the listing.")

    class Meta:
        description = "What the listings import did with one Amazon listing."
