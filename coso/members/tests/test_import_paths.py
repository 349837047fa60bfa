"""The two ways the import writes new records (COPY on PostgreSQL, bulk_create_with_history elsewhere) store the
same rows in the six tables, history included; all-or-nothing holds on both."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from coso.core.exceptions import RuleViolation
from coso.members.importing.plan import plan_import
from coso.members.importing.writer import import_write
from coso.members.models import Member, MemberEvent, MembershipPeriod

from .conftest import make_csv, member_row, second_row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY is the PostgreSQL path; SQLite has only the portable one"
)
# Ids and timestamps differ from one run to the other; every other column must be the same.
VARYING = {"id", "created_at", "updated_at", "history_id", "history_date"}


def rows_file() -> bytes:
    return make_csv(
        [
            member_row(),
            # Probationary: one event instead of two, no card.
            second_row(**{"Ngày chính thức": None, "Số thẻ đảng viên": None}),
            member_row(
                **{
                    "Họ và tên": "  Trần   Thị Ngọc Lan ",
                    "Số CCCD": "093179000412",
                    "Số thẻ đảng viên": "93000412",
                    "Ngày sinh": "20/11/1979",
                    "Dân tộc": None,
                    "Lý luận chính trị": None,
                    "Mã chi bộ": "B",
                }
            ),
        ]
    )


def snapshot(national_ids: set[str]) -> dict[str, list]:
    """The rows of the imported members in the six tables, ids replaced by the member's national ID."""
    members = {m["id"]: m for m in Member.objects.filter(national_id__in=national_ids).values()}
    key = {pk: row["national_id"] for pk, row in members.items()}

    def clean(row: dict, own_key) -> tuple:
        kept = {name: value for name, value in row.items() if name not in VARYING}
        if "member_id" in kept:
            kept["member_id"] = key[kept["member_id"]]
        return (own_key, tuple(sorted(kept.items())))

    result = {"member": sorted(clean(row, row["national_id"]) for row in members.values())}
    result["member history"] = sorted(
        clean(row, key[row["id"]]) for row in Member.history.filter(id__in=key).values()
    )
    for name, model in (("period", MembershipPeriod), ("event", MemberEvent)):
        own = {row["id"]: row for row in model.objects.filter(member_id__in=key).values()}
        # A history row belongs to its record: the record's cleaned row stands for its id.
        cleaned = {pk: clean(row, key[row["member_id"]]) for pk, row in own.items()}
        result[name] = sorted(cleaned.values())
        result[name + " history"] = sorted(
            (cleaned[row["id"]], clean(row, None)) for row in model.history.filter(id__in=own).values()
        )
    return result


def imported(world, *, use_copy: bool) -> dict[str, list]:
    report = plan_import(rows_file(), "members.csv", actor=world.commune_staff, into=world.commune)
    assert report.ok, report.errors
    with transaction.atomic():
        result = import_write(report, actor=world.commune_staff, use_copy=use_copy)
        assert result == {"created": 3, "updated": 0, "unchanged": 0}
        rows = snapshot({plan.values["national_id"] for plan in report.plans})
        transaction.set_rollback(True)
    return rows


def test_the_portable_path_writes_a_member_period_events_and_their_history(world):
    rows = imported(world, use_copy=False)
    assert [len(rows[name]) for name in ("member", "period", "event")] == [3, 3, 5]
    assert [len(rows[name + " history"]) for name in ("member", "period", "event")] == [3, 3, 5]
    history = dict(rows["member history"][0][1])
    assert (history["history_type"], history["history_user_id"], history["history_change_reason"]) == (
        "+",
        world.commune_staff.pk,
        None,
    )


@on_postgresql
def test_copy_writes_the_same_rows_as_bulk_create_with_history(world):
    portable = imported(world, use_copy=False)
    copied = imported(world, use_copy=True)
    for table in portable:
        assert copied[table] == portable[table], table
    assert [len(copied[name]) for name in ("member history", "period history", "event history")] == [3, 3, 5]


@on_postgresql
def test_copy_points_history_and_periods_at_the_new_ids(world):
    report = plan_import(rows_file(), "members.csv", actor=world.commune_staff, into=world.commune)
    import_write(report, actor=world.commune_staff, use_copy=True)
    for member in Member.objects.filter(national_id__in=["093185004321", "093090001111", "093179000412"]):
        assert member.full_name in {"Võ Thị Thu Trang", "Lê Văn Tám", "Trần Thị Ngọc Lan"}
        assert member.history.get().history_type == "+"
        period = member.periods.get()
        assert (period.organization_id, period.starts_on) == (member.organization_id, member.admitted_on)
        assert period.history.get().member_id == member.pk
        assert {event.history.get().member_id for event in member.events.all()} == {member.pk}
        assert member.created_at == member.updated_at == member.history.get().history_date


@on_postgresql
def test_a_national_id_saved_meanwhile_stops_the_copy_and_nothing_is_written(world):
    report = plan_import(rows_file(), "members.csv", actor=world.commune_staff, into=world.commune)
    taken = world.member_b_record
    Member.objects.filter(pk=taken.pk).update(national_id="093179000412")
    before = (Member.objects.count(), MembershipPeriod.objects.count(), MemberEvent.objects.count())
    before_history = Member.history.count()
    with pytest.raises(RuleViolation) as error:
        import_write(report, actor=world.commune_staff, use_copy=True)
    assert error.value.code == "conflict"
    assert (Member.objects.count(), MembershipPeriod.objects.count(), MemberEvent.objects.count()) == before
    assert Member.history.count() == before_history
