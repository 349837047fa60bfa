"""Restructuring services keep history (nothing deleted, members' periods moved, dated), and every orgs service
names the actor as the history author."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from coso.accounts.models import RoleGrant
from coso.accounts.permissions import SYSTEM
from coso.core.exceptions import ConflictError, RuleViolation
from coso.members.models import Member, MembershipPeriod
from coso.orgs import selectors, services
from coso.orgs.models import (
    Organization,
    OrgKind,
    OrgStatus,
    PositionTitle,
    RestructuringEvent,
    RestructuringKind,
    SupervisionAssignment,
    SupervisionKind,
)
from coso.testing.factories import make_member, make_org

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 3, 1)


def reload(org: Organization) -> Organization:
    return Organization.objects.get(pk=org.pk)


def test_merge_moves_members_periods_and_keeps_the_old_organizations_marked(world):
    count_before = Organization.objects.count()
    event = services.organization_merge(
        actor=world.commune_staff,
        sources=[world.cell_a, world.cell_b],
        new_code="AB",
        new_name="Chi bộ khu vực 1-2",
        effective_on=ON,
        decision_number="123-QĐ/ĐU",
    )
    target = Organization.objects.get(code="AB")
    assert Organization.objects.count() == count_before + 1  # nothing deleted
    for old in (world.cell_a, world.cell_b):
        old = reload(old)
        assert (old.status, old.successor, old.ended_on) == (OrgStatus.MERGED, target, ON)
    assert target.parent == world.commune and target.kind == OrgKind.CELL and target.established_on == ON
    moved = Member.objects.filter(pk__in=[world.member_a_record.pk, world.member_b_record.pk])
    assert set(moved.values_list("organization", flat=True)) == {target.pk}
    periods = list(MembershipPeriod.objects.filter(member=world.member_a_record).order_by("starts_on", "id"))
    assert [(p.organization_id, p.ends_on) for p in periods] == [(world.cell_a.pk, ON), (target.pk, None)]
    assert periods[1].starts_on == ON
    assert event.kind == RestructuringKind.MERGE and event.details == {
        "members_moved": 3,
        "members_carried": 0,
        "handover": {},
    }
    assert set(event.sources.all()) == {world.cell_a, world.cell_b} and list(event.targets.all()) == [target]
    assert event.recorded_by == world.commune_staff


def test_merge_into_an_existing_organization_moves_sub_organizations_and_grants(world):
    carried = Member.objects.filter(organization__path__startswith=world.commune2.path + ".").count()
    event = services.organization_merge(
        actor=world.province_admin, sources=[world.commune2], target=world.commune, effective_on=ON
    )
    cell_d = reload(world.cell_d)
    assert cell_d.parent == world.commune and cell_d.path.startswith(world.commune.path + ".")
    assert reload(world.commune2).status == OrgStatus.MERGED
    # Nobody was recorded in the commune itself; everyone in its cells moved with them, and the record says so.
    assert event.details["members_moved"] == 0
    assert event.details["members_carried"] == carried > 0
    assert (
        Member.objects.get(pk=world.member_d_record.pk).organization == world.cell_d
    )  # members stay in cell D


def test_merge_ends_the_sources_supervision_and_moves_their_role_grants(world, seats):
    services.supervision_assign(
        actor=SYSTEM,
        supervisor=seats.executive_member,
        organization=world.cell_a,
        assigned_by=world.commune,
        kind=SupervisionKind.ATTEND,
        starts_on=dt.date(2025, 7, 1),
    )
    services.organization_merge(
        actor=world.commune_staff, sources=[world.cell_a], target=world.cell_b, effective_on=ON
    )
    assert SupervisionAssignment.objects.get(organization=world.cell_a).ends_on == ON
    grant = RoleGrant.objects.get(user=world.secretary_a, revoked_at__isnull=True)
    assert grant.organization == world.cell_b
    assert (
        RoleGrant.objects.filter(user=world.secretary_a, organization=world.cell_a)
        .exclude(revoked_at=None)
        .exists()
    )


def test_merge_refuses_bad_input_with_the_field_named(world):
    with pytest.raises(RuleViolation) as caught:
        services.organization_merge(actor=world.commune_staff, sources=[world.cell_a], effective_on=ON)
    assert "sources" in caught.value.fields
    with pytest.raises(RuleViolation) as caught:
        services.organization_merge(
            actor=world.commune_staff, sources=[world.cell_a, world.cell_b], new_code="X", new_name="X",
            effective_on=dt.date(2027, 1, 1),
        )  # fmt: skip
    assert "effective_on" in caught.value.fields
    with pytest.raises(RuleViolation) as caught:
        services.organization_merge(
            actor=world.province_admin, sources=[world.commune], target=world.cell_a, effective_on=ON
        )
    assert "target" in caught.value.fields


def test_merge_outside_scope_is_not_found_and_too_low_a_role_is_refused(world):
    with pytest.raises(Http404):
        services.organization_merge(
            actor=world.commune_staff, sources=[world.cell_a], target=world.cell_d, effective_on=ON
        )
    with pytest.raises(PermissionDenied):
        services.organization_merge(
            actor=world.commune_leader, sources=[world.cell_a], target=world.cell_b, effective_on=ON
        )


def test_split_creates_the_parts_and_marks_the_source_split(world):
    event = services.organization_split(
        actor=world.commune_staff,
        source=world.cell_a,
        parts=[
            {"code": "A1", "name": "Chi bộ khu vực 1A", "member_ids": [world.member_a_record.pk]},
            {"code": "A2", "name": "Chi bộ khu vực 1B", "member_ids": [world.other_a_record.pk]},
        ],
        effective_on=ON,
    )
    a1, a2 = Organization.objects.get(code="A1"), Organization.objects.get(code="A2")
    assert a1.parent == world.commune and a1.kind == OrgKind.CELL
    assert Member.objects.get(pk=world.member_a_record.pk).organization == a1
    assert Member.objects.get(pk=world.other_a_record.pk).organization == a2
    source = reload(world.cell_a)
    assert (source.status, source.ended_on) == (OrgStatus.SPLIT, ON)
    assert set(event.targets.all()) == {a1, a2}


def test_split_needs_every_member_in_exactly_one_part(world):
    with pytest.raises(RuleViolation) as caught:
        services.organization_split(
            actor=world.commune_staff,
            source=world.cell_a,
            parts=[
                {"code": "A1", "name": "1A", "member_ids": [world.member_a_record.pk]},
                {"code": "A2", "name": "1B", "member_ids": []},
            ],
            effective_on=ON,
        )
    assert "parts" in caught.value.fields
    assert reload(world.cell_a).status == OrgStatus.ACTIVE


def test_move_rewrites_the_paths_of_the_whole_subtree(world):
    grandchild_parent = make_org(
        name="Đảng bộ cơ quan", kind=OrgKind.GRASSROOTS_COMMITTEE, parent=world.commune2
    )
    cell = make_org(name="Chi bộ văn phòng", kind=OrgKind.CELL, parent=grandchild_parent)
    member = make_member(cell)
    event = services.organization_move(
        actor=world.province_admin, org=grandchild_parent, new_parent=world.commune, effective_on=ON
    )
    moved, cell = reload(grandchild_parent), reload(cell)
    assert moved.parent == world.commune and moved.depth == 2 and cell.depth == 3
    assert moved.path.startswith(world.commune.path + ".") and cell.path.startswith(moved.path + ".")
    assert member in selectors.organization_subtree(world.commune).get(pk=cell.pk).members.all()
    assert not selectors.organization_subtree(world.commune2).filter(pk=cell.pk).exists()
    assert event.details == {"old_parent_id": world.commune2.pk}


def test_move_under_its_own_subtree_is_refused(world):
    with pytest.raises(RuleViolation) as caught:
        services.organization_move(
            actor=world.province_admin, org=world.commune, new_parent=world.commune, effective_on=ON
        )
    assert "new_parent" in caught.value.fields


def test_rename_keeps_the_old_name_in_the_event_and_history(world):
    event = services.organization_rename(
        actor=world.commune_staff, org=world.cell_a, new_name="Chi bộ khu phố 1", effective_on=ON
    )
    assert reload(world.cell_a).name == "Chi bộ khu phố 1"
    assert event.details == {"old_name": "Chi bộ khu vực 1"}
    record = world.cell_a.history.order_by("-history_date").first()
    assert record.history_date.date() <= dt.date(2026, 6, 15)
    assert world.cell_a.history.filter(name="Chi bộ khu vực 1").exists()


def test_dissolve_refuses_an_organization_with_members_then_dissolves_an_empty_one(world):
    with pytest.raises(RuleViolation):
        services.organization_dissolve(actor=world.commune_staff, org=world.cell_a, effective_on=ON)
    empty = make_org(name="Chi bộ tạm", parent=world.commune)
    event = services.organization_dissolve(actor=world.commune_staff, org=empty, effective_on=ON)
    empty = reload(empty)
    assert (empty.status, empty.ended_on, event.kind) == (OrgStatus.DISSOLVED, ON, RestructuringKind.DISSOLVE)


def test_tree_as_of_a_past_date_shows_the_old_shape(world):
    services.organization_merge(
        actor=world.commune_staff, sources=[world.cell_a, world.cell_b], new_code="AB", new_name="Chi bộ 1-2",
        effective_on=ON,
    )  # fmt: skip

    def names(nodes):
        return {n.org.name: names(n.children) for n in nodes}

    before = names(selectors.organization_tree_as_of(actor=world.province_admin, on=dt.date(2026, 2, 1)))
    after = names(selectors.organization_tree_as_of(actor=world.province_admin, on=dt.date(2026, 4, 1)))
    commune = "Đảng bộ phường Vị Tân"
    assert set(before["Đảng bộ tỉnh Hậu Giang"][commune]) == {"Chi bộ khu vực 1", "Chi bộ khu vực 2"}
    assert set(after["Đảng bộ tỉnh Hậu Giang"][commune]) == {"Chi bộ 1-2"}


def test_tree_as_of_counts_members_from_their_periods(world):
    services.organization_merge(
        actor=world.commune_staff, sources=[world.cell_a, world.cell_b], new_code="AB", new_name="Chi bộ 1-2",
        effective_on=ON,
    )  # fmt: skip
    (root,) = selectors.organization_tree_as_of(
        actor=world.commune_staff, on=dt.date(2026, 2, 1), with_counts=True
    )
    assert root.org == world.commune and root.total_as_of == 3
    assert {c.org.code: c.total_as_of for c in root.children} == {"A": 2, "B": 1}
    (root,) = selectors.organization_tree_as_of(
        actor=world.commune_staff, on=dt.date(2026, 4, 1), with_counts=True
    )
    assert {c.org.code: c.total_as_of for c in root.children} == {"AB": 3}


def test_every_orgs_service_names_the_actor_as_history_author(world):
    staff = world.commune_staff
    child = services.organization_create(
        actor=staff, code="N1", name="Chi bộ mới", kind=OrgKind.CELL, parent=world.commune
    )
    assert child.history.latest().history_user == staff
    services.organization_update(actor=staff, org=child, expected_version=child.version, address="Ấp 1")
    assert child.history.latest().history_user == staff
    term = services.term_create(
        actor=staff, org=world.cell_a, name="2025–2030", starts_on=dt.date(2025, 6, 1)
    )
    assert term.history.latest().history_user == staff
    committee = services.committee_create(actor=staff, term=term, kind="CELL_COMMITTEE")
    assert committee.history.latest().history_user == staff
    position = services.position_assign(
        actor=staff, committee=committee, member=world.other_a_record, title=PositionTitle.SECRETARY,
        starts_on=dt.date(2025, 6, 2),
    )  # fmt: skip
    services.position_end(actor=staff, position=position, ends_on=dt.date(2026, 1, 1))
    assert position.history.latest().history_user == staff and position.history.count() == 2
    services.organization_rename(actor=staff, org=child, new_name="Chi bộ mới 2", effective_on=ON)
    assert reload(child).history.filter(name="Chi bộ mới 2").get().history_user == staff
    services.organization_dissolve(actor=staff, org=child, effective_on=ON)
    assert reload(child).history.filter(status=OrgStatus.DISSOLVED).get().history_user == staff


def test_supervision_assign_and_end_record_the_author(world, seats):
    staff = world.commune_staff
    assignment = services.supervision_assign(
        actor=staff, supervisor=seats.executive_member, organization=world.cell_a, assigned_by=world.commune,
        kind=SupervisionKind.ATTEND, starts_on=dt.date(2025, 7, 1),
    )  # fmt: skip
    services.supervision_end(actor=staff, assignment=assignment, ends_on=dt.date(2026, 1, 1))
    assert [h.history_user for h in assignment.history.all()] == [staff, staff]


def test_supervision_rules(world, seats):
    with pytest.raises(RuleViolation) as caught:
        services.supervision_assign(
            actor=world.commune_staff, supervisor=seats.executive_member, organization=world.commune,
            assigned_by=world.cell_a, kind=SupervisionKind.LEAD, starts_on=dt.date(2025, 7, 1),
        )  # fmt: skip
    with pytest.raises(RuleViolation) as caught:
        services.supervision_assign(
            actor=SYSTEM, supervisor=seats.executive_member, organization=world.commune,
            assigned_by=world.province, kind=SupervisionKind.ATTEND, starts_on=dt.date(2025, 7, 1),
        )  # fmt: skip
    assert "kind" in caught.value.fields


def test_position_rules(world, seats):
    with pytest.raises(RuleViolation) as caught:
        services.position_assign(
            actor=world.commune_staff, committee=seats.standing, member=world.other_a_record,
            title=PositionTitle.SECRETARY, starts_on=dt.date(2025, 7, 1),
        )  # fmt: skip
    assert "title" in caught.value.fields
    with pytest.raises(RuleViolation) as caught:
        services.position_assign(
            actor=world.commune_staff, committee=seats.standing, member=world.member_d_record,
            title=PositionTitle.MEMBER, starts_on=dt.date(2025, 7, 1),
        )  # fmt: skip
    assert "member" in caught.value.fields
    with pytest.raises(RuleViolation) as caught:
        services.position_end(
            actor=world.commune_staff, position=seats.secretary, ends_on=dt.date(2025, 1, 1)
        )
    assert "ends_on" in caught.value.fields


def test_update_with_a_stale_version_is_a_conflict(world):
    org = reload(world.cell_a)
    services.organization_update(
        actor=world.commune_staff, org=org, expected_version=org.version, address="Ấp 2"
    )
    with pytest.raises(ConflictError):
        services.organization_update(
            actor=world.commune_staff, org=reload(world.cell_a), expected_version=1, address="Ấp 3"
        )
    assert reload(world.cell_a).address == "Ấp 2"


def test_restructuring_events_are_recorded_once_per_operation(world):
    services.organization_rename(actor=world.commune_staff, org=world.cell_a, new_name="X", effective_on=ON)
    assert RestructuringEvent.objects.filter(kind=RestructuringKind.RENAME).count() == 1
