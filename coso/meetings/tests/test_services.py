"""Meeting services: transitions, notices and reminders, attendance, minutes locking and versions, votes,
the .docx, the calendar feed, escalations, the yearly plan and query budgets."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from icalendar import Calendar

from coso.accounts.permissions import SYSTEM
from coso.core.exceptions import ConflictError, RuleViolation
from coso.meetings import selectors, services
from coso.meetings.models import Meeting, MeetingStatus, MinutesStatus
from coso.meetings.tests.conftest import MEETING_DAY, TZ, complete_minutes
from coso.members.models import EventKind
from coso.members.services import member_record_event
from coso.notifications.models import Notification
from coso.testing.factories import make_member, make_user


def test_allowed_transitions(world, meeting_a):
    services.meeting_publish(actor=world.secretary_a, meeting=meeting_a)
    services.meeting_mark_held(actor=world.secretary_a, meeting=meeting_a, today=MEETING_DAY)
    minutes = complete_minutes(services.minutes_start(actor=world.secretary_a, meeting=meeting_a))
    services.minutes_approve(actor=world.secretary_a, minutes=minutes)
    meeting_a.refresh_from_db()
    assert meeting_a.status == MeetingStatus.MINUTES_APPROVED


@pytest.mark.parametrize(
    "steps",
    [
        ("cancel", "publish"),
        ("hold", "publish"),
        ("hold", "cancel"),
        ("cancel", "hold"),
        ("publish", "publish"),
    ],
)
def test_forbidden_transitions(world, meeting_a, steps):
    actions = {
        "publish": lambda: services.meeting_publish(actor=SYSTEM, meeting=meeting_a),
        "cancel": lambda: services.meeting_cancel(actor=SYSTEM, meeting=meeting_a),
        "hold": lambda: services.meeting_mark_held(actor=SYSTEM, meeting=meeting_a, today=MEETING_DAY),
    }
    actions[steps[0]]()
    with pytest.raises(RuleViolation) as exc:
        actions[steps[1]]()
    assert exc.value.code == "transition"


def test_member_cannot_manage_and_outsider_does_not_see(world, meeting_a):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    with pytest.raises(PermissionDenied):
        services.meeting_publish(actor=world.member_a, meeting=meeting_a)
    with pytest.raises(Http404):
        services.meeting_publish(actor=world.secretary_b, meeting=meeting_a)


def test_stale_version_is_a_conflict(world, meeting_a):
    services.meeting_update(
        actor=world.secretary_a, meeting=meeting_a, data={"place": "A"}, expected_version=1
    )
    with pytest.raises(ConflictError):
        services.meeting_update(
            actor=world.secretary_a, meeting=meeting_a, data={"place": "B"}, expected_version=1
        )


def test_publishing_notifies_members_and_member_guests_with_the_agenda(world, meeting_a, media):
    guest_record = world.member_d_record
    guest_user = make_user("guest_d", member=guest_record)
    services.guest_add(actor=SYSTEM, meeting=meeting_a, member=guest_record, role="Đảng ủy viên phụ trách")
    warnings = services.meeting_publish(actor=world.secretary_a, meeting=meeting_a)
    assert warnings == []
    notes = Notification.objects.filter(kind="meetings.published")
    assert {n.recipient_id for n in notes} == {world.member_a.pk, guest_user.pk}
    assert "Kiểm điểm tháng 6" in notes.get(recipient=world.member_a).body


def test_late_notice_and_short_duration_are_warned_not_blocked(world):
    meeting = services.meeting_schedule(
        actor=SYSTEM,
        organization=world.cell_a,
        starts_at=dt.datetime(2026, 6, 10, 19, 0, tzinfo=TZ),
        duration_minutes=60,
    )
    warnings = services.meeting_publish(actor=world.secretary_a, meeting=meeting)
    assert len(warnings) == 2
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.PUBLISHED


def test_reminders_go_out_the_day_before_once(world, meeting_a, time_machine):
    services.meeting_publish(actor=SYSTEM, meeting=meeting_a)
    assert services.meetings_send_reminders(today=dt.date(2026, 6, 18)) == 0
    call_command("meetings_remind", "--today", "2026-06-19")
    call_command("meetings_remind", "--today", "2026-06-19")
    assert Notification.objects.filter(kind="meetings.reminder", recipient=world.member_a).count() == 1


def test_attendance_lists_exempted_members_apart_and_not_counted(world, meeting_a):
    exempt = make_member(world.cell_a, full_name="Võ Văn Già")
    member_record_event(
        actor=SYSTEM, member=exempt, kind=EventKind.EXEMPTION, occurred_on=dt.date(2026, 1, 5)
    )
    services.meeting_mark_held(actor=SYSTEM, meeting=meeting_a, today=MEETING_DAY)
    for member, status in ((world.member_a_record, "PRESENT"), (world.other_a_record, "ABSENT_UNEXCUSED")):
        services.attendance_record(actor=world.secretary_a, meeting=meeting_a, member=member, status=status)
    figures = selectors.meeting_figures(meeting_a)
    assert (figures.base, figures.attended, figures.exempted, figures.rate) == (2, 1, 1, 50.0)
    assert len(figures.flags) == 2
    assert selectors.voting_base(meeting_a) == 2


def test_the_rest_present_marks_only_members_not_yet_marked(world, meeting_a):
    exempt = make_member(world.cell_a, full_name="Võ Văn Già")
    member_record_event(
        actor=SYSTEM, member=exempt, kind=EventKind.EXEMPTION, occurred_on=dt.date(2026, 1, 5)
    )
    services.meeting_mark_held(actor=SYSTEM, meeting=meeting_a, today=MEETING_DAY)
    services.attendance_record(
        actor=world.secretary_a, meeting=meeting_a, member=world.other_a_record, status="ABSENT_EXCUSED"
    )
    marked = services.attendance_rest_present(actor=world.secretary_a, meeting=meeting_a)
    rows = {row.member_id: row for row in selectors.attendance_rows(meeting_a)}
    assert rows[world.other_a_record.pk].status == "ABSENT_EXCUSED"
    assert rows[exempt.pk].status == ""
    assert marked == sum(1 for row in rows.values() if row.status == "PRESENT") > 0
    assert services.attendance_rest_present(actor=world.secretary_a, meeting=meeting_a) == 0


def test_the_rest_present_is_refused_once_the_minutes_are_approved(world, meeting_a):
    services.meeting_mark_held(actor=SYSTEM, meeting=meeting_a, today=MEETING_DAY)
    minutes = complete_minutes(services.minutes_start(actor=SYSTEM, meeting=meeting_a))
    services.minutes_approve(actor=SYSTEM, minutes=minutes)
    meeting_a.refresh_from_db()
    with pytest.raises(RuleViolation) as exc:
        services.attendance_rest_present(actor=world.secretary_a, meeting=meeting_a)
    assert exc.value.code == "locked"


def test_approved_minutes_are_locked_and_a_correction_is_a_new_version(world, meeting_a):
    services.meeting_mark_held(actor=SYSTEM, meeting=meeting_a, today=MEETING_DAY)
    minutes = services.minutes_start(actor=world.secretary_a, meeting=meeting_a)
    services.minutes_update(
        actor=world.secretary_a,
        minutes=minutes,
        data={"conclusion": "Hoàn thành"},
        resolutions=[{"text": "Thông qua kế hoạch", "votes_for": 2}],
        expected_version=minutes.version,
    )
    minutes = complete_minutes(minutes)
    services.minutes_approve(actor=world.secretary_a, minutes=minutes)
    with pytest.raises(RuleViolation) as exc:
        services.minutes_update(
            actor=world.secretary_a, minutes=minutes, data={"conclusion": "x"}, expected_version=None
        )
    assert exc.value.code == "locked"
    new = services.minutes_correct(actor=world.secretary_a, meeting=meeting_a, reason="Sửa số phiếu")
    assert new.number == 2 and new.status == MinutesStatus.DRAFT
    assert new.resolutions.get().text == "Thông qua kế hoạch"
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.SUPERSEDED and minutes.conclusion == "Hoàn thành"
    assert minutes.history.count() >= 3


def test_votes_are_counted_on_official_members_minus_exempted(world, meeting_a):
    services.meeting_mark_held(actor=SYSTEM, meeting=meeting_a, today=MEETING_DAY)
    minutes = services.minutes_start(actor=SYSTEM, meeting=meeting_a)
    services.minutes_update(
        actor=SYSTEM,
        minutes=minutes,
        data={},
        resolutions=[
            {"text": "Một nửa", "votes_for": 1, "votes_against": 1},
            {"text": "Đa số", "votes_for": 2},
        ],
        expected_version=None,
    )
    half, majority = minutes.resolutions.order_by("order")
    assert (half.base, half.passed, majority.passed) == (2, False, True)
    with pytest.raises(RuleViolation):
        services.minutes_update(
            actor=SYSTEM,
            minutes=minutes,
            data={},
            resolutions=[{"text": "x", "votes_for": 3}],
            expected_version=None,
        )


def test_minutes_docx_has_the_official_layout(world, meeting_a):
    services.meeting_update(
        actor=SYSTEM,
        meeting=meeting_a,
        data={"chair": world.other_a_record, "minute_taker": world.member_a_record},
        expected_version=None,
    )
    services.meeting_mark_held(actor=SYSTEM, meeting=meeting_a, today=MEETING_DAY)
    services.attendance_record(
        actor=SYSTEM, meeting=meeting_a, member=world.member_a_record, status="PRESENT"
    )
    services.attendance_record(
        actor=SYSTEM, meeting=meeting_a, member=world.other_a_record, status="ABSENT_EXCUSED", reason="Ốm"
    )
    minutes = services.minutes_start(actor=SYSTEM, meeting=meeting_a)
    services.minutes_update(
        actor=SYSTEM,
        minutes=minutes,
        data={"conclusion": "Chi bộ thống nhất nhiệm vụ tháng 7."},
        resolutions=[{"text": "Nghị quyết tháng 6", "votes_for": 2}],
        expected_version=None,
    )
    from coso.meetings.exports import minutes_docx

    document = Document(io.BytesIO(minutes_docx(meeting_a, selectors.minutes_current(meeting_a))))
    header = document.tables[0]
    assert header.cell(0, 1).text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert header.cell(0, 0).text == world.commune.name.upper()
    assert header.cell(1, 0).text == world.cell_a.name.upper()
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BIÊN BẢN SINH HOẠT CHI BỘ THƯỜNG KỲ THÁNG 06/2026" in text
    assert "Địa điểm: Nhà văn hoá khu vực 1." in text
    assert f"Chủ trì: {world.other_a_record.full_name}." in text
    assert f"Thư ký: {world.member_a_record.full_name}." in text
    assert "phải có mặt: 2; có mặt: 1; vắng: 1 (có lý do: 1, không lý do: 0)" in text
    assert "Chi bộ thống nhất nhiệm vụ tháng 7." in text
    votes = document.tables[1]
    assert [c.text for c in votes.rows[1].cells] == [
        "Nghị quyết tháng 6\n(Nghị quyết thông thường (quá một nửa))",
        "2 (100%)",
        "0",
        "0",
        "2",
        "Thông qua",
    ]
    signatures = document.tables[-1]
    assert signatures.cell(0, 0).text == "THƯ KÝ" and signatures.cell(0, 1).text == "CHỦ TRÌ"
    assert world.other_a_record.full_name in signatures.cell(2, 1).text


def test_ics_feed_lists_the_users_meetings_and_a_wrong_token_is_404(client, world, meeting_a):
    services.meeting_schedule(
        actor=SYSTEM, organization=world.cell_b, starts_at=dt.datetime(2026, 6, 22, 8, tzinfo=TZ)
    )
    token = services.calendar_token_get(user=world.member_a)
    response = client.get(reverse("meetings:feed", args=[token.token]))
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == [f"{meeting_a.title} · {world.cell_a.name}"]
    assert events[0].decoded("dtstart") == meeting_a.starts_at
    assert client.get(reverse("meetings:feed", args=["wrong"])).status_code == 404
    old = token.token
    services.calendar_token_regenerate(user=world.member_a)
    assert client.get(reverse("meetings:feed", args=[old])).status_code == 404


def test_escalation_goes_to_the_commune_and_the_answer_to_the_secretary(world, meeting_a):
    escalation = services.escalation_raise(actor=world.secretary_a, meeting=meeting_a, text="Đường ngập")
    assert escalation.committee == world.commune
    assert Notification.objects.filter(kind="meetings.escalated", recipient=world.commune_staff).exists()
    services.escalation_answer(
        actor=world.commune_leader, escalation=escalation, answer="Đã giao UBND", expected_version=1
    )
    assert Notification.objects.filter(
        kind="meetings.escalation_answered", recipient=world.secretary_a
    ).exists()


def test_planning_the_year_makes_twelve_meetings_and_keeps_existing_months(world, meeting_a):
    created = services.meeting_plan_year(
        actor=world.secretary_a, organization=world.cell_a, year=2026, day=31, time=dt.time(19, 30)
    )
    assert len(created) == 11
    feb = next(m for m in created if m.starts_at.astimezone(TZ).month == 2)
    assert feb.starts_at.astimezone(TZ).date() == dt.date(2026, 2, 28)
    again = services.meeting_plan_year(
        actor=world.secretary_a, organization=world.cell_a, year=2026, day=15, time=dt.time(8)
    )
    assert again == []


def test_member_panel_counts_unexcused_months(client, world):
    for month in (1, 2, 3):
        meeting = services.meeting_schedule(
            actor=SYSTEM, organization=world.cell_a, starts_at=dt.datetime(2026, month, 10, 8, tzinfo=TZ)
        )
        services.meeting_mark_held(actor=SYSTEM, meeting=meeting)
        services.attendance_record(
            actor=SYSTEM, meeting=meeting, member=world.other_a_record, status="ABSENT_UNEXCUSED"
        )
    client.force_login(world.secretary_a)
    page = client.get(reverse("members:detail", args=[world.other_a_record.pk])).content.decode()
    assert 'data-testid="unexcused-months"' in page
    year = selectors.member_year(world.other_a_record, year=2026)
    assert year.unexcused_months == 3 and len(year.flags) == 2


def _many_cells(world, n):
    from coso.testing.factories import make_org

    cells = []
    for i in range(n):
        cell = make_org(name=f"Chi bộ {i}", parent=world.commune, code=f"X{i}")
        make_member(cell)
        meeting = services.meeting_schedule(
            actor=SYSTEM, organization=cell, starts_at=dt.datetime(2026, 6, 3 + i, 8, tzinfo=TZ)
        )
        services.meeting_mark_held(actor=SYSTEM, meeting=meeting)
        cells.append(cell)
    return cells


@pytest.mark.parametrize("n", [2, 6])
def test_overview_and_list_cost_fixed_queries(client, world, django_assert_max_num_queries, n):
    _many_cells(world, n)
    client.force_login(world.commune_staff)
    client.get(reverse("meetings:overview"))  # warm caches (session, grants)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("meetings:overview") + f"?org={world.commune.pk}")
    assert response.content.decode().count('data-met="1"') == n
    with django_assert_max_num_queries(14):
        assert client.get(reverse("meetings:list")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("api:meeting_list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("meetings:escalations")).status_code == 200


@pytest.mark.parametrize("n", [1, 5])
def test_home_panels_cost_fixed_queries(world, django_assert_max_num_queries, n):
    """Member: next meetings (3 with agenda and documents) + own attendance (1); secretary: cells, month's
    meetings, flagged members (2); committee: its organization, the two counts of the overview and its first
    cells not met (4; their meetings and attendance only when some have not met). Plus the grants, once."""
    from coso.meetings import panels
    from coso.meetings.tests.conftest import NOW

    _many_cells(world, n)
    for i in range(n):
        meeting = services.meeting_schedule(
            actor=SYSTEM,
            organization=world.cell_a,
            starts_at=dt.datetime(2026, 6, 20 + i, 8, tzinfo=TZ),
            agenda=["x"],
        )
        services.meeting_publish(actor=SYSTEM, meeting=meeting)
    for user, budget in ((world.member_a, 6), (world.secretary_a, 6), (world.commune_staff, 7)):
        request = type("Request", (), {"user": user})()
        with django_assert_max_num_queries(budget):
            result = panels.home_panels(request, NOW.date())
        assert result


def test_the_minutes_history_reads_the_opinions_as_text_not_as_data(world, meeting_a):
    from coso.core.history import history_entries

    services.meeting_mark_held(actor=SYSTEM, meeting=meeting_a, today=MEETING_DAY)
    minutes = services.minutes_start(actor=SYSTEM, meeting=meeting_a)
    items = [dict(item, opinions="Đồng chí Tú đề nghị làm rõ") for item in minutes.items]
    assert items, "the meeting fixture has agenda items"
    services.minutes_update(actor=SYSTEM, minutes=minutes, data={"items": items}, expected_version=None)
    change = next(c for e in history_entries(minutes) for c in e.changes if c.field == "items")
    assert "Đồng chí Tú đề nghị làm rõ" in change.new
    assert "{" not in change.new and "'opinions'" not in change.new


def test_docx_percentages_use_the_vietnamese_decimal_comma(world, meeting_a):
    from coso.meetings.exports import _percent

    assert _percent(95.8) == "95,8" and _percent(100.0) == "100"


def test_a_meeting_cannot_start_before_its_day(world, meeting_a):
    with pytest.raises(RuleViolation) as exc:
        services.meeting_mark_held(actor=world.secretary_a, meeting=meeting_a)
    assert exc.value.code == "too_early" and "20/06/2026" in str(exc.value)
    meeting_a.refresh_from_db()
    assert meeting_a.status == MeetingStatus.PLANNED
    services.meeting_mark_held(actor=world.secretary_a, meeting=meeting_a, today=MEETING_DAY)
    assert meeting_a.status == MeetingStatus.HELD
