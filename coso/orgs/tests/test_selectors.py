"""Selectors: member counts by status across a subtree, structural warnings (single and bulk), the tree and its
search, and their query counts."""

from __future__ import annotations

import datetime as dt

import pytest

from coso.accounts.permissions import SYSTEM
from coso.members import services as member_services
from coso.members.models import EventKind
from coso.orgs import selectors, services
from coso.orgs.models import CommitteeKind, OrgKind, PositionTitle
from coso.testing.factories import make_member, make_org

pytestmark = pytest.mark.django_db


def add_members(org, *, full: int = 0, probationary: int = 0):
    for _ in range(full):
        make_member(org)
    for _ in range(probationary):
        make_member(org, admitted_on=dt.date(2026, 1, 5), full_member_on=None)


def test_counts_by_status_add_up_across_the_subtree(world):
    add_members(world.cell_a, full=2, probationary=1)
    add_members(world.cell_b, probationary=2)
    exempt = make_member(world.cell_b)
    member_services.member_record_event(
        actor=SYSTEM, member=exempt, kind=EventKind.EXEMPTION, occurred_on=dt.date(2026, 1, 10)
    )
    dead = make_member(world.cell_d)
    member_services.member_record_event(
        actor=SYSTEM, member=dead, kind=EventKind.DEATH, occurred_on=dt.date(2026, 2, 1)
    )
    counts = selectors.member_counts(
        [world.province, world.commune, world.cell_a, world.cell_b, world.cell_d]
    )
    # The world already has 2 full members in A, 1 in B and 1 in D.
    assert selectors.count_summary(counts[world.cell_a.pk]) == {
        "full": 4,
        "probationary": 1,
        "exempt": 0,
        "total": 5,
    }
    assert selectors.count_summary(counts[world.cell_b.pk]) == {
        "full": 1,
        "probationary": 2,
        "exempt": 1,
        "total": 4,
    }
    assert selectors.count_summary(counts[world.commune.pk])["total"] == 9
    assert selectors.count_summary(counts[world.cell_d.pk]) == {
        "full": 1,
        "probationary": 0,
        "exempt": 0,
        "total": 1,
    }
    assert counts[world.cell_d.pk]["DECEASED"] == 1
    assert selectors.count_summary(counts[world.province.pk]) == {
        "full": 6,
        "probationary": 3,
        "exempt": 1,
        "total": 10,
    }


def test_tree_is_scoped_and_carries_counts(world):
    (root,) = selectors.organization_tree(actor=world.commune_staff)
    assert root.org == world.commune and root.current == 3
    assert [c.org.code for c in root.children] == ["A", "B"]
    assert selectors.organization_tree(actor=world.secretary_b)[0].org == world.cell_b


def test_tree_with_max_depth_knows_which_unloaded_nodes_have_children(world):
    (root,) = selectors.organization_tree(actor=world.province_admin, max_depth=1)
    assert [c.org.code for c in root.children] == ["C1", "C2"]
    assert all(c.has_children and not c.children for c in root.children)
    (commune,) = selectors.organization_tree(actor=world.commune_staff, max_depth=0)
    assert commune.has_children and not commune.loaded


def test_search_is_accent_insensitive_and_shows_matches_inside_their_parents(world):
    (root,) = selectors.organization_search_tree(actor=world.province_admin, q="ap 3")
    assert root.org == world.province and not root.matched
    (commune2,) = root.children
    assert commune2.org == world.commune2 and [c.org for c in commune2.children] == [world.cell_d]
    assert commune2.children[0].matched
    assert selectors.organization_search_tree(actor=world.commune_staff, q="ấp 3") == []


def test_tree_query_count_does_not_grow_with_the_tree(world, django_assert_max_num_queries):
    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        admin = type(world.province_admin).objects.get(pk=world.province_admin.pk)
        with CaptureQueriesContext(connection) as ctx:
            selectors.organization_tree(actor=admin)
        return len(ctx.captured_queries)

    small = count_queries()
    for i in range(3):
        ward = make_org(name=f"Đảng bộ phường {i}", kind=OrgKind.GRASSROOTS_COMMITTEE, parent=world.province)
        for j in range(4):
            add_members(make_org(name=f"Chi bộ {i}-{j}", parent=ward), full=1)
    assert count_queries() == small
    with django_assert_max_num_queries(4):  # grants, the tree's roots (the whole tree is in scope), the tree
        selectors.organization_tree(actor=world.province_admin)


def test_warnings_small_cell_and_missing_committee(world):
    warnings = {w.code for w in selectors.structure_warnings(world.cell_a)}
    assert warnings == {"cell_too_small"}
    add_members(world.cell_a, full=8)
    assert {w.code for w in selectors.structure_warnings(world.cell_a)} == {"cell_committee_missing"}


