"""The rules of the inspection services: remedy flow and overdue flags, case step order, discipline forms per
subject, time limits, and the effect of discipline on the member's status through member events."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404

from coso.accounts.permissions import SYSTEM
from coso.core.exceptions import RuleViolation
from coso.inspection import selectors, services
from coso.inspection.models import CaseStep, Discipline, RemedyStatus
from coso.members.models import EventKind, MembershipPeriod, MemberStatus
from coso.testing.factories import make_member

from .conftest import ALL_STEPS, make_case, make_remedy, make_shortcoming, pdf_file

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 7, 1)


# --- remedies ----------------------------------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_remedy_flow_owner_reports_upper_level_verifies(world):
    shortcoming = make_shortcoming(world.cell_a, member=world.member_a_record)
    remedy = services.remedy_create(
        actor=world.secretary_a, shortcoming=shortcoming, title="Dự sinh hoạt đầy đủ",
        due_date=dt.date(2026, 9, 30), responsible=world.member_a_record,
    )  # fmt: skip
    assert remedy.status == RemedyStatus.OPEN
    with pytest.raises(RuleViolation):  # no evidence yet
        services.remedy_transition(actor=world.member_a, remedy=remedy, action="report_done")
    services.remedy_update_add(
        actor=world.member_a,
        remedy=remedy,
        date=TODAY,
        text="Đã dự đủ 3 kỳ",
        progress=60,
        evidence=pdf_file(),
    )
    remedy.refresh_from_db()
    assert remedy.status == RemedyStatus.IN_PROGRESS and remedy.progress == 60
    services.remedy_transition(actor=world.member_a, remedy=remedy, action="report_done")
    from coso.notifications.models import Notification

    told = set(
        Notification.objects.filter(kind="inspection.remedy_report_done").values_list("recipient", flat=True)
    )
    assert told == {world.commune_staff.pk, world.commune_leader.pk}
    # The cell's secretary is not the upper level: she cannot verify her own cell's remedy.
    with pytest.raises(PermissionDenied):
        services.remedy_transition(actor=world.secretary_a, remedy=remedy, action="verify")
    with pytest.raises(RuleViolation):
        services.remedy_transition(actor=world.commune_leader, remedy=remedy, action="return", reason=" ")
    services.remedy_transition(
        actor=world.commune_leader, remedy=remedy, action="return", reason="Thiếu biên bản"
    )
    remedy.refresh_from_db()
    assert remedy.status == RemedyStatus.RETURNED
    services.remedy_transition(actor=world.member_a, remedy=remedy, action="report_done")
    remedy = services.remedy_transition(
        actor=world.commune_staff, remedy=remedy, action="verify", reason="Đạt"
    )
    assert remedy.status == RemedyStatus.VERIFIED and remedy.verified_by == world.commune_staff
    told = set(
        Notification.objects.filter(kind="inspection.remedy_verify").values_list("recipient", flat=True)
    )
    assert told == {world.member_a.pk, world.secretary_a.pk}


def test_remedy_owner_must_belong_to_the_organization(world):
    shortcoming = make_shortcoming(world.cell_a)
    with pytest.raises(RuleViolation) as exc:
        services.remedy_create(
            actor=world.secretary_a, shortcoming=shortcoming, title="X", due_date=dt.date(2026, 9, 30),
            responsible=world.member_b_record,
        )  # fmt: skip
    assert "responsible" in exc.value.fields


def test_a_member_sees_only_own_remedies(world):
    own = make_remedy(world.cell_a, responsible=world.member_a_record)
    other = make_remedy(world.cell_a, responsible=world.other_a_record)
    assert selectors.access_remedy(world.member_a, own.pk) == own
    with pytest.raises(Http404):
        selectors.access_remedy(world.member_a, other.pk)
    with pytest.raises(Http404):
        selectors.access_remedy(world.secretary_b, own.pk)
    assert list(selectors.remedy_list(actor=world.member_a, filters=selectors.RemedyFilters(box="all"))) == [
        own
    ]


def test_overdue_flags_follow_the_clock(world):
    remedy = make_remedy(world.cell_a, responsible=world.member_a_record, due_date=dt.date(2026, 5, 31))
    done = make_remedy(
        world.cell_a,
        responsible=world.member_a_record,
        due_date=dt.date(2026, 5, 31),
        status=RemedyStatus.VERIFIED,
    )
    with time_machine.travel(dt.date(2026, 5, 31), tick=False):
        assert not remedy.is_overdue(dt.date.today())
        assert list(selectors.overdue_remedies(world.member_a_record, 2026)) == []
    with time_machine.travel(dt.date(2026, 6, 1), tick=False):
        assert remedy.is_overdue(dt.date.today()) and remedy.days_overdue(dt.date.today()) == 1
        assert list(selectors.overdue_remedies(world.member_a_record, 2026)) == [remedy]
        assert list(selectors.overdue_remedies(world.commune, 2026)) == [remedy]
        assert list(selectors.overdue_remedies(world.cell_b, 2026)) == []
        assert list(selectors.overdue_remedies(world.member_a_record, 2025)) == []
        assert done not in selectors.overdue_remedies(world.commune, 2026)


# --- cases -------------------------------------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_case_steps_go_in_order(world, inspector):
    case = services.case_create(
        actor=inspector, organization=world.cell_a, kind="REGULAR", title="Giám sát thường xuyên", year=2026
    )
    with pytest.raises(RuleViolation) as exc:
        services.case_record_step(actor=inspector, case=case, step=CaseStep.NOTICE, date=TODAY)
    assert "step" in exc.value.fields
    for step in ALL_STEPS[:-1]:
        services.case_record_step(actor=inspector, case=case, step=step, date=TODAY)
    with pytest.raises(RuleViolation):  # the conclusion needs its text
        services.case_record_step(actor=inspector, case=case, step=CaseStep.CONCLUSION, date=TODAY)
    services.case_record_step(
        actor=inspector, case=case, step=CaseStep.CONCLUSION, date=TODAY, note="Có hạn chế"
    )
    case.refresh_from_db()
    assert case.step == CaseStep.CONCLUSION and case.concluded_on == TODAY and case.next_step is None
    assert [s.step for s in selectors.case_steps(case)] == list(ALL_STEPS)
    remedy = services.case_add_finding(
        actor=inspector, case=case, text="Sinh hoạt chưa đều", remedy_title="Sinh hoạt đúng kỳ",
        due_date=dt.date(2026, 10, 1), responsible=world.other_a_record,
    )  # fmt: skip
    assert remedy.shortcoming.case == case and remedy.shortcoming.source == "INSPECTION"


def test_findings_only_after_the_conclusion(world, inspector):
    case = make_case(world.cell_a, steps=ALL_STEPS[:3])
    with pytest.raises(RuleViolation):
        services.case_add_finding(
            actor=inspector, case=case, text="X", remedy_title="Y", due_date=dt.date(2026, 10, 1),
            responsible=world.other_a_record,
        )  # fmt: skip


def test_cases_are_hidden_from_everyone_but_inspection_and_leaders(world, inspector):
    case = make_case(world.cell_a)
    for actor in (world.secretary_a, world.member_a, world.commune_staff, world.secretary_b):
        with pytest.raises(Http404):
            selectors.access_case(actor, case.pk)
        assert list(selectors.case_list(actor=actor)) == []
    for actor in (inspector, world.commune_leader, world.province_admin):
        assert selectors.access_case(actor, case.pk) == case
    with pytest.raises(PermissionDenied):  # the leader reads, the inspection committee runs the case
        selectors.access_case(world.commune_leader, case.pk, perm="inspection.manage")


# --- discipline --------------------------------------------------------------------------------------------------


def test_allowed_forms_per_subject(world):
    probationary = make_member(world.cell_a, admitted_on=dt.date(2026, 1, 10), full_member_on=None)
    assert probationary.status == MemberStatus.PROBATIONARY
    assert services.allowed_forms(member=probationary) == (Discipline.REPRIMAND, Discipline.WARNING)
    assert Discipline.EXPULSION in services.allowed_forms(member=world.member_a_record)
    assert Discipline.DISSOLUTION not in services.allowed_forms(member=world.member_a_record)
    assert services.allowed_forms() == (Discipline.REPRIMAND, Discipline.WARNING, Discipline.DISSOLUTION)
    with pytest.raises(RuleViolation) as exc:
        services.discipline_record(
            actor=SYSTEM, member=probationary, form=Discipline.DISMISSAL, decision_number="01-QĐ/UBKT",
            decided_on=dt.date(2026, 3, 1), reason="Vi phạm",
        )  # fmt: skip
    assert "form" in exc.value.fields
    with pytest.raises(RuleViolation):
        services.discipline_record(
            actor=SYSTEM, organization=world.cell_a, form=Discipline.EXPULSION, decision_number="02",
            decided_on=dt.date(2026, 3, 1), reason="Vi phạm",
        )  # fmt: skip


@pytest.mark.parametrize(
    ("form", "ends"),
    [
        (Discipline.REPRIMAND, dt.date(2029, 2, 28)),  # 5 years; a 29 February decision ends on the 28th
        (Discipline.WARNING, dt.date(2034, 2, 28)),  # 10 years
        (Discipline.DISMISSAL, dt.date(2034, 2, 28)),
        (Discipline.EXPULSION, None),
        (Discipline.DISSOLUTION, None),
    ],
)
def test_time_limit_end_dates(form, ends):
    assert services.time_limit_end(form, dt.date(2024, 2, 29)) == ends


def test_member_discipline_records_a_member_event(world, inspector):
    record = services.discipline_record(
        actor=inspector, member=world.member_a_record, form=Discipline.WARNING, decision_number="05-QĐ/UBKT",
        decided_on=dt.date(2026, 3, 2), reason="Vi phạm quy định về những điều đảng viên không được làm",
    )  # fmt: skip
    assert record.time_limit_ends_on == dt.date(2036, 3, 2)
    event = record.member_event
    assert event.kind == EventKind.DISCIPLINE and event.discipline_form == "WARNING"
    world.member_a_record.refresh_from_db()
    assert world.member_a_record.status == MemberStatus.FULL


def test_expulsion_ends_membership_through_an_event(world, inspector):
    member = world.other_a_record
    record = services.discipline_record(
        actor=inspector, member=member, form=Discipline.EXPULSION, decision_number="07-QĐ/UBKT",
        decided_on=dt.date(2026, 3, 2), reason="Vi phạm nghiêm trọng",
    )  # fmt: skip
    member.refresh_from_db()
    assert member.status == MemberStatus.EXPELLED
    assert record.member_event.kind == EventKind.EXPELLED and record.time_limit_ends_on is None
    assert not MembershipPeriod.objects.filter(member=member, ends_on__isnull=True).exists()
    assert type(member).objects.filter(pk=member.pk).exists()  # never deleted


def test_only_inspection_records_discipline(world):
    for actor in (world.secretary_a, world.commune_staff):
        with pytest.raises(Http404):
            services.discipline_record(
                actor=actor, member=world.member_a_record, form=Discipline.REPRIMAND, decision_number="1",
                decided_on=dt.date(2026, 3, 2), reason="Vi phạm",
            )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.discipline_record(
            actor=world.commune_leader, member=world.member_a_record, form=Discipline.REPRIMAND,
            decision_number="1", decided_on=dt.date(2026, 3, 2), reason="Vi phạm",
        )  # fmt: skip


def test_a_meeting_shortcoming_with_its_remedy(world):
    remedy = services.shortcoming_with_remedy_create(
        actor=world.secretary_a, organization=world.cell_a, text="Sinh hoạt chưa đều", source="MEETING",
        year=2026, remedy_title="Sinh hoạt đúng kỳ", due_date=dt.date(2026, 9, 30),
        responsible=world.other_a_record, manifestations=["A4"],
    )  # fmt: skip
    assert remedy.shortcoming.source == "MEETING" and remedy.shortcoming.manifestations == ["A4"]
    with pytest.raises(RuleViolation):  # an inspection's shortcomings come from its conclusion
        services.shortcoming_with_remedy_create(
            actor=world.secretary_a, organization=world.cell_a, text="X", source="INSPECTION", year=2026,
            remedy_title="Y", due_date=dt.date(2026, 9, 30), responsible=world.other_a_record,
        )  # fmt: skip
    with pytest.raises(RuleViolation):
        services.shortcoming_create(
            actor=world.secretary_a, organization=world.cell_a, text="X", source="MEETING", year=2026,
            manifestations=["Z9"],
        )  # fmt: skip
