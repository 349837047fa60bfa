"""A province's meeting list reads its first page through the list-order index (issue 10: 100,000 meetings
were sorted on disk for 25 of them)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from coso.accounts.models import User
from coso.accounts.permissions import SYSTEM
from coso.meetings import selectors, services

pytestmark = pytest.mark.django_db


def test_the_list_order_has_its_index():
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, "meetings_meeting")
    assert found["meeting_list_order"]["columns"] == ["starts_at", "id"]
    if connection.vendor == "postgresql":
        assert found["meeting_list_order"]["orders"] == ["DESC", "ASC"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans")
def test_the_province_list_walks_the_index_instead_of_sorting(world):
    for day in range(1, 6):
        services.meeting_schedule(
            actor=SYSTEM,
            organization=world.cell_a,
            starts_at=timezone.make_aware(dt.datetime(2026, 3, day, 8, 0)),
            place="Hội trường",
        )
    admin = User.objects.get(pk=world.province_admin.pk)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is tiny
        cursor.execute("SET LOCAL enable_sort = off")
    plan = selectors.meeting_list(actor=admin)[:25].explain()
    assert "meeting_list_order" in plan, plan
