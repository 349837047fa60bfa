"""The demo loads citizens' data: categories, routing, reception days (one ward short), dialogues, feedback in
every state with an escalated overdue complaint, answers with photos, ratings."""

from __future__ import annotations

import datetime as dt

import pytest

from coso.citizens.models import (
    Attachment,
    Category,
    Dialogue,
    Feedback,
    FeedbackKind,
    FeedbackStatus,
    RoutingRule,
)
from coso.citizens.selectors import reception_compliance
from coso.demo.loader import load_demo


@pytest.mark.django_db(transaction=False)
def test_demo_has_citizens_data(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    # Only this app's extension: the other apps' demo data have their own tests.
    monkeypatch.setattr("coso.demo.loader.DEMO_EXTENSIONS", ("coso.demo.citizens_data",))
    today = dt.date.today()
    load_demo(scale=0.05, today=today)
    assert Category.objects.count() == 6 and RoutingRule.objects.exists()
    assert Feedback.objects.count() >= 12
    statuses = set(Feedback.objects.values_list("status", flat=True))
    assert {
        FeedbackStatus.RECEIVED,
        FeedbackStatus.ASSIGNED,
        FeedbackStatus.ANSWERED,
        FeedbackStatus.CLOSED,
    } <= statuses
    escalated = Feedback.objects.get(escalated_at__isnull=False, kind=FeedbackKind.COMPLAINT)
    assert escalated.escalated_to.code == "HG-VT"
    assert Attachment.objects.filter(kind="PHOTO", update__kind="ANSWERED").exists()
    assert Feedback.objects.filter(rating__isnull=False).exists()
    assert Dialogue.objects.filter(kind="DOOR_TO_DOOR").exists()
    from coso.accounts.models import User

    rows = reception_compliance(actor=User.objects.get(username="thanhuy"), month=today.replace(day=1))
    by_code = {r.organization.code: r for r in rows}
    assert by_code["VT-P3"].held + by_code["VT-P3"].planned == 1  # the ward short of its two days
    assert by_code["VT-P1"].held + by_code["VT-P1"].planned == 2
