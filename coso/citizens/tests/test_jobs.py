"""Scheduled jobs: escalation of overdue items, closing stale answers, the weekly digest. All idempotent."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command

from coso.accounts.models import Role
from coso.citizens import services
from coso.citizens.models import Feedback, FeedbackKind, FeedbackStatus, UpdateKind
from coso.notifications.models import Notification
from coso.testing.factories import make_user

from .conftest import answered, assign, file_report

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def run(command: str) -> str:
    out = StringIO()
    call_command(command, stdout=out)
    return out.getvalue().strip()


def test_overdue_complaint_escalates_once_to_the_upper_level(world, land):
    province_leader = make_user("province_leader", role=Role.COMMITTEE_LEADER, organization=world.province)
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=VN), tick=False):
        item = services.feedback_assign(
            actor=world.commune_staff, feedback=file_report(world, land), organization=world.commune
        )
    assert item.deadline_at.date() == dt.date(2026, 4, 1)
    with time_machine.travel(dt.datetime(2026, 4, 2, 9, 0, tzinfo=VN), tick=False):
        assert run("feedback_escalate") == "0"  # overdue by less than two working days
    with time_machine.travel(dt.datetime(2026, 4, 6, 9, 0, tzinfo=VN), tick=False):
        assert run("feedback_escalate") == "1"
        assert run("feedback_escalate") == "0"
    item.refresh_from_db()
    assert item.escalated_to == world.province and item.status == FeedbackStatus.ASSIGNED
    assert item.updates.filter(kind=UpdateKind.ESCALATED, public=False).count() == 1
    assert Notification.objects.filter(recipient=province_leader, kind="citizens.escalated").count() == 1
    # The province now sees it in its escalated box.
    from coso.citizens.selectors import feedback_list

    assert list(feedback_list(actor=province_leader, filters={"box": "escalated"})) == [item]


def test_cell_item_escalates_to_its_commune(world, order_cat):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=VN), tick=False):
        item = assign(world, file_report(world, order_cat))
    with time_machine.travel(dt.datetime(2026, 3, 31, 9, 0, tzinfo=VN), tick=False):
        services.feedback_escalate_overdue()
    item.refresh_from_db()
    assert item.escalated_to == world.commune


def test_answered_items_close_after_fourteen_days_without_rating(world, roads, order_cat):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=VN), tick=False):
        item = answered(world, roads)
        no_evidence = assign(world, file_report(world, order_cat))
        no_evidence = services.feedback_answer(
            actor=world.secretary_a, feedback=no_evidence, answer="Đã xử lý."
        )
        # A stricter category after the fact: the answer lacks the now-required photo, so it stays open.
        order_cat.evidence_required = "PHOTO"
        order_cat.save()
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 0, tzinfo=VN), tick=False):
        assert run("feedback_close_stale") == "0"
    with time_machine.travel(dt.datetime(2026, 3, 17, 9, 0, tzinfo=VN), tick=False):
        assert run("feedback_close_stale") == "1"
        assert run("feedback_close_stale") == "0"
    assert Feedback.objects.get(pk=item.pk).status == FeedbackStatus.CLOSED
    assert Feedback.objects.get(pk=no_evidence.pk).status == FeedbackStatus.ANSWERED


def test_weekly_digest_goes_once_per_week_to_leaders(world, roads):
    file_report(world, roads)
    file_report(world, roads, kind=FeedbackKind.PETITION)
    with time_machine.travel(dt.datetime(2026, 3, 9, 7, 0, tzinfo=VN), tick=False):
        first = int(run("feedback_digest"))
        again = int(run("feedback_digest"))
    assert first >= 1 and again == 0
    note = Notification.objects.get(recipient=world.commune_leader, kind="citizens.digest")
    assert "2" in note.title
    with time_machine.travel(dt.datetime(2026, 3, 16, 7, 0, tzinfo=VN), tick=False):
        assert int(run("feedback_digest")) >= 1
