"""`coso generate`: reproducible benchmark data with correct derived columns, periods and statuses."""

from __future__ import annotations

import datetime as dt
import io
import re
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from coso.citizens.models import (
    Category,
    Dialogue,
    Feedback,
    FeedbackKind,
    FeedbackStatus,
    FeedbackUpdate,
    ReceptionDay,
)
from coso.commitments.models import HardTask, HardTaskStatus
from coso.core.text import fold
from coso.core.tracking import Node, rollup
from coso.demo.activity import citizens as activity_citizens
from coso.demo.activity import study as activity_study
from coso.demo.generate import generate, generate_activity_only
from coso.meetings import rules
from coso.meetings.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MinutesStatus,
    Resolution,
)
from coso.meetings.services import minutes_missing
from coso.members.models import (
    CURRENT_STATUSES,
    EventKind,
    Member,
    MemberEvent,
    MembershipPeriod,
    MemberStatus,
)
from coso.members.rules import check_member
from coso.members.services import EDITABLE_FIELDS, derive_status
from coso.orgs.models import Organization, OrgKind
from coso.study.models import Grade, LearningReport, ReportStatus

AS_OF = dt.date(2026, 1, 1)


class _Rollback(Exception):
    pass


def snapshot() -> dict:
    """Everything generated, without database ids, in a stable order."""
    members = list(
        Member.objects.order_by("national_id").values_list(
            "full_name",
            "name_folded",
            "name_sort",
            "gender",
            "date_of_birth",
            "national_id",
            "card_number",
            "admitted_on",
            "full_member_on",
            "status",
            "organization__code",
            "current_address",
            "theory_level",
        )
    )
    periods = list(
        MembershipPeriod.objects.order_by(
            "member__national_id", "starts_on", "organization__code"
        ).values_list("member__national_id", "organization__code", "starts_on", "ends_on")
    )
    events = list(
        MemberEvent.objects.order_by("member__national_id", "occurred_on", "kind").values_list(
            "member__national_id", "kind", "occurred_on", "external_party"
        )
    )
    orgs = list(Organization.objects.order_by("code").values_list("code", "name", "kind", "path"))
    return {"members": members, "periods": periods, "events": events, "orgs": orgs}


def generated(seed: int, members: int = 400) -> dict:
    """Generate inside a transaction that is rolled back, so the next call starts from the same database."""
    try:
        with transaction.atomic():
            generate(members=members, seed=seed, communes=4, as_of=AS_OF)
            data = snapshot()
            raise _Rollback
    except _Rollback:
        return data


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data_and_another_seed_different_data():
    first = generated(7)
    again = generated(7)
    other = generated(8)
    assert len(first["members"]) == 400
    assert first == again
    assert [m[0] for m in first["members"]] != [m[0] for m in other["members"]]
    assert first["members"] != other["members"]


@pytest.mark.django_db
def test_a_generated_province_has_communes_with_cells_of_about_25():
    result = generate(members=1000, seed=3, communes=4, as_of=AS_OF)
    assert result.members == Member.objects.count() == 1000
    root = Organization.objects.get(code="GEN-3", kind=OrgKind.PROVINCIAL)
    communes = Organization.objects.filter(parent=root)
    assert communes.count() == 4
    assert set(communes.values_list("kind", flat=True)) == {OrgKind.GRASSROOTS_COMMITTEE}
    cells = Organization.objects.filter(parent__in=communes)
    assert cells.count() == 40
    for cell in cells:
        assert cell.path.startswith(cell.parent.path + ".")
        assert cell.depth == 2
        assert 20 <= Member.objects.filter(periods__organization=cell).distinct().count() <= 40


