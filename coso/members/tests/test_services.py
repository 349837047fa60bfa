"""Services: create, update with optimistic locking, events and transfers, and the history they keep."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from coso.accounts.permissions import SYSTEM
from coso.core.exceptions import ConflictError, RuleViolation
from coso.core.history import history_entries
from coso.members import services
from coso.members.models import EventKind, Member, MembershipPeriod, MemberStatus, PeriodKind
from coso.testing.factories import make_member, make_org, member_data

pytestmark = pytest.mark.django_db

BORN = dt.date(1980, 1, 1)


@pytest.fixture
def member(world):
    """A full member of cell A with fixed dates (admitted 2010, full 2011), so event dates are predictable."""
    return make_member(
        world.cell_a, date_of_birth=BORN, admitted_on=dt.date(2010, 3, 1), full_member_on=dt.date(2011, 3, 1)
    )


def test_create_makes_the_first_period_and_the_admission_events(world):
    data = member_data(
        date_of_birth=BORN, admitted_on=dt.date(2015, 3, 1), full_member_on=dt.date(2016, 3, 1)
    )
    member = services.member_create(actor=world.commune_staff, organization=world.cell_a, data=data)
    period = member.periods.get()
    assert (period.organization, period.starts_on, period.ends_on, period.kind) == (
        world.cell_a,
        dt.date(2015, 3, 1),
        None,
        PeriodKind.PERMANENT,
    )
    kinds = list(member.events.order_by("occurred_on").values_list("kind", flat=True))
    assert kinds == [EventKind.ADMISSION, EventKind.RECOGNITION]
    assert member.status == MemberStatus.FULL
    assert member.history.first().history_user == world.commune_staff


def test_create_without_full_membership_is_probationary(world):
    member = services.member_create(
        actor=world.commune_staff, organization=world.cell_a, data=member_data(full_member_on=None)
    )
    assert member.status == MemberStatus.PROBATIONARY
    assert member.events.count() == 1


def test_create_refuses_an_organization_that_is_not_a_cell(world):
    with pytest.raises(RuleViolation) as caught:
        services.member_create(actor=SYSTEM, organization=world.commune, data=member_data())
    assert "organization" in caught.value.fields


def test_create_reports_rule_errors_by_field(world):
    data = member_data(date_of_birth=dt.date(2000, 5, 15), admitted_on=dt.date(2018, 5, 1))
    with pytest.raises(RuleViolation) as caught:
        services.member_create(actor=SYSTEM, organization=world.cell_a, data=data)
    assert "admitted_on" in caught.value.fields
    assert not Member.objects.filter(full_name=data["full_name"], admitted_on=dt.date(2018, 5, 1)).exists()


def test_create_checks_the_role(world):
    with pytest.raises(PermissionDenied):
        services.member_create(actor=world.secretary_a, organization=world.cell_a, data=member_data())
    with pytest.raises(Http404):
        services.member_create(actor=world.secretary_b, organization=world.cell_a, data=member_data())


def test_update_bumps_the_version_and_names_the_author(world, member):
    services.member_update(
        actor=world.commune_staff, member=member, data={"occupation": "Nông dân"}, expected_version=1
    )
    member.refresh_from_db()
    assert member.version == 2 and member.occupation == "Nông dân"
    assert history_entries(member)[0].user == world.commune_staff


def test_a_stale_update_is_a_conflict_and_changes_nothing(world, member):
    first = Member.objects.get(pk=member.pk)
    second = Member.objects.get(pk=member.pk)
    services.member_update(actor=SYSTEM, member=first, data={"occupation": "A"}, expected_version=1)
    with pytest.raises(ConflictError):
        services.member_update(actor=SYSTEM, member=second, data={"occupation": "B"}, expected_version=1)
    member.refresh_from_db()
    assert member.occupation == "A" and member.version == 2


def test_setting_the_full_membership_date_recognizes_the_member(world):
    member = services.member_create(
        actor=SYSTEM, organization=world.cell_a, data=member_data(full_member_on=None)
    )
    services.member_update(
        actor=SYSTEM,
        member=member,
        data={"full_member_on": dt.date(member.admitted_on.year + 1, 3, 1)},
        expected_version=member.version,
    )
    assert member.status == MemberStatus.FULL
    assert member.events.filter(kind=EventKind.RECOGNITION).count() == 1


def test_transfer_closes_the_period_opens_the_next_and_keeps_the_history(world, member):
    on = dt.date(2024, 7, 1)
    event = services.member_transfer(
        actor=world.commune_staff,
        member=member,
        occurred_on=on,
        to_organization=world.cell_b,
        decision_number="12-QĐ",
    )
    member.refresh_from_db()
    periods = list(member.periods.order_by("starts_on"))
    assert [(p.organization, p.ends_on) for p in periods] == [(world.cell_a, on), (world.cell_b, None)]
    assert periods[1].starts_on == on
    assert member.organization == world.cell_b and member.status == MemberStatus.FULL
    assert (event.kind, event.from_organization, event.to_organization) == (
        EventKind.TRANSFER,
        world.cell_a,
        world.cell_b,
    )
    assert event.recorded_by == world.commune_staff
    assert any(c.field == "organization" for e in history_entries(member) for c in e.changes)


def test_temporary_transfer_opens_a_temporary_period(world, member):
    services.member_transfer(
        actor=SYSTEM,
        member=member,
        occurred_on=dt.date(2024, 7, 1),
        to_organization=world.cell_d,
        kind="TEMPORARY",
    )
    assert member.periods.get(ends_on__isnull=True).kind == PeriodKind.TEMPORARY


def test_transfer_out_of_coso_and_back_in(world, member):
    services.member_transfer(
        actor=SYSTEM, member=member, occurred_on=dt.date(2024, 1, 10), external_party="Đảng bộ tỉnh Sóc Trăng"
    )
    member.refresh_from_db()
    assert member.status == MemberStatus.TRANSFERRED_OUT
    assert not member.periods.filter(ends_on__isnull=True).exists()
    services.member_transfer_in(
        actor=SYSTEM, member=member, organization=world.cell_d, occurred_on=dt.date(2024, 6, 1)
    )
    member.refresh_from_db()
    assert member.status == MemberStatus.FULL and member.organization == world.cell_d
    assert member.periods.count() == 2


def test_transfer_refuses_bad_targets(world, member):
    cases = [
        ({"to_organization": None, "external_party": ""}, "to_organization"),
        ({"to_organization": world.cell_a}, "to_organization"),  # already there
        ({"to_organization": world.commune}, "to_organization"),  # not a cell
        ({"to_organization": world.cell_b, "kind": "FOREVER"}, "kind"),
        ({"to_organization": world.cell_b, "occurred_on": dt.date(1990, 1, 1)}, "occurred_on"),
    ]
    for kwargs, field in cases:
        kwargs.setdefault("occurred_on", dt.date(2024, 7, 1))
        with pytest.raises(RuleViolation) as caught:
            services.member_transfer(actor=SYSTEM, member=member, **kwargs)
        assert field in caught.value.fields, (kwargs, caught.value.fields)


def test_transfer_target_must_be_in_the_actors_scope(world, member):
    with pytest.raises(RuleViolation) as caught:
        services.member_transfer(
            actor=world.commune_staff,
            member=member,
            occurred_on=dt.date(2024, 7, 1),
            to_organization=world.cell_d,
        )
    assert "to_organization" in caught.value.fields


def test_transfer_in_needs_a_member_who_left(world, member):
    with pytest.raises(RuleViolation) as caught:
        services.member_transfer_in(
            actor=SYSTEM,
            member=member,
            organization=world.cell_b,
            occurred_on=dt.date(2024, 1, 1),
        )
    assert "member" in caught.value.fields


def test_exemption_and_its_end(world, member):
    services.member_record_event(
        actor=SYSTEM, member=member, kind=EventKind.EXEMPTION, occurred_on=dt.date(2024, 1, 1)
    )
    assert member.status == MemberStatus.EXEMPT
    services.member_record_event(
        actor=SYSTEM, member=member, kind=EventKind.EXEMPTION_END, occurred_on=dt.date(2024, 6, 1)
    )
    member.refresh_from_db()
    assert member.status == MemberStatus.FULL


def test_death_closes_the_membership_period(world, member):
    services.member_record_event(
        actor=SYSTEM, member=member, kind=EventKind.DEATH, occurred_on=dt.date(2024, 3, 3)
    )
    member.refresh_from_db()
    assert member.status == MemberStatus.DECEASED
    assert member.periods.get().ends_on == dt.date(2024, 3, 3)


def test_recognition_sets_the_full_membership_date(world):
    member = services.member_create(
        actor=SYSTEM,
        organization=world.cell_a,
        data=member_data(
            admitted_on=dt.date(2020, 2, 1), full_member_on=None, date_of_birth=dt.date(1990, 1, 1)
        ),
    )
    services.member_record_event(
        actor=SYSTEM,
        member=member,
        kind=EventKind.RECOGNITION,
        occurred_on=dt.date(2021, 2, 1),
        decision_number="5",
    )
    member.refresh_from_db()
    assert member.full_member_on == dt.date(2021, 2, 1) and member.status == MemberStatus.FULL
    assert member.version == 2


@pytest.mark.parametrize(
    ("setup", "kind", "field"),
    [
        ((), EventKind.EXEMPTION_END, "kind"),  # not exempted
        ((), EventKind.RECOGNITION, "kind"),  # already full
        ((EventKind.DEATH,), EventKind.DISCIPLINE, "kind"),
        ((EventKind.EXPELLED,), EventKind.EXEMPTION, "kind"),
        ((EventKind.STRUCK_OFF,), EventKind.DEATH, "kind"),
        ((), EventKind.DISCIPLINE, "discipline_form"),  # form missing
        ((), EventKind.TRANSFER_OUT, "kind"),  # transfers have their own service
    ],
)
def test_impossible_events_are_refused(world, setup, kind, field, member):
    for earlier in setup:
        services.member_record_event(
            actor=SYSTEM, member=member, kind=earlier, occurred_on=dt.date(2024, 1, 1)
        )
    with pytest.raises(RuleViolation) as caught:
        services.member_record_event(actor=SYSTEM, member=member, kind=kind, occurred_on=dt.date(2024, 2, 1))
    assert field in caught.value.fields


def test_status_changes_must_be_recorded_in_date_order(world, member):
    services.member_record_event(
        actor=SYSTEM, member=member, kind=EventKind.EXEMPTION, occurred_on=dt.date(2024, 5, 1)
    )
    with pytest.raises(RuleViolation) as caught:
        services.member_record_event(
            actor=SYSTEM, member=member, kind=EventKind.STRUCK_OFF, occurred_on=dt.date(2024, 1, 1)
        )
    assert "occurred_on" in caught.value.fields


def test_discipline_may_be_recorded_for_an_earlier_date(world, member):
    services.member_record_event(
        actor=SYSTEM, member=member, kind=EventKind.EXEMPTION, occurred_on=dt.date(2024, 5, 1)
    )
    event = services.member_record_event(
        actor=SYSTEM,
        member=member,
        kind=EventKind.DISCIPLINE,
        occurred_on=dt.date(2023, 1, 1),
        discipline_form="WARNING",
    )
    assert event.discipline_form == "WARNING"


def test_recognition_before_twelve_months_is_refused(world):
    member = services.member_create(
        actor=SYSTEM,
        organization=world.cell_a,
        data=member_data(
            admitted_on=dt.date(2020, 2, 1), full_member_on=None, date_of_birth=dt.date(1990, 1, 1)
        ),
    )
    with pytest.raises(RuleViolation) as caught:
        services.member_record_event(
            actor=SYSTEM, member=member, kind=EventKind.RECOGNITION, occurred_on=dt.date(2020, 12, 1)
        )
    assert "occurred_on" in caught.value.fields


def test_probationary_member_cannot_be_dismissed(world):
    member = services.member_create(
        actor=SYSTEM,
        organization=world.cell_a,
        data=member_data(full_member_on=None, date_of_birth=dt.date(1990, 1, 1)),
    )
    with pytest.raises(RuleViolation) as caught:
        services.member_record_event(
            actor=SYSTEM,
            member=member,
            kind=EventKind.DISCIPLINE,
            occurred_on=dt.date(2024, 1, 1),
            discipline_form="DISMISSAL",
        )
    assert "discipline_form" in caught.value.fields


def test_events_cannot_be_dated_in_the_future_or_before_admission(world, member):
    for on in (dt.date.today() + dt.timedelta(days=2), member.admitted_on - dt.timedelta(days=1)):
        with pytest.raises(RuleViolation) as caught:
            services.member_record_event(
                actor=SYSTEM, member=member, kind=EventKind.EXEMPTION, occurred_on=on
            )
        assert "occurred_on" in caught.value.fields


def test_events_check_the_role(world, member):
    with pytest.raises(PermissionDenied):
        services.member_record_event(
            actor=world.secretary_a,
            member=member,
            kind=EventKind.DEATH,
            occurred_on=dt.date(2024, 1, 1),
        )
    with pytest.raises(Http404):
        services.member_transfer(
            actor=world.secretary_b,
            member=member,
            occurred_on=dt.date(2024, 1, 1),
            to_organization=world.cell_b,
        )


def test_transfer_keeps_earlier_periods_when_moving_twice(world, member):
    extra = make_org(name="Chi bộ khu vực 9", parent=world.commune)
    services.member_transfer(
        actor=SYSTEM, member=member, occurred_on=dt.date(2024, 1, 1), to_organization=world.cell_b
    )
    services.member_transfer(
        actor=SYSTEM, member=member, occurred_on=dt.date(2024, 5, 1), to_organization=extra
    )
    chain = list(
        MembershipPeriod.objects.filter(member=member)
        .order_by("starts_on")
        .values_list("organization__code", "ends_on")
    )
    assert [code for code, _end in chain] == ["A", "B", extra.code]
    assert chain[-1][1] is None and chain[0][1] == dt.date(2024, 1, 1)
