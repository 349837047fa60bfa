"""Reads of the notifications app. A notification belongs to its recipient alone: nobody else sees it."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from .models import Notification


def notification_list(*, actor, unread_only: bool = False) -> QuerySet[Notification]:
    if actor is None or not actor.is_authenticated or actor.pk is None:
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=actor)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


def unread_count(actor) -> int:
    return notification_list(actor=actor, unread_only=True).count()


def access_notification(actor, pk: int) -> Notification:
    """The actor's own notification, or 404 (someone else's notification does not exist for them)."""
    notification = notification_list(actor=actor).filter(pk=pk).first()
    if notification is None:
        raise Http404
    return notification