def test_warnings_cell_committee_too_early_and_too_large(world):
    add_members(world.cell_b, full=2)  # 3 full members
    term = services.term_create(
        actor=SYSTEM, org=world.cell_b, name="2025–2027", starts_on=dt.date(2025, 6, 1),
        committee_kinds=[CommitteeKind.CELL_COMMITTEE],
    )  # fmt: skip
    committee = term.committees.get()
    assert {w.code for w in selectors.structure_warnings(world.cell_b)} == {"cell_committee_too_early"}
    for _ in range(8):
        add_members(world.cell_b, full=1)
    holders = list(world.cell_b.members.all()[:8])
    for member in holders:
        services.position_assign(
            actor=SYSTEM,
            committee=committee,
            member=member,
            title=PositionTitle.MEMBER,
            starts_on=dt.date(2025, 6, 2),
        )
    assert {w.code for w in selectors.structure_warnings(world.cell_b)} == {"cell_committee_too_large"}


def test_warnings_grassroots_cell_with_thirty_members_and_committee_without_cells(world):
    grassroots_cell = make_org(
        name="Chi bộ cơ sở trường THPT", kind=OrgKind.GRASSROOTS_CELL, parent=world.province
    )
    add_members(grassroots_cell, full=25, probationary=5)
    codes = {w.code for w in selectors.structure_warnings(grassroots_cell)}
    assert "grassroots_cell_too_large" in codes
    empty_committee = make_org(
        name="Đảng bộ xã mới", kind=OrgKind.GRASSROOTS_COMMITTEE, parent=world.province
    )
    assert {w.code for w in selectors.structure_warnings(empty_committee)} == {"committee_without_cells"}
    assert {w.code for w in selectors.structure_warnings(world.commune)} == {"grassroots_committee_small"}


def test_bulk_warnings_match_the_single_ones_in_constant_queries(world, django_assert_max_num_queries):
    add_members(world.cell_a, full=8)
    orgs = [world.province, world.commune, world.commune2, world.cell_a, world.cell_b, world.cell_d]
    single = {o.pk: [w.code for w in selectors.structure_warnings(o)] for o in orgs}
    with django_assert_max_num_queries(3):
        bulk = selectors.structure_warnings_bulk(orgs)
    assert {pk: [w.code for w in ws] for pk, ws in bulk.items()} == single


def test_warnings_are_not_shown_for_merged_organizations(world):
    services.organization_merge(
        actor=SYSTEM, sources=[world.cell_b], target=world.cell_a, effective_on=dt.date(2026, 3, 1)
    )
    world.cell_b.refresh_from_db()
    assert selectors.structure_warnings(world.cell_b) == []


def test_unsupervised_list_and_coverage(world, seats):
    assert set(selectors.unsupervised_list(actor=world.commune_staff)) == {
        world.commune,
        world.cell_a,
        world.cell_b,
    }
    services.supervision_assign(
        actor=SYSTEM, supervisor=seats.executive_member, organization=world.cell_a, assigned_by=world.commune,
        kind="ATTEND", starts_on=dt.date(2025, 7, 1),
    )  # fmt: skip
    coverage = selectors.supervision_coverage(actor=world.commune_staff)
    assert {o.code for o in coverage["unsupervised"]} == {"C1", "B"}
    assert [a.organization for a in coverage["assignments"]] == [world.cell_a]
    groups = selectors.group_by_parent(coverage["unsupervised"])
    needed = {i["org"].code: i["needed"] for g in groups for i in g["items"]}
    assert needed == {"C1": "LEAD", "B": "ATTEND"}
    only_b = selectors.supervision_coverage(actor=world.commune_staff, under=world.cell_b)
    assert [o.code for o in only_b["unsupervised"]] == ["B"] and not only_b["assignments"].exists()


def test_unsupervised_by_area_counts_each_commune_of_a_province(world, seats):
    areas = selectors.unsupervised_by_area(actor=world.province_admin)
    expected = {}
    for org in selectors.unsupervised_list(actor=world.province_admin).exclude(pk=world.province.pk):
        commune = org if org.parent_id == world.province.pk else org.parent
        expected[commune.code] = expected.get(commune.code, 0) + 1
    assert {a["org"].code: a["count"] for a in areas} == expected
    assert (
        sum(a["count"] for a in areas)
        == selectors.unsupervised_list(actor=world.province_admin).exclude(pk=world.province.pk).count()
    )
    # At a commune the areas would be its cells: there is no summary.
    assert selectors.unsupervised_by_area(actor=world.commune_staff) == []


def test_restructuring_list_is_scoped(world):
    services.organization_rename(
        actor=SYSTEM, org=world.cell_d, new_name="Chi bộ ấp Ba", effective_on=dt.date(2026, 3, 1)
    )
    rename = selectors.restructuring_list(actor=world.province_admin).filter(kind="RENAME")
    assert rename.count() == 1
    assert not selectors.restructuring_list(actor=world.commune_staff).filter(kind="RENAME").exists()
