import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from coso.accounts import permissions
from coso.accounts.permissions import SYSTEM
from coso.members.models import Member
from coso.orgs.models import Organization

pytestmark = pytest.mark.django_db


def visible_codes(user):
    return set(
        Organization.objects.filter(permissions.scope_q(user, "orgs.view")).values_list("code", flat=True)
    )


def test_a_grant_covers_the_whole_subtree(world):
    assert visible_codes(world.commune_staff) == {"C1", "A", "B"}
    assert visible_codes(world.province_admin) == {"P", "C1", "C2", "A", "B", "D"}


def test_a_cell_secretary_sees_only_their_cell(world):
    assert visible_codes(world.secretary_a) == {"A"}
    assert visible_codes(world.secretary_b) == {"B"}


def test_a_user_without_grants_sees_nothing(world, django_user_model):
    nobody = django_user_model.objects.create(username="nobody")
    assert visible_codes(nobody) == set()


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert visible_codes(AnonymousUser()) == set()


def test_outsider_gets_404_and_too_low_role_gets_403(world):
    with pytest.raises(Http404):
        permissions.authorize(world.secretary_b, "members.change", world.cell_a.path)
    with pytest.raises(PermissionDenied):
        permissions.authorize(world.secretary_a, "members.change", world.cell_a.path)
    permissions.authorize(world.commune_staff, "members.change", world.cell_a.path)


def test_sibling_path_prefix_is_not_inside_the_subtree(world):
    # "0001.0001" must not cover "0001.00011": the scope matches the path itself or path + "."
    assert not permissions.path_in_scope(world.cell_a.path + "1", [world.cell_a.path])
    assert permissions.path_in_scope(world.cell_a.path + ".0001", [world.cell_a.path])


def test_personal_data_is_for_the_member_and_the_roles_that_need_it(world):
    record = world.other_a_record
    assert permissions.can_view_member_personal(
        world.secretary_a, member_id=record.pk, path=world.cell_a.path
    )
    assert not permissions.can_view_member_personal(
        world.member_a, member_id=record.pk, path=world.cell_a.path
    )
    own = world.member_a_record
    assert permissions.can_view_member_personal(world.member_a, member_id=own.pk, path=world.cell_a.path)


def test_member_scope_filters_members_by_organization_path(world):
    qs = Member.objects.filter(
        permissions.scope_q(world.secretary_a, "members.view", field="organization__path")
    )
    assert set(qs.values_list("full_name", flat=True)) == {"Nguyễn Thị Hoà", "Trần Văn An"}


def test_the_system_actor_is_everywhere(world):
    assert permissions.scope_paths(SYSTEM, "members.change") is None
