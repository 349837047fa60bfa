"""JSON API of the notifications app: the caller's own notifications."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from . import selectors, services

PREFIX = "/notifications/"
router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class NotificationPage(Schema):
    count: int
    unread: int
    page: int
    page_size: int
    results: list[NotificationOut]


@router.get("", response=NotificationPage, url_name="notification_list")
def notification_list(request: HttpRequest, unread: bool = False, page: int = 1, page_size: int = 30):
    page = max(page, 1)
    page_size = min(max(page_size, 1), 100)
    qs = selectors.notification_list(actor=request.user, unread_only=unread)
    start = (page - 1) * page_size
    return {
        "count": qs.count(),
        "unread": selectors.unread_count(request.user),
        "page": page,
        "page_size": page_size,
        "results": list(qs[start : start + page_size]),
    }


@router.post("/{notification_id}/read", response=NotificationOut, url_name="notification_read")
def notification_read(request: HttpRequest, notification_id: int):
    notification = selectors.access_notification(request.user, notification_id)
    return services.notification_mark_read(actor=request.user, notification=notification)


class ReadAllOut(Schema):
    marked: int


@router.post("/read-all", response=ReadAllOut, url_name="notification_read_all")
def notification_read_all(request: HttpRequest):
    return {"marked": services.notification_mark_all_read(actor=request.user)}
