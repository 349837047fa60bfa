"""members_membercount, kept by database triggers, always equals a fresh count of members_member, whatever writes
it: the services, bulk_create, queryset updates and deletes, raw SQL."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Count

from coso.accounts.permissions import SYSTEM
from coso.members.models import EventKind, Member, MemberCount, MemberStatus
from coso.members.services import member_record_event
from coso.testing.factories import make_member


def fresh() -> dict[tuple[int, str], int]:
    return {
        (row["organization_id"], row["status"]): row["n"]
        for row in Member.objects.values("organization_id", "status").annotate(n=Count("id"))
    }


def kept() -> dict[tuple[int, str], int]:
    return {(c.organization_id, c.status): c.n for c in MemberCount.objects.exclude(n=0)}


def test_the_counts_follow_every_kind_of_write(world):
    assert kept() == fresh() and fresh()
    member = make_member(world.cell_a)
    assert kept() == fresh()
    member_record_event(
        actor=SYSTEM, member=member, kind=EventKind.EXEMPTION, occurred_on=dt.date(2026, 1, 5)
    )
    member.refresh_from_db()
    assert member.status == MemberStatus.EXEMPT and kept() == fresh()
    Member.objects.filter(organization=world.cell_a).update(organization=world.cell_b)
    assert kept() == fresh() and not any(org == world.cell_a.pk for org, _ in kept())
    template = Member.objects.filter(organization=world.cell_b).first()
    clones = []
    for n in range(5):
        clone = Member.objects.get(pk=template.pk)
        clone.pk = None
        clone.national_id = clone.card_number = None
        clone.full_name = f"Bản sao {n}"
        clones.append(clone)
    Member.objects.bulk_create(clones)
    assert kept() == fresh()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE members_member SET status = %s WHERE full_name LIKE %s", ["DECEASED", "Bản sao%"]
        )
    assert kept() == fresh()
    Member.objects.filter(full_name__startswith="Bản sao").delete()
    assert kept() == fresh()


def test_an_update_that_changes_nothing_counted_leaves_the_counts(world):
    before = kept()
    Member.objects.filter(organization=world.cell_a).update(phone="0900000000")
    assert kept() == before == fresh()


def test_the_command_finds_a_wrong_count_and_rebuilds_it(world):
    import io

    import pytest
    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command("coso_member_counts", stdout=out)
    assert "right" in out.getvalue()
    MemberCount.objects.filter(organization=world.cell_a).update(n=99)
    with pytest.raises(CommandError, match="differ"):
        call_command("coso_member_counts", "--check", stdout=io.StringIO())
    call_command("coso_member_counts", "--rebuild", stdout=io.StringIO())
    assert kept() == fresh()
    call_command("coso_member_counts", stdout=io.StringIO())