@pytest.mark.django_db
def test_generated_rows_have_the_columns_services_and_save_compute():
    generate(members=300, seed=5, communes=3, as_of=AS_OF)
    members = Member.objects.prefetch_related("events", "periods")
    for member in members:
        assert member.status == derive_status(list(member.events.all()))
        periods = sorted(member.periods.all(), key=lambda p: p.starts_on)
        assert periods[-1].organization_id == member.organization_id
        verdict = check_member({name: getattr(member, name) for name in EDITABLE_FIELDS}, today=AS_OF)
        assert verdict.ok, verdict.errors
    statuses = set(Member.objects.values_list("status", flat=True))
    assert {"FULL", "PROBATIONARY"} <= statuses
    for member in Member.objects.order_by("pk")[:20]:
        stored = (member.name_folded, member.name_sort)
        member.save()
        member.refresh_from_db()
        assert (member.name_folded, member.name_sort) == stored
    cell = Organization.objects.filter(kind=OrgKind.CELL).first()
    stored = (cell.name_folded, cell.name_sort)
    cell.save()
    cell.refresh_from_db()
    assert (cell.name_folded, cell.name_sort) == stored


@pytest.mark.django_db
def test_the_command_refuses_a_seed_that_is_already_there():
    out = io.StringIO()
    call_command("coso_generate", "--members", "120", "--seed", "11", "--communes", "2", stdout=out)
    assert "120 members" in out.getvalue()
    with pytest.raises(CommandError, match="already exists"):
        call_command("coso_generate", "--members", "120", "--seed", "11", stdout=io.StringIO())
    assert Member.objects.count() == 120


# --- the activity of the generated province ---------------------------------------------------------------


def activity_snapshot() -> dict:
    """The generated activity without database ids or creation times, in a stable order."""
    meetings = list(
        Meeting.objects.order_by("organization__code", "starts_at", "kind").values_list(
            "organization__code",
            "kind",
            "starts_at",
            "status",
            "chair__national_id",
            "minute_taker__national_id",
        )
    )
    attendance = list(
        Attendance.objects.order_by(
            "meeting__organization__code", "meeting__starts_at", "member__national_id"
        ).values_list("meeting__starts_at", "member__national_id", "status", "reason", "counted", "exempted")
    )
    minutes = list(
        Resolution.objects.order_by(
            "minutes__meeting__organization__code", "minutes__meeting__starts_at"
        ).values_list("minutes__opening", "minutes__status", "base", "votes_for", "votes_against", "passed")
    )
    reports = list(
        LearningReport.objects.order_by("campaign__title", "member__national_id").values_list(
            "campaign__title", "member__national_id", "status", "submitted_at", "late", "grade", "reviewed_at"
        )
    )
    feedback = list(
        Feedback.objects.order_by("code").values_list(
            "code", "public_id", "status", "area__code", "organization__code", "received_at", "deadline_at",
            "answered_at", "closed_at", "rating", "escalated_to__code",
        )
    )  # fmt: skip
    updates = list(FeedbackUpdate.objects.order_by("feedback__code", "at", "kind").values_list("at", "kind"))
    tasks = list(
        HardTask.objects.order_by("organization__code", "title").values_list(
            "organization__code", "title", "status", "own_progress", "progress", "responsible__national_id"
        )
    )
    days = list(
        ReceptionDay.objects.order_by("organization__code", "date").values_list("date", "citizens_count")
    )
    return {
        "meetings": meetings,
        "attendance": attendance,
        "minutes": minutes,
        "reports": reports,
        "feedback": feedback,
        "updates": updates,
        "tasks": tasks,
        "days": days,
    }


def generated_activity(seed: int, *, in_two_steps: bool = False) -> dict:
    try:
        with transaction.atomic():
            if in_two_steps:
                generate(members=300, seed=seed, communes=3, as_of=AS_OF, activity=False)
                assert not Meeting.objects.exists()
                generate_activity_only(seed=seed, as_of=AS_OF)
            else:
                generate(members=300, seed=seed, communes=3, as_of=AS_OF)
            data = activity_snapshot()
            raise _Rollback
    except _Rollback:
        return data


