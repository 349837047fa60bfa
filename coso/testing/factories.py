"""Factories for test data (factory_boy), shared by every app's tests and the browser tests."""

from __future__ import annotations

import datetime as dt
import itertools

import factory

from coso.accounts.models import Role, RoleGrant, User
from coso.accounts.permissions import SYSTEM
from coso.members import services as member_services
from coso.members.models import Member
from coso.orgs import services as org_services
from coso.orgs.models import Organization, OrgKind

_codes = itertools.count(1)
_ids = itertools.count(1)

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
]
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Kim"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hòa",
    "Hùng",
    "Lan",
    "Linh",
    "Mai",
    "Nam",
    "Phúc",
    "Tâm",
]


def make_org(
    *,
    name: str | None = None,
    kind: str = OrgKind.CELL,
    parent: Organization | None = None,
    code: str | None = None,
    **extra,
) -> Organization:
    """Create an organization through the service, so the path is allocated as in production."""
    n = next(_codes)
    return org_services.organization_create(
        actor=SYSTEM,
        code=code or f"T{n:05d}",
        name=name or f"Chi bộ thử {n}",
        kind=kind,
        parent=parent,
        established_on=extra.pop("established_on", dt.date(2015, 1, 1)),
        **extra,
    )


def national_id_for(gender: str, born: dt.date, serial: int | None = None) -> str:
    century_digit = (born.year // 100 - 19) * 2 + (1 if gender == "F" else 0)
    serial = next(_ids) if serial is None else serial
    return f"093{century_digit}{born.year % 100:02d}{serial % 1_000_000:06d}"


def member_data(**overrides) -> dict:
    n = next(_ids)
    gender = overrides.get("gender", "M" if n % 2 else "F")
    born = overrides.get("date_of_birth", dt.date(1980 + n % 20, 1 + n % 12, 1 + n % 27))
    admitted = overrides.get("admitted_on", dt.date(born.year + 25, 3, 1))
    middle = (MIDDLE_M if gender == "M" else MIDDLE_F)[n % 5]
    data = {
        "full_name": f"{FAMILY[n % len(FAMILY)]} {middle} {GIVEN[n % len(GIVEN)]}",
        "gender": gender,
        "date_of_birth": born,
        "admitted_on": admitted,
        "full_member_on": dt.date(admitted.year + 1, admitted.month, admitted.day),
        "national_id": national_id_for(gender, born, n),
        "card_number": f"{93_000_000 + n}",
        "phone": f"09{n:08d}"[:10],
        "current_address": f"Số {n}, khu vực {n % 7 + 1}",
        "ethnicity": "Kinh",
        "education": "12/12",
        "theory_level": "ELEMENTARY",
        "occupation": "Cán bộ",
    }
    data.update(overrides)
    return data


def make_member(organization: Organization, **overrides) -> Member:
    return member_services.member_create(
        actor=SYSTEM, organization=organization, data=member_data(**overrides)
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Người dùng"
    password = factory.django.Password("matkhau-thu-nghiem-1")


def make_user(
    username: str,
    *,
    role: str | None = None,
    organization: Organization | None = None,
    member: Member | None = None,
    **extra,
) -> User:
    user = UserFactory(username=username, member=member, **extra)
    if role and organization:
        RoleGrant.objects.create(user=user, organization=organization, role=role)
    return user


__all__ = ["make_org", "make_member", "make_user", "member_data", "national_id_for", "Role", "OrgKind"]
