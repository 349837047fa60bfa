"""The home page's structural warnings at scale: the summary says what structure_warnings says, organization by
organization, in the same few queries whatever the size of the tree."""

from __future__ import annotations

from coso.orgs import selectors
from coso.orgs.models import Organization, OrgKind, OrgStatus
from coso.testing.factories import make_member, make_org


def _expected(scope):
    orgs = list(scope.filter(status=OrgStatus.ACTIVE).order_by("path"))
    bulk = selectors.structure_warnings_bulk(orgs)
    return [(o, bulk[o.pk]) for o in orgs if bulk[o.pk]]


def test_the_summary_agrees_with_the_warnings_of_each_organization(world, seats):
    ward = make_org(name="Đảng bộ phường Mới", kind=OrgKind.GRASSROOTS_COMMITTEE, parent=world.province)
    for n in range(3):
        cell = make_org(name=f"Chi bộ mới {n}", parent=ward)
        for _ in range(n * 4):
            make_member(cell)
    make_org(name="Đảng bộ trống", kind=OrgKind.GRASSROOTS_COMMITTEE, parent=world.province)
    scope = Organization.objects.all()
    expected = _expected(scope)
    summary = selectors.structure_warning_summary(scope, limit=3)
    assert summary.count == len(expected) > 3
    assert [(o.pk, [w.code for w in ws]) for o, ws in summary.first] == [
        (o.pk, [w.code for w in ws]) for o, ws in expected[:3]
    ]
    everything = selectors.structure_warning_summary(scope, limit=1000)
    assert [(o.pk, [w.message for w in ws]) for o, ws in everything.first] == [
        (o.pk, [w.message for w in ws]) for o, ws in expected
    ]
    totals = selectors.member_counts([world.province])[world.province.pk]
    assert everything.counts == totals


def test_the_summary_costs_the_same_queries_with_many_more_organizations(world, django_assert_num_queries):
    scope = Organization.objects.all()
    with django_assert_num_queries(4):
        small = selectors.structure_warning_summary(scope)
    for n in range(40):
        make_member(make_org(name=f"Chi bộ thêm {n}", parent=world.commune2))
    with django_assert_num_queries(4):
        large = selectors.structure_warning_summary(scope)
    assert large.count > small.count