@pytest.mark.django_db
def test_the_activity_is_the_same_for_a_seed_in_one_run_or_added_later():
    first = generated_activity(4)
    assert first == generated_activity(4)
    assert first == generated_activity(4, in_two_steps=True)
    other = generated_activity(9)
    assert other["attendance"] != first["attendance"]
    assert other["feedback"] != first["feedback"]


def _status_on(events: list[tuple[str, dt.date]], day: dt.date) -> str | None:
    before = [e for e in events if e[1] <= day]
    return derive_status(before) if any(kind == EventKind.ADMISSION for kind, _d in before) else None


@pytest.mark.django_db
def test_each_meeting_lists_the_cell_members_of_that_day_and_its_minutes_add_up():
    generate(members=300, seed=5, communes=3, as_of=AS_OF)
    events: dict[int, list] = {}
    for member_id, kind, day in MemberEvent.objects.values_list("member_id", "kind", "occurred_on"):
        events.setdefault(member_id, []).append((kind, day))
    periods = list(
        MembershipPeriod.objects.values_list("member_id", "organization_id", "starts_on", "ends_on")
    )
    meetings = Meeting.objects.prefetch_related("attendances", "minutes_versions__resolutions")
    cells = Organization.objects.filter(kind=OrgKind.CELL).count()
    assert meetings.count() >= cells * 12
    assert set(meetings.values_list("kind", flat=True)) == {MeetingKind.REGULAR, MeetingKind.THEMATIC}
    statuses = set()
    for meeting in meetings:
        day = timezone.localtime(meeting.starts_at).date()
        assert AS_OF - dt.timedelta(days=366) <= day < AS_OF
        expected = {}
        for member_id, org_id, starts_on, ends_on in periods:
            if org_id == meeting.organization_id and starts_on <= day and (ends_on is None or day < ends_on):
                status = _status_on(events[member_id], day)
                if status in CURRENT_STATUSES:
                    expected[member_id] = status
        rows = list(meeting.attendances.all())
        assert {row.member_id: row.meeting_date for row in rows} == {pk: day for pk in expected}
        figure_rows = []
        for row in rows:
            status = expected[row.member_id]
            assert row.exempted == (status == MemberStatus.EXEMPT)
            assert row.counted == rules.counts_in_rate(status=status, exempted=False, on=day)
            assert row.status in AttendanceStatus.values and not row.is_guest
            statuses.add(row.status)
            figure_rows.append(
                SimpleNamespace(
                    status=row.status,
                    counted=row.counted,
                    exempted=row.exempted,
                    is_guest=row.is_guest,
                    member_status=status,
                    attended=row.attended,
                )
            )
        figures = rules.attendance_figures(figure_rows, on=day)
        (minutes,) = meeting.minutes_versions.all()
        numbers = [int(n) for n in re.findall(r": (\d+)", minutes.opening)]
        assert numbers == [
            figures.total, figures.must_attend, figures.attended, figures.late, figures.left_early,
            figures.absent, figures.excused, figures.unexcused, figures.exempted,
        ]  # fmt: skip
        assert figures.total == len(rows)
        (resolution,) = minutes.resolutions.all()
        voters = sum(
            1 for r in figure_rows if r.member_status == MemberStatus.FULL and r.counted and r.attended
        )
        assert resolution.base == figures.vote_base
        assert resolution.votes_for + resolution.votes_against + resolution.votes_abstain == voters
        assert resolution.passed == (resolution.votes_for > resolution.base / 2)
        present = {r.member_id for r in rows if r.status == AttendanceStatus.PRESENT}
        assert {meeting.chair_id, meeting.minute_taker_id} <= present
        if meeting.status == MeetingStatus.MINUTES_APPROVED:
            assert minutes.status == MinutesStatus.APPROVED and minutes.approved_at > meeting.starts_at
            assert minutes_missing(meeting=meeting, minutes=minutes) == {}
        else:
            assert meeting.status == MeetingStatus.HELD and minutes.status == MinutesStatus.DRAFT
    assert statuses == set(AttendanceStatus.values)


