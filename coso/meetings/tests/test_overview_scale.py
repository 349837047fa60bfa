"""The cells overview at scale: a page of cells at a time, a "not met yet" tab, figures that add up with the
rows, and the home panel's figures from counting queries."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse

from coso.accounts.permissions import SYSTEM
from coso.meetings import panels, selectors, services
from coso.meetings.tests.conftest import TZ
from coso.testing.factories import make_member, make_org

TODAY = dt.date(2026, 6, 10)


def _cells(world, n, *, held_every: int = 3, prefix: str = "Y"):
    """n more cells under commune 1; one in `held_every` holds its June meeting (before today)."""
    for i in range(n):
        cell = make_org(name=f"Chi bộ thêm {prefix}{i:03d}", parent=world.commune, code=f"{prefix}{i:03d}")
        make_member(cell)
        if i % held_every == 0:
            meeting = services.meeting_schedule(
                actor=SYSTEM, organization=cell, starts_at=dt.datetime(2026, 6, 1 + i % 8, 8, tzinfo=TZ)
            )
            services.meeting_mark_held(actor=SYSTEM, meeting=meeting)


def rows(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<tr data-cell="([^"]+)" data-met="([01])">', html)


def test_the_overview_pages_through_the_cells_and_its_figures_add_up(client, world):
    _cells(world, 70)
    client.force_login(world.commune_staff)
    url = reverse("meetings:overview") + f"?org={world.commune.pk}"
    first = client.get(url).content.decode()
    seen = rows(first)
    assert len(seen) == 50
    link = re.search(r'<a class="page-link" href="([^"]*page=2[^"]*)"', first)
    assert link
    second = client.get(reverse("meetings:overview") + link.group(1).replace("&amp;", "&")).content.decode()
    seen += rows(second)
    summary = selectors.overview_summary(actor=world.commune_staff, org=world.commune, today=TODAY)
    assert len({code for code, _ in seen}) == len(seen) == summary.cells
    not_met = sum(1 for _, met in seen if met == "0")
    assert summary.not_met == not_met
    assert f'<strong class="text-danger">{not_met}</strong> / {summary.cells}' in first


def test_the_not_met_tab_lists_only_the_cells_that_have_not_met(client, world):
    _cells(world, 12)
    client.force_login(world.commune_staff)
    html = client.get(reverse("meetings:overview") + f"?org={world.commune.pk}").content.decode()
    tab = re.search(r'href="([^"]*show=not_met[^"]*)"', html).group(1).replace("&amp;", "&")
    filtered = rows(client.get(reverse("meetings:overview") + tab).content.decode())
    everything = rows(html)
    assert filtered and all(met == "0" for _, met in filtered)
    assert {c for c, m in everything if m == "0"} == {c for c, _ in filtered}
    assert len(filtered) < len(everything)


def test_the_overview_costs_the_same_queries_with_many_more_cells(
    client, world, django_assert_max_num_queries
):
    _cells(world, 3)
    client.force_login(world.commune_staff)
    url = reverse("meetings:overview") + f"?org={world.commune.pk}"
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _cells(world, 60, prefix="Z")
    with django_assert_max_num_queries(len(small)):
        html = client.get(url).content.decode()
    assert len(rows(html)) == 50


def test_the_home_panel_counts_every_cell_and_shows_the_first_not_met(world):
    _cells(world, 30)
    (panel,) = panels.committee_not_met(type("Request", (), {"user": world.commune_staff})(), TODAY)
    all_rows = selectors.overview(actor=world.commune_staff, org=world.commune, today=TODAY)
    assert panel.context["total"] == len(all_rows)
    assert panel.context["count"] == sum(1 for r in all_rows if not r.met)
    assert [r.cell for r in panel.context["not_met"]] == [r.cell for r in all_rows if not r.met][
        : panels.SHOWN
    ]
