"""`coso demo`: the Vị Thanh city demo loads believable, rule-abiding data and accounts, and loads it only once."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from coso.accounts.models import ApiToken, RoleGrant, User
from coso.accounts.permissions import SYSTEM
from coso.demo import city
from coso.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from coso.demo.loader import DEMO_MEMBER_NAME, load_demo
from coso.members.models import CURRENT_STATUSES, Member, MemberEvent, MembershipPeriod, MemberStatus
from coso.members.rules import add_months, check_member, national_id_error
from coso.members.services import EDITABLE_FIELDS, derive_status
from coso.orgs.models import (
    Committee,
    CommitteeKind,
    Organization,
    OrgKind,
    Position,
    PositionTitle,
    SupervisionAssignment,
    Term,
)
from coso.orgs.selectors import unsupervised_list

from .conftest import SMALL

COUNTED = [
    Organization,
    Member,
    MembershipPeriod,
    MemberEvent,
    Term,
    Committee,
    Position,
    SupervisionAssignment,
    User,
    RoleGrant,
    Member.history.model,
    Organization.history.model,
]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_demo_builds_the_city_tree(small_demo):
    assert Organization.objects.get(code="HG").kind == OrgKind.PROVINCIAL
    vi_thanh = Organization.objects.get(code="HG-VT")
    assert vi_thanh.kind == OrgKind.DISTRICT
    assert vi_thanh.parent.code == "HG"
    units = Organization.objects.filter(parent=vi_thanh)
    assert units.count() == len(city.UNITS)
    assert units.filter(kind=OrgKind.GRASSROOTS_COMMITTEE).count() == 13
    assert units.filter(kind=OrgKind.GRASSROOTS_CELL).count() == 3
    assert Organization.objects.filter(kind__in=[OrgKind.CELL, OrgKind.GRASSROOTS_CELL]).count() == 62
    assert Organization.objects.get(code="VT-HL-A1").name == "Chi bộ ấp Thạnh Trung"
    # Every cell has members, and every cell's members live in the cell (organization = open period).
    for cell in Organization.objects.filter(kind__in=[OrgKind.CELL, OrgKind.GRASSROOTS_CELL]):
        assert MembershipPeriod.objects.filter(organization=cell).exists(), cell.code


def test_there_is_one_demo_account_per_role_with_its_grant(small_demo):
    assert {a.role for a in DEMO_ACCOUNTS} == {
        "MEMBER",
        "CELL_SECRETARY",
        "COMMITTEE_STAFF",
        "COMMITTEE_LEADER",
        "INSPECTION",
        "SYSTEM_ADMIN",
    }
    for spec in DEMO_ACCOUNTS:
        user = User.objects.get(username=spec.username)
        assert user.check_password(DEMO_PASSWORD)
        assert RoleGrant.objects.filter(
            user=user, role=spec.role, organization__code=spec.org_code, revoked_at=None
        ).exists(), spec.username
        assert user.is_superuser == (spec.username == "admin")


def test_the_cell_secretary_and_member_accounts_are_linked_to_their_records(small_demo):
    bithu = User.objects.get(username="bithu")
    secretary = Position.objects.get(
        committee__organization__code=city.DEMO_CELL,
        committee__kind=CommitteeKind.CELL_COMMITTEE,
        title=PositionTitle.SECRETARY,
        ends_on=None,
    )
    assert bithu.member == secretary.member
    assert bithu.member.organization.code == city.DEMO_CELL
    dangvien = User.objects.get(username="dangvien")
    assert dangvien.member.full_name == DEMO_MEMBER_NAME
    assert dangvien.member.organization.code == city.DEMO_CELL
    assert dangvien.member.status == MemberStatus.FULL
    assert not Position.objects.filter(member=dangvien.member).exists(), "the demo member holds no seat"
    lanhdao = User.objects.get(username="lanhdao")
    assert Position.objects.filter(
        member=lanhdao.member,
        committee__organization__code="HG-VT",
        committee__kind=CommitteeKind.EXECUTIVE,
        title=PositionTitle.SECRETARY,
        ends_on=None,
    ).exists()


def test_running_the_demo_twice_changes_nothing(small_demo):
    before = counts()
    again = load_demo(scale=SMALL)
    assert again.created is False
    assert counts() == before


def test_a_missing_demo_account_is_recreated_and_others_are_left_alone(small_demo):
    thanhuy = User.objects.get(username="thanhuy")
    thanhuy.set_password("a-changed-password-99")
    thanhuy.save()
    ApiToken.objects.filter(user__username="dangvien").delete()
    User.objects.filter(username="dangvien").delete()
    load_demo(scale=SMALL)
    assert User.objects.get(username="dangvien").member.full_name == DEMO_MEMBER_NAME
    assert User.objects.get(username="thanhuy").check_password("a-changed-password-99")


def test_every_demo_member_passes_the_member_rules(small_demo):
    members = list(Member.objects.all())
    assert len(members) > 100
    for member in members:
        data = {name: getattr(member, name) for name in EDITABLE_FIELDS}
        verdict = check_member(data, today=timezone.localdate())
        assert verdict.ok, (member.full_name, verdict.errors)
        assert (
            national_id_error(member.national_id, gender=member.gender, date_of_birth=member.date_of_birth)
            is None
        )
        age = (timezone.localdate() - member.date_of_birth).days / 365.25
        assert 18 <= age <= 86, member.full_name
    assert len({m.national_id for m in members}) == len(members)
    cards = [m.card_number for m in members if m.card_number]
    assert len(set(cards)) == len(cards)


def test_demo_statuses_periods_and_events_agree(small_demo):
    today = timezone.localdate()
    members = Member.objects.prefetch_related("events", "periods")
    for member in members:
        events = list(member.events.all())
        assert member.status == derive_status(events), member.full_name
        periods = sorted(member.periods.all(), key=lambda p: (p.starts_on, p.pk))
        assert periods[-1].organization_id == member.organization_id
        for earlier, later in zip(periods, periods[1:], strict=False):
            assert earlier.ends_on == later.starts_on
        if member.status in CURRENT_STATUSES:
            assert periods[-1].ends_on is None
        else:
            assert periods[-1].ends_on is not None
        if member.status == MemberStatus.PROBATIONARY:
            assert member.full_member_on is None
            assert member.admitted_on > add_months(today, -12)
        kinds = [e.kind for e in events]
        assert kinds.count("ADMISSION") == 1
        transfers = [e for e in events if e.kind == "TRANSFER"]
        assert len(transfers) == len(periods) - 1
        for transfer, period in zip(transfers, periods[1:], strict=True):
            assert transfer.to_organization_id == period.organization_id
            assert transfer.occurred_on == period.starts_on


def test_the_demo_has_histories_to_show(small_demo):
    statuses = set(Member.objects.values_list("status", flat=True))
    assert {
        MemberStatus.FULL,
        MemberStatus.PROBATIONARY,
        MemberStatus.DECEASED,
        MemberStatus.TRANSFERRED_OUT,
    } <= statuses
    assert MemberEvent.objects.filter(kind="TRANSFER").exists()
    # Change history exists for bulk-written members (the record page's history component has something).
    member = Member.objects.first()
    assert member.history.count() == 1


def test_bulk_written_members_have_the_columns_a_regular_save_computes(small_demo):
    for member in Member.objects.order_by("pk")[:30]:
        stored = (member.full_name, member.name_folded, member.name_sort, member.status)
        member.save()
        member.refresh_from_db()
        assert (member.full_name, member.name_folded, member.name_sort, member.status) == stored


def test_committees_have_two_terms_and_supervision_leaves_a_few_gaps(small_demo):
    vi_thanh = Organization.objects.get(code="HG-VT")
    assert sorted(Term.objects.filter(organization=vi_thanh).values_list("name", flat=True)) == [
        "2020–2025",
        "2025–2030",
    ]
    kinds = set(Committee.objects.filter(organization=vi_thanh).values_list("kind", flat=True))
    assert kinds == {CommitteeKind.EXECUTIVE, CommitteeKind.STANDING, CommitteeKind.INSPECTION}
    old = Position.objects.filter(committee__term__name="2020–2025", committee__organization=vi_thanh)
    assert old.exists() and not old.filter(ends_on=None).exists()
    assert SupervisionAssignment.objects.filter(assigned_by=vi_thanh, kind="LEAD").exists()
    gaps = set(unsupervised_list(actor=SYSTEM).values_list("code", flat=True))
    assert {"VT-BQLDA", "VT-TTVH"} <= gaps
    assert 2 < len(gaps) < 15


def test_the_demo_command_prints_the_accounts_table(db):
    out = io.StringIO()
    call_command("coso_demo", "--no-serve", "--scale", str(SMALL), stdout=out)
    text = out.getvalue()
    assert "Demo data loaded" in text
    for spec in DEMO_ACCOUNTS:
        line = next(line for line in text.splitlines() if line.startswith(spec.username + " "))
        assert DEMO_PASSWORD in line
    assert "Đảng bộ phường I" in text
    out = io.StringIO()
    call_command("coso_demo", "--no-serve", "--scale", str(SMALL), stdout=out)
    assert "already loaded; nothing changed" in out.getvalue()


@pytest.mark.parametrize("username", [a.username for a in DEMO_ACCOUNTS])
def test_each_demo_account_can_log_in(small_demo, client, username):
    response = client.post(reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content[:500]
    assert client.get("/").status_code == 200
    assert client.get("/members/").status_code == 200


def test_demo_dates_are_not_in_the_future(small_demo):
    today = timezone.localdate()
    assert not MemberEvent.objects.filter(occurred_on__gt=today).exists()
    assert not MembershipPeriod.objects.filter(starts_on__gt=today).exists()
    assert not Member.objects.filter(admitted_on__gt=today).exists()
    assert Member.objects.filter(admitted_on__lt=dt.date(1990, 1, 1)).exists()


@pytest.mark.parametrize("today", [dt.date(2026, 12, 20), dt.date(2027, 1, 1)], ids=str)
def test_the_demo_loads_at_the_turn_of_the_year(db, today):
    """Every app's demo data counts months back and ahead from `today`: December and January must work."""
    result = load_demo(scale=0.05, today=today)
    assert result.created
    assert result.counts["members"] > 0