@pytest.mark.django_db
def test_reports_feedback_and_commitments_have_what_their_state_requires(monkeypatch):
    # More cells write their reports in the app and more feedback per member, so a small set shows every state.
    monkeypatch.setattr(activity_study, "ADOPTION", 0.5)
    monkeypatch.setattr(activity_citizens, "FEEDBACK_PER_MEMBER", 0.8)
    generate(members=300, seed=6, communes=3, as_of=AS_OF)
    end = timezone.make_aware(dt.datetime.combine(AS_OF, dt.time()))

    reports = list(LearningReport.objects.select_related("campaign__organization", "member"))
    assert {r.status for r in reports} == set(ReportStatus.values)
    assert any(r.late for r in reports) and any(not r.late and r.submitted_at for r in reports)
    for report in reports:
        assert report.due_on == report.campaign.report_due_on
        assert report.campaign.organization.contains(report.reviewer_organization)
        if report.status == ReportStatus.DRAFT:
            assert report.submitted_at is None and report.grade == "" and report.reviewed_at is None
            continue
        assert report.submitted_at < end
        assert report.late == (timezone.localtime(report.submitted_at).date() > report.due_on)
        if report.status == ReportStatus.SUBMITTED:
            assert report.grade == "" and report.reviewed_at is None
        else:
            assert report.submitted_at <= report.reviewed_at < end and report.comment
            assert report.grade == (Grade.REDO if report.status == ReportStatus.RETURNED else report.grade)
            assert report.status == ReportStatus.RETURNED or report.grade in (Grade.GOOD, Grade.PASS)

    items = list(Feedback.objects.select_related("receiving_org", "area", "category"))
    assert {f.status for f in items} == set(FeedbackStatus.values)
    for item in items:
        assert item.area.parent_id == item.receiving_org.pk
        assert item.received_at < end and item.deadline_at > item.received_at
        assigned = item.status not in (FeedbackStatus.RECEIVED, FeedbackStatus.REJECTED)
        assert (item.organization_id is not None) == assigned == (item.assigned_at is not None)
        finished = item.status in (FeedbackStatus.CLOSED, FeedbackStatus.TRANSFERRED, FeedbackStatus.REJECTED)
        assert (item.closed_at is not None) == finished
        answered = item.status in (FeedbackStatus.ANSWERED, FeedbackStatus.REOPENED) or (
            item.status == FeedbackStatus.CLOSED
        )
        assert bool(item.answer) == answered == (item.answered_at is not None)
        if item.rating is not None:
            assert 1 <= item.rating <= 5 and item.rated_at is not None
            assert item.status in (FeedbackStatus.CLOSED, FeedbackStatus.REOPENED)
        if item.status == FeedbackStatus.REOPENED:
            assert item.reopen_count == 1 and item.rating is not None
        if item.escalated_at is not None:
            assert item.is_open and item.deadline_at < item.escalated_at < end
        steps = list(item.updates.order_by("at", "id"))
        assert steps[0].kind == "RECEIVED" and all(s.at < end for s in steps)
        assert [s.to_status for s in steps if s.kind != "ESCALATED"][-1] == item.status
    assert ReceptionDay.objects.filter(status="HELD").count() >= 3 * 12
    assert Dialogue.objects.exists()

    tasks = list(HardTask.objects.select_related("organization", "responsible__organization", "parent"))
    assert {t.status for t in tasks} >= {HardTaskStatus.IN_PROGRESS, HardTaskStatus.VERIFIED}
    for task in tasks:
        assert task.responsible is None or task.organization.contains(task.responsible.organization)
        assert task.title_folded == fold(task.title)
        assert (task.submitted_at is None) == (task.status == HardTaskStatus.DRAFT)
        if task.status in (HardTaskStatus.REPORTED_DONE, HardTaskStatus.VERIFIED):
            assert task.own_progress == 100 and task.reported_done_at is not None
            assert task.updates.exclude(evidence="").exists()
        if task.status == HardTaskStatus.VERIFIED:
            assert task.verified_at is not None and task.verification_note
        if task.status == HardTaskStatus.RETURNED:
            assert task.returned_reason and task.reported_done_at is None
        if task.parent is not None:
            assert task.root_id == task.parent.pk and task.due_date <= task.parent.due_date
    stored = {t.pk: t.progress for t in tasks}
    expected = rollup([Node(t.pk, t.parent_id, t.own_progress, t.weight) for t in tasks])
    assert stored == expected


