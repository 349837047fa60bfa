"""Shared personas for every test: a small tree and one user per role.

Tree: province P ─┬─ commune C1 ─┬─ cell A
                  │              └─ cell B
                  └─ commune C2 ─── cell D
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from coso.accounts.models import Role
from coso.orgs.models import OrgKind
from coso.testing.factories import make_member, make_org, make_user

# One Playwright session for every browser test, wherever it lives.
pytest_plugins = ["coso.testing.browser_fixtures"]


@dataclass
class World:
    province: object
    commune: object
    commune2: object
    cell_a: object
    cell_b: object
    cell_d: object
    member_a_record: object
    other_a_record: object
    member_b_record: object
    member_d_record: object
    province_admin: object
    commune_staff: object
    commune_leader: object
    secretary_a: object
    member_a: object
    secretary_b: object


@pytest.fixture
def world(db) -> World:
    province = make_org(name="Đảng bộ tỉnh Hậu Giang", kind=OrgKind.PROVINCIAL, code="P")
    commune = make_org(
        name="Đảng bộ phường Vị Tân",
        kind=OrgKind.GRASSROOTS_COMMITTEE,
        parent=province,
        code="C1",
        residential=True,
    )
    commune2 = make_org(
        name="Đảng bộ xã Vị Thanh",
        kind=OrgKind.GRASSROOTS_COMMITTEE,
        parent=province,
        code="C2",
        residential=True,
    )
    cell_a = make_org(name="Chi bộ khu vực 1", kind=OrgKind.CELL, parent=commune, code="A", residential=True)
    cell_b = make_org(name="Chi bộ khu vực 2", kind=OrgKind.CELL, parent=commune, code="B", residential=True)
    cell_d = make_org(name="Chi bộ ấp 3", kind=OrgKind.CELL, parent=commune2, code="D", residential=True)
    member_a_record = make_member(cell_a, full_name="Nguyễn Thị Hoà")
    other_a_record = make_member(cell_a, full_name="Trần Văn An")
    member_b_record = make_member(cell_b, full_name="Lê Văn Bình")
    member_d_record = make_member(cell_d, full_name="Phạm Văn Dũng")
    return World(
        province=province,
        commune=commune,
        commune2=commune2,
        cell_a=cell_a,
        cell_b=cell_b,
        cell_d=cell_d,
        member_a_record=member_a_record,
        other_a_record=other_a_record,
        member_b_record=member_b_record,
        member_d_record=member_d_record,
        province_admin=make_user("province_admin", role=Role.SYSTEM_ADMIN, organization=province),
        commune_staff=make_user("commune_staff", role=Role.COMMITTEE_STAFF, organization=commune),
        commune_leader=make_user("commune_leader", role=Role.COMMITTEE_LEADER, organization=commune),
        secretary_a=make_user("secretary_a", role=Role.CELL_SECRETARY, organization=cell_a),
        member_a=make_user("member_a", role=Role.MEMBER, organization=cell_a, member=member_a_record),
        secretary_b=make_user("secretary_b", role=Role.CELL_SECRETARY, organization=cell_b),
    )


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
