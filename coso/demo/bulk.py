"""Bulk writes for demo and generated data, deriving exactly what the models' save() and the services derive.

`Member.save()` fills the NFC name, the folded search column and the sort key; `members.services` derives the
status from the events and keeps the membership periods. Rows written here with `bulk_create` get the same
values from the same helpers (tests compare them with a regular save).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db import connection, transaction
from simple_history.utils import bulk_create_with_history

from coso.core.text import fold, name_sort_key, nfc, text_sort_key
from coso.members.models import Member, MemberEvent, MembershipPeriod
from coso.members.services import derive_status
from coso.orgs.models import PATH_SEPARATOR, Organization
from coso.orgs.services import _encode_segment

from .people import Person


def chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def prepare_member(member: Member) -> Member:
    """What Member.save() derives, for rows written with bulk_create."""
    member.full_name = nfc(member.full_name)
    member.name_folded = fold(member.full_name)
    member.name_sort = name_sort_key(member.full_name)
    member.national_id = (member.national_id or "").strip() or None
    member.card_number = (member.card_number or "").strip() or None
    return member


def prepare_organization(org: Organization) -> Organization:
    """What Organization.save() derives, for rows written with bulk_create."""
    org.name = nfc(org.name)
    org.name_folded = fold(org.name)
    org.name_sort = text_sort_key(org.name)
    org.code = (org.code or "").strip()
    return org


def child_paths(parent: Organization, count: int) -> list[tuple[str, int]]:
    """Paths for `count` new children of a parent that has none yet (same scheme as orgs.services)."""
    existing = Organization.objects.filter(parent=parent).count()
    return [
        (parent.path + PATH_SEPARATOR + _encode_segment(existing + i + 1), parent.depth + 1)
        for i in range(count)
    ]


def write_cells(parent: Organization, cells: Iterable[dict], *, history: bool = False) -> list[Organization]:
    """Create many organizations under one parent in one insert (generated data sets)."""
    cells = list(cells)
    objs = [
        prepare_organization(Organization(parent=parent, path=path, depth=depth, **spec))
        for spec, (path, depth) in zip(cells, child_paths(parent, len(cells)), strict=True)
    ]
    if history:
        return bulk_create_with_history(objs, Organization, batch_size=1000)
    return Organization.objects.bulk_create(objs, batch_size=1000)


def write_people(
    people: list[Person], *, history: bool, batch_size: int = 2000, recorded_by=None
) -> list[Member]:
    """Insert members, their membership periods and events; the status is derived from the events.

    With `history`, django-simple-history rows are written too (one "created" entry per row), as a normal
    save would; generated benchmark data skips them.
    """
    created: list[Member] = []
    for chunk in chunks(people, batch_size):
        with transaction.atomic():
            members = []
            for person in chunk:
                member = prepare_member(Member(organization_id=person.organization.pk, **person.data))
                member.status = derive_status([(event.kind, event.occurred_on) for event in person.events])
                members.append(member)
            _insert(Member, members, history=history, batch_size=batch_size)
            periods: list[MembershipPeriod] = []
            events: list[MemberEvent] = []
            for person, member in zip(chunk, members, strict=True):
                periods += [
                    MembershipPeriod(
                        member_id=member.pk,
                        organization_id=period.organization.pk,
                        kind=period.kind,
                        starts_on=period.starts_on,
                        ends_on=period.ends_on,
                        note=period.note,
                    )
                    for period in person.periods
                ]
                events += [
                    MemberEvent(
                        member_id=member.pk,
                        kind=event.kind,
                        occurred_on=event.occurred_on,
                        decision_number=event.decision_number,
                        issuing_body=event.issuing_body,
                        discipline_form=event.discipline_form,
                        from_organization_id=getattr(event.from_organization, "pk", None),
                        to_organization_id=getattr(event.to_organization, "pk", None),
                        external_party=event.external_party,
                        note=event.note,
                        recorded_by=recorded_by,
                    )
                    for event in person.events
                ]
            _insert(MembershipPeriod, periods, history=history, batch_size=batch_size * 2)
            _insert(MemberEvent, events, history=history, batch_size=batch_size * 2)
        created += members
    return created


def _insert(model, objs: list, *, history: bool, batch_size: int) -> None:
    if not objs:
        return
    if history:
        bulk_create_with_history(objs, model, batch_size=batch_size)
    else:
        model.objects.bulk_create(objs, batch_size=batch_size)


def insert_rows(model, objs: list, *, batch_size: int = 5000) -> None:
    """Insert rows whose ids are not needed afterwards: `COPY` on PostgreSQL (several times faster than a
    multi-row INSERT for the millions of attendance rows of a generated province), `bulk_create` elsewhere.

    The values are the ones `bulk_create` would write: each field's `pre_save` (so `auto_now` stamps are set)
    and `get_db_prep_save`, for every concrete column but the automatic primary key.
    """
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=batch_size)
        return
    fields = [f for f in model._meta.concrete_fields if f is not model._meta.pk]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row(
                    [f.get_db_prep_save(f.pre_save(obj, True), connection=connection) for f in fields]
                )
