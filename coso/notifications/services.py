"""Writes of the notifications app: send notifications, mark them read."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone, translation

from coso.core.exceptions import RuleViolation

from .models import Notification

KIND_MAX = Notification._meta.get_field("kind").max_length
TITLE_MAX = Notification._meta.get_field("title").max_length


def _in_language(text, language: str) -> str:
    """Render a (lazy) text in the recipient's language: callers pass gettext_lazy / format_lazy texts."""
    with translation.override(language or "vi"):
        return str(text)


def notify(
    *,
    recipients: Iterable,
    kind: str,
    title,
    body="",
    url: str = "",
    email: bool = True,
    dedupe_key: str = "",
) -> list[Notification]:
    """Notify each recipient (users; duplicates and inactive users are skipped) in their own language.

    `title` and `body` should be lazy texts (gettext_lazy, or format_lazy for placeholders) so that each
    recipient reads them in the language of their account. With `dedupe_key`, a user who already has a
    notification with that key gets no second one. E-mail copies go out after the transaction commits,
    through the task worker, to recipients with an address.
    """
    if not kind or len(kind) > KIND_MAX:
        raise ValueError(f"notification kind must be 1 to {KIND_MAX} characters")
    unique = {user.pk: user for user in recipients if user is not None and user.pk and user.is_active}
    if dedupe_key:
        already = set(
            Notification.objects.filter(recipient_id__in=unique, dedupe_key=dedupe_key).values_list(
                "recipient_id", flat=True
            )
        )
        unique = {pk: user for pk, user in unique.items() if pk not in already}
    now = timezone.now()
    rows = [
        Notification(
            recipient=user,
            kind=kind,
            title=_in_language(title, user.language)[:TITLE_MAX],
            body=_in_language(body, user.language),
            url=url,
            created_at=now,
            dedupe_key=dedupe_key,
        )
        for user in unique.values()
    ]
    if not rows:
        return []
    with transaction.atomic():
        created = Notification.objects.bulk_create(rows)
    if email:
        ids = [row.pk for row, user in zip(created, unique.values(), strict=True) if user.email]
        if ids:
            from .tasks import notifications_email

            transaction.on_commit(lambda: notifications_email.enqueue(ids))
    return created


def notification_mark_read(*, actor, notification: Notification) -> Notification:
    if notification.recipient_id != actor.pk:
        raise RuleViolation("not your notification")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, actor) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())
