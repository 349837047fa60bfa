"""The member list's total comes from the kept counts when only scope, organization and status filter it, and it
is the same number an exact count gives, on the page and in the API."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from coso.accounts.permissions import SYSTEM
from coso.members import selectors
from coso.members.models import EventKind
from coso.members.selectors import MemberFilters
from coso.members.services import member_record_event
from coso.testing.factories import make_member


@pytest.fixture
def crowd(world):
    for n in range(6):
        member = make_member(world.cell_a if n % 2 else world.cell_d)
        if n % 3 == 0:
            member_record_event(
                actor=SYSTEM, member=member, kind=EventKind.EXEMPTION, occurred_on=dt.date(2026, 1, 5)
            )
    return world


@pytest.mark.parametrize(
    "filters",
    [
        MemberFilters(),
        MemberFilters(status="all"),
        MemberFilters(status="EXEMPT"),
        MemberFilters(status="FULL"),
    ],
)
def test_the_kept_count_is_the_exact_count(crowd, filters):
    for actor in (crowd.province_admin, crowd.commune_staff, crowd.secretary_a):
        for org in (None, crowd.commune, crowd.cell_a):
            filters.organization = org
            exact = selectors.member_list(actor=actor, filters=filters).count()
            assert selectors.member_list_count(actor=actor, filters=filters) == exact


def test_other_filters_count_exactly(crowd):
    assert selectors.member_list_count(actor=crowd.province_admin, filters=MemberFilters(q="nguyen")) is None
    assert (
        selectors.member_list_count(actor=crowd.province_admin, filters=MemberFilters(age_band="lt30"))
        is None
    )


def test_the_page_and_the_api_say_the_same_total_without_counting_rows(
    client, crowd, django_assert_max_num_queries
):
    client.force_login(crowd.province_admin)
    exact = selectors.member_list(actor=crowd.province_admin).count()
    html = client.get(reverse("members:list")).content.decode()
    assert re.search(rf"\b{exact}\b", html)
    body = client.get(reverse("api:member_list")).json()
    assert body["count"] == exact == len(body["results"])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("api:member_list"))
    counted = [
        q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"] and "members_member" in q["sql"]
    ]
    assert counted == []


def test_a_large_province_total_is_kept_a_moment_and_a_communes_is_not(crowd, monkeypatch):
    """Issue 10 §6: a root-level total of LARGE_COUNT members or more is not summed again on every page."""
    from django.core.cache import cache

    from coso.accounts.models import User

    monkeypatch.setattr(selectors, "LARGE_COUNT", 3)
    cache.clear()
    try:
        admin = User.objects.get(pk=crowd.province_admin.pk)
        before = selectors.member_list_count(actor=admin)
        make_member(crowd.cell_a)
        admin = User.objects.get(pk=crowd.province_admin.pk)
        assert selectors.member_list_count(actor=admin) == before  # kept
        staff = User.objects.get(pk=crowd.commune_staff.pk)
        commune_before = selectors.member_list_count(actor=staff)
        make_member(crowd.cell_a)
        assert selectors.member_list_count(actor=User.objects.get(pk=staff.pk)) == commune_before + 1
        cache.clear()
        assert selectors.member_list_count(actor=User.objects.get(pk=admin.pk)) == before + 2

        monkeypatch.setattr(selectors, "LARGE_COUNT", 10_000)
        cache.clear()
        small = selectors.member_list_count(actor=User.objects.get(pk=admin.pk))
        make_member(crowd.cell_a)
        assert selectors.member_list_count(actor=User.objects.get(pk=admin.pk)) == small + 1  # small: exact
    finally:
        cache.clear()
