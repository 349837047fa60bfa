"""A scope that holds the whole tree filters without joining the organizations (issue 10: a province
administrator's lists and counts otherwise join 200,000 members to 8,000 organizations), and gives the same rows."""

import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coso.accounts import permissions
from coso.accounts.models import User
from coso.members.models import Member
from coso.orgs.models import Committee, OrgKind
from coso.testing.factories import make_member, make_org, make_user

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as the next request loads it (grants and roots are cached per request on the object)."""
    return User.objects.get(pk=user.pk)


def test_the_whole_tree_is_filtered_without_joining_the_organizations(world):
    admin = fresh(world.province_admin)
    qs = Member.objects.filter(permissions.scope_q(admin, "members.view", field="organization__path"))
    assert "orgs_organization" not in str(qs.query)
    assert set(qs) == set(Member.objects.all())


def test_a_second_root_brings_the_path_filter_back(world):
    other_province = make_org(name="Đảng bộ tỉnh khác", kind=OrgKind.PROVINCIAL, code="P2")
    outside = make_member(make_org(kind=OrgKind.GRASSROOTS_CELL, parent=other_province, code="X"))
    admin = fresh(world.province_admin)
    assert not permissions.covers_whole_tree(admin, permissions.scope_paths(admin, "members.view"))
    qs = Member.objects.filter(permissions.scope_q(admin, "members.view", field="organization__path"))
    assert "orgs_organization" in str(qs.query)
    assert outside not in set(qs)
    assert set(qs) == set(Member.objects.exclude(pk=outside.pk))


def test_grants_on_every_root_cover_the_whole_tree(world):
    other_province = make_org(name="Đảng bộ tỉnh khác", kind=OrgKind.PROVINCIAL, code="P2")
    both = make_user("both_provinces", role="SYSTEM_ADMIN", organization=world.province)
    both.grants.create(organization=other_province, role="SYSTEM_ADMIN")
    both = fresh(both)
    assert permissions.covers_whole_tree(both, permissions.scope_paths(both, "orgs.view"))


def test_an_empty_first_relation_still_leaves_the_row_out(world):
    """Users without a member record have no organization: outside every scope, the whole tree's too."""
    admin = fresh(world.province_admin)
    qs = User.objects.filter(permissions.scope_q(admin, "orgs.view", field="member__organization__path"))
    assert "orgs_organization" not in str(qs.query)
    assert set(qs) == set(User.objects.filter(member__isnull=False))
    assert admin not in set(qs)  # the administrator's account has no member record


def test_users_below_the_roots_never_read_the_roots(world):
    staff = fresh(world.commune_staff)
    with CaptureQueriesContext(connection) as captured:
        permissions.scope_q(staff, "members.view", field="organization__path")
    assert len(captured) == 1  # the grants
    assert "orgs_organization" in str(
        Member.objects.filter(permissions.scope_q(staff, "members.view", field="organization__path")).query
    )


def test_relations_after_the_first_are_required_where_scopes_go_through_them():
    """`_present_q` tests only the first relation of a path: the later ones must never be empty."""
    source = Path(permissions.__file__).resolve().parents[1]
    used = set()
    for path in source.rglob("*.py"):
        if "tests" in path.parts:
            continue
        used.update(re.findall(r'field="([a-z_]+__[a-z_]+__path)"', path.read_text(encoding="utf-8")))
    assert used, "the scan found no multi-relation scope fields: the pattern is stale"
    required = {
        "member__organization__path": Member._meta.get_field("organization"),
        "committee__organization__path": Committee._meta.get_field("organization"),
    }
    assert used <= set(required), f"new multi-relation scope fields to check: {used - set(required)}"
    assert not any(field.null for field in required.values())
