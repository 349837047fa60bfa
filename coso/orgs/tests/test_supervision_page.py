"""The supervision page at province scale: paginated, filtered to one area, summed per area, bounded queries."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coso.orgs import selectors
from coso.testing.factories import make_org


def page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def shown_orgs(html: str) -> list[str]:
    return re.findall(r'<li class="list-group-item[^"]*" data-org="(\d+)"', html)


def test_unsupervised_organizations_come_a_page_at_a_time(client, world):
    for n in range(60):
        make_org(name=f"Chi bộ mới {n:02d}", parent=world.commune2)
    client.force_login(world.province_admin)
    first = page(client.get(reverse("orgs:supervision")))
    total = selectors.unsupervised_list(actor=world.province_admin).count()
    assert f"{total} tổ chức chưa có người phụ trách" in first
    assert len(shown_orgs(first)) == 50
    link = re.search(r'href="(\?page=2)#unsupervised"', first)
    assert link, "the page offers page 2"
    second = page(client.get(reverse("orgs:supervision") + link.group(1)))
    assert len(shown_orgs(second)) == total - 50
    assert not set(shown_orgs(first)) & set(shown_orgs(second))


def test_the_areas_sum_to_the_total_and_each_link_filters_to_its_area(client, world):
    client.force_login(world.province_admin)
    html = page(client.get(reverse("orgs:supervision")))
    areas = re.findall(
        r'<tr data-area="(\d+)"><td><a href="\?under=(\d+)">[^<]+</a></td><td class="text-end">(\d+)</td>',
        html,
    )
    assert {int(a) for a, _, _ in areas} == {world.commune.pk, world.commune2.pk}
    for _area, under, count in areas:
        filtered = page(client.get(reverse("orgs:supervision"), {"under": under}))
        assert len(shown_orgs(filtered)) == int(count)
        assert 'id="areas"' not in filtered and 'id="under"' in filtered
    unsupervised_below = selectors.unsupervised_list(actor=world.province_admin).exclude(pk=world.province.pk)
    assert sum(int(c) for _, _, c in areas) == unsupervised_below.count()


def test_a_filter_outside_the_scope_is_not_found(client, world):
    client.force_login(world.commune_staff)
    assert client.get(reverse("orgs:supervision"), {"under": world.commune2.pk}).status_code == 404


def test_the_page_costs_the_same_queries_with_many_more_cells(client, world, django_assert_max_num_queries):
    client.force_login(world.province_admin)
    client.get(reverse("orgs:supervision"))
    with CaptureQueriesContext(connection) as before:
        page(client.get(reverse("orgs:supervision")))
    for n in range(80):
        make_org(name=f"Chi bộ thêm {n}", parent=world.commune)
    with django_assert_max_num_queries(len(before)):
        html = page(client.get(reverse("orgs:supervision")))
    assert len(shown_orgs(html)) == 50
