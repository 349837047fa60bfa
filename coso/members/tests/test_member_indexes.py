"""The member table keeps only the indexes its queries use (issue 10 §5: each index is one more write per
imported row), and on PostgreSQL the list, the searches and the lookups still find their rows through one."""

from __future__ import annotations

import pytest
from django.db import connection

from coso.accounts.permissions import SYSTEM
from coso.members.models import Member, MemberEvent, MembershipPeriod
from coso.members.selectors import MemberFilters, member_list
from coso.testing.factories import make_member

pytestmark = pytest.mark.django_db

NAMES = ["Nguyễn Thị Hoà", "Nguyễn Thị Hoa", "Trần Thị Hoà", "Nguyễn Văn Hoà", "Lê Thị Hoài", "Nguyễn Thị An"]


@pytest.fixture
def people(world):
    return [make_member(world.cell_b, full_name=name) for name in NAMES]


def _indexes(table: str) -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {name: info["columns"] for name, info in found.items() if info["index"] or info["unique"]}


def test_no_unused_twin_or_prefix_index_on_members():
    indexes = _indexes(Member._meta.db_table)
    names = set(indexes)
    # The pattern-ops twins of the names: no query looks names up by prefix (the trigram index finds them).
    assert not [n for n in names if n.endswith("_like") and ("name_folded" in n or "name_sort" in n)]
    # organization alone: member_org_status_sort begins with it.
    assert [cols for cols in indexes.values() if cols == ["organization_id"]] == []
    assert indexes["member_org_status_sort"] == ["organization_id", "status", "name_sort"]
    assert indexes["member_name_folded"] == ["name_folded"]
    assert indexes["member_name_sort"] == ["name_sort"]


def test_history_tables_index_the_tracked_record_and_the_date_only():
    for model, dropped in (
        (Member, {"national_id", "card_number", "organization_id"}),
        (Member.periods.rel.related_model, {"member_id", "organization_id"}),
        (Member.events.rel.related_model, {"member_id", "from_organization_id", "to_organization_id"}),
    ):
        indexed = {tuple(cols) for cols in _indexes(model.history.model._meta.db_table).values()}
        assert ("id",) in indexed and ("history_date",) in indexed, model
        assert not {(column,) for column in dropped} & indexed, model


def _plan(queryset) -> str:
    with connection.cursor() as cursor:
        # A test table is tiny: PostgreSQL would read it whole whatever the indexes.
        cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans")
@pytest.mark.parametrize(
    "query",
    [
        pytest.param(lambda w: member_list(actor=SYSTEM), id="list"),
        pytest.param(
            lambda w: member_list(actor=SYSTEM, filters=MemberFilters(organization=w.cell_b)), id="cell"
        ),
        pytest.param(lambda w: member_list(actor=SYSTEM, filters=MemberFilters(q="hoa")), id="one-word"),
        pytest.param(lambda w: member_list(actor=SYSTEM, filters=MemberFilters(q="thi hoa")), id="words"),
        pytest.param(lambda w: member_list(actor=SYSTEM, filters=MemberFilters(q="0931")), id="digits"),
        pytest.param(
            lambda w: Member.objects.filter(national_id=w.member_a.member.national_id), id="national-id"
        ),
        pytest.param(
            lambda w: Member.objects.filter(card_number=w.member_a.member.card_number), id="card-number"
        ),
        pytest.param(lambda w: Member.objects.filter(card_number__startswith="930"), id="card-prefix"),
        pytest.param(lambda w: Member.objects.filter(national_id__startswith="093"), id="national-id-prefix"),
    ],
)
def test_member_queries_use_an_index(world, people, query):
    plan = _plan(query(world))
    assert "Seq Scan on members_member" not in plan, plan
    assert "Index" in plan, plan


def test_event_references_are_indexed_only_where_set_and_periods_by_their_organization_first():
    """An import writes two events a member, none of them a transfer and none with an organization: partial
    indexes leave those rows out; a period's organization alone is the start of period_org_end."""
    events = MemberEvent._meta.db_table
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, events)
    for column in ("from_organization_id", "to_organization_id", "recorded_by_id"):
        indexes = [info for info in found.values() if info["index"] and info["columns"] == [column]]
        assert len(indexes) == 1, column
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [events])
            definitions = [row[0] for row in cursor.fetchall()]
        for column in ("from_organization_id", "to_organization_id", "recorded_by_id"):
            assert [d for d in definitions if f"({column})" in d and f"WHERE ({column} IS NOT NULL)" in d], (
                column
            )
    periods = _indexes(MembershipPeriod._meta.db_table)
    assert [cols for cols in periods.values() if cols == ["organization_id"]] == []
    assert periods["period_org_end"] == ["organization_id", "ends_on"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans")
@pytest.mark.parametrize(
    "query",
    [
        # What deleting an organization (PROTECT) or a user (SET_NULL) asks.
        pytest.param(
            lambda w: MemberEvent.objects.filter(from_organization__in=[w.cell_b.pk]), id="event-from"
        ),
        pytest.param(lambda w: MemberEvent.objects.filter(to_organization__in=[w.cell_b.pk]), id="event-to"),
        pytest.param(lambda w: MemberEvent.objects.filter(recorded_by__in=[1, 2]), id="event-recorded-by"),
        pytest.param(lambda w: MemberEvent.objects.filter(to_organization=w.cell_b), id="event-to-one"),
        pytest.param(
            lambda w: MembershipPeriod.objects.filter(organization__in=[w.cell_b.pk]),
            id="period-organization",
        ),
    ],
)
def test_event_and_period_lookups_use_an_index(world, people, query):
    plan = _plan(query(world))
    assert "Seq Scan" not in plan, plan
    assert "Index" in plan, plan
