"""Fixtures for the accounts tests: an account that holds no role, and access-log rows across the tree."""

from __future__ import annotations

import pytest

from coso.accounts.models import AccessLog
from coso.testing.factories import make_user


@pytest.fixture
def new_account(world):
    """A user linked to the other member of cell A, with no role yet: visible to the offices above cell A."""
    return make_user("tran_van_an", member=world.other_a_record, first_name="Trần Văn An")


@pytest.fixture
def log_rows(world):
    """One access-log row about a record in cell A, one in cell D (commune C2)."""
    a = AccessLog.objects.create(
        user=world.commune_staff,
        action="member.view",
        object_type="members.member",
        object_id=str(world.other_a_record.pk),
        object_label=world.other_a_record.full_name,
        organization_path=world.cell_a.path,
        ip_address="10.0.0.1",
    )
    d = AccessLog.objects.create(
        user=world.province_admin,
        action="member.view",
        object_type="members.member",
        object_id=str(world.member_d_record.pk),
        object_label=world.member_d_record.full_name,
        organization_path=world.cell_d.path,
    )
    return a, d