@pytest.mark.django_db
def test_members_only_makes_no_activity_and_activity_only_adds_it_once():
    call_command(
        "coso_generate", "--members", "120", "--seed", "12", "--communes", "2", "--members-only",
        stdout=io.StringIO(),
    )  # fmt: skip
    assert Member.objects.count() == 120 and not Meeting.objects.exists()
    out = io.StringIO()
    call_command("coso_generate", "--seed", "12", "--activity-only", stdout=out)
    assert Meeting.objects.exists() and Attendance.objects.exists() and Feedback.objects.exists()
    assert f"{Meeting.objects.count()} meetings" in out.getvalue()
    with pytest.raises(CommandError, match="already has meetings"):
        call_command("coso_generate", "--seed", "12", "--activity-only", stdout=io.StringIO())
    with pytest.raises(CommandError, match="no data set"):
        call_command("coso_generate", "--seed", "13", "--activity-only", stdout=io.StringIO())


@pytest.mark.django_db
def test_items_whose_deadline_passes_before_the_work_starts_are_answered_late():
    # Deadlines of one working hour: most items are overdue before they are even started.
    for order, (code, name, kind, _days) in enumerate(activity_citizens.CATEGORIES):
        Category.objects.create(
            code=code, name=name, default_kind=kind, deadline_working_hours=1, order=order
        )
    generate(members=200, seed=14, communes=2, as_of=AS_OF)
    answered = Feedback.objects.filter(kind=FeedbackKind.REPORT, answered_at__isnull=False)
    assert answered.filter(answered_at__gt=F("deadline_at")).count() > answered.count() / 2


@pytest.mark.django_db
def test_last_years_review_is_finished_within_the_rules():
    from coso.reviews.grading import Facts, excellent_quota
    from coso.reviews.grading import grade as allowed_grade
    from coso.reviews.models import (
        AnnualReview,
        CycleStatus,
        RatingLevel,
        RatingStep,
        ReviewCycle,
        ReviewStatus,
    )

    generate(members=300, seed=6, communes=3, as_of=AS_OF)
    cycle = ReviewCycle.objects.get()
    assert (cycle.year, cycle.status) == (AS_OF.year - 1, CycleStatus.CLOSED)
    reviews = list(AnnualReview.objects.filter(cycle=cycle).select_related("member"))
    assert reviews and all(review.status == ReviewStatus.DECIDED for review in reviews)
    assert len({review.member_id for review in reviews}) == len(reviews)
    for review in reviews:
        # In the band of its score, and the member could be rated on the review date.
        assert allowed_grade(Facts(score=review.score), on=cycle.review_date).grade == review.grade
        assert review.organization.is_cell
    rated = {review.member_id for review in reviews}
    for member in Member.objects.filter(pk__in=rated):
        assert member.admitted_on <= cycle.review_date
    assert excellent_quota([review.grade for review in reviews], on=cycle.review_date).over == 0
    steps = RatingStep.objects.filter(review__cycle=cycle)
    assert steps.count() == 4 * len(reviews)
    assert steps.filter(level=RatingLevel.CELL, votes_for__isnull=True).count() == 0
