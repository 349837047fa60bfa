"""`coso generate`: reproducible benchmark data with correct derived columns, periods and statuses."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from coso.demo.generate import generate
from coso.members.models import Member, MemberEvent, MembershipPeriod
from coso.members.rules import check_member
from coso.members.services import EDITABLE_FIELDS, derive_status
from coso.orgs.models import Organization, OrgKind

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
