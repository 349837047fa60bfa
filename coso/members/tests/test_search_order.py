"""A search of several words finds its matches through the trigram index first (issue 10 §4), and the order of
the results stays the name order, ascending and descending, on both databases."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coso.accounts.permissions import SYSTEM
from coso.members.models import Member
from coso.members.selectors import MemberFilters, member_list
from coso.testing.factories import make_member

pytestmark = pytest.mark.django_db

NAMES = ["Nguyễn Thị Hoà", "Nguyễn Thị Hoa", "Trần Thị Hoà", "Nguyễn Văn Hoà", "Lê Thị Hoài", "Nguyễn Thị An"]


@pytest.fixture
def people(world):
    return [make_member(world.cell_b, full_name=name) for name in NAMES]


@pytest.mark.parametrize("sort", ["name", "-name", "org"])
def test_a_search_of_several_words_keeps_the_name_order(people, sort):
    with CaptureQueriesContext(connection) as captured:
        found = list(member_list(actor=SYSTEM, filters=MemberFilters(q="thi hoa", sort=sort)))
    expected = sorted(
        (m for m in Member.objects.all() if "thi" in m.name_folded and "hoa" in m.name_folded),
        key=lambda m: (m.organization.name_sort, m.name_sort, m.pk) if sort == "org" else (m.name_sort, m.pk),
        reverse=sort == "-name",
    )
    assert [m.full_name for m in found] == [m.full_name for m in expected]
    sql = captured.captured_queries[-1]["sql"]
    if connection.vendor == "postgresql":
        # The plain key would let PostgreSQL walk the name index past every non-matching member.
        assert 'ORDER BY "members_member"."name_sort"' not in sql, sql
    else:
        assert '"members_member"."name_sort"' in sql.split("ORDER BY")[1]


def test_one_word_keeps_the_plain_name_order(people):
    with CaptureQueriesContext(connection) as captured:
        found = list(member_list(actor=SYSTEM, filters=MemberFilters(q="hoa")))
    assert [m.full_name for m in found] == [
        m.full_name
        for m in sorted(
            (m for m in Member.objects.all() if "hoa" in m.name_folded), key=lambda m: (m.name_sort, m.pk)
        )
    ]
    assert 'ORDER BY "members_member"."name_sort"' in captured.captured_queries[-1]["sql"]
