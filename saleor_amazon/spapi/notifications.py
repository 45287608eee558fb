"""Notifications v1: destinations (grantless, the application's) and subscriptions."""

from sp_api.api.notifications.notifications import Notifications

from .params import clean as _clean


class NotificationsOperations:
    """Mixed into :class:`.client.AmazonClient`."""

    # -- Notifications ------------------------------------------------------------------

    def create_destination(self, name, arn=None, account_id=None, region=None) -> dict:
        """An SQS (``arn``) or EventBridge (``account_id``, ``region``) destination."""
        kwargs = _clean({"arn": arn, "account_id": account_id, "region": region})
        body = self._call(
            "createDestination",
            Notifications,
            lambda c: c.create_destination(name=name, **kwargs),
            grantless=True,
        )
        return (body or {}).get("payload") or {}

    def get_destinations(self) -> list[dict]:
        body = self._call(
            "getDestinations", Notifications, lambda c: c.get_destinations(), grantless=True
        )
        return (body or {}).get("payload") or []

    def create_subscription(
        self, notification_type, destination_id, payload_version="1.0", processing_directive=None
    ) -> dict:
        extra = {"processingDirective": processing_directive} if processing_directive else {}
        body = self._call(
            "createSubscription",
            Notifications,
            lambda c: c.create_subscription(
                notification_type,
                destination_id=destination_id,
                payload_version=payload_version,
                **extra,
            ),
        )
        return (body or {}).get("payload") or {}

    def get_subscription(self, notification_type, payload_version=None) -> dict:
        kwargs = _clean({"payloadVersion": payload_version})
        body = self._call(
            "getSubscription",
            Notifications,
            lambda c: c.get_subscription(notification_type, **kwargs),
        )
        return (body or {}).get("payload") or {}
