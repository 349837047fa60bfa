"""Background work of the notifications app: sending the e-mail copy of notifications."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from .models import Notification


@task()
def notifications_email(notification_ids: list[int]) -> int:
    """E-mail each notification not yet e-mailed to its recipient's address; returns how many were sent.

    Idempotent: a notification is e-mailed at most once, so a retried task sends nothing twice.
    """
    sent = 0
    rows = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).select_related(
        "recipient"
    )
    for notification in rows:
        address = notification.recipient.email
        if not address:
            continue
        body = notification.body
        if notification.url:
            body = f"{body}\n\n{settings.COSO_SITE_URL.rstrip('/')}{notification.url}".strip()
        send_mail(notification.title, body, None, [address], fail_silently=False)
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
