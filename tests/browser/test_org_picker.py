"""The organization picker in a real browser: type part of a name, choose with the keyboard, submit."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from coso.accounts.permissions import SYSTEM
from coso.meetings import services as meeting_services
from coso.orgs import widgets
from coso.orgs.models import SupervisionAssignment
from coso.orgs.tests.test_matrix import commune_seat
from coso.testing.browser import DESKTOP, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def pickers_everywhere(monkeypatch):
    monkeypatch.setattr(widgets, "PICKER_THRESHOLD", 0)  # the test world is small: make every field a picker


def choose(page, field_id: str, typed: str, expected: str):
    field = page.locator(f"#{field_id}")
    field.click()
    field.press_sequentially(typed, delay=30)
    listbox = page.locator(f"#{field_id}_listbox")
    page.wait_for_timeout(300)  # the search waits for a pause in typing (delay:250ms)
    page.wait_for_load_state("networkidle")
    listbox.get_by_role("option", name=re.compile(expected)).wait_for()
    assert page.locator(f"#{field_id}").get_attribute("aria-expanded") == "true"
    options = listbox.get_by_role("option")
    names = options.all_inner_texts()
    index = next(i for i, text in enumerate(names) if expected in text)
    for _ in range(index + 1):
        field.press("ArrowDown")
    active = field.get_attribute("aria-activedescendant")
    assert active and expected in page.locator(f"#{active}").inner_text()
    field.press("Enter")
    page.wait_for_load_state("networkidle")  # a search sent on the last keystroke does not reopen the list
    assert field.input_value() == expected
    assert listbox.is_hidden()


def test_the_meetings_filter_picks_a_cell_with_the_keyboard(world, live_server, page_factory):
    start = timezone.make_aware(dt.datetime(2026, 11, 10, 8, 0))
    in_a = meeting_services.meeting_schedule(actor=SYSTEM, organization=world.cell_a, starts_at=start)
    in_b = meeting_services.meeting_schedule(actor=SYSTEM, organization=world.cell_b, starts_at=start)
    page = page_factory(DESKTOP)
    log_in(page, live_server, "province_admin")
    page.goto(f"{live_server.url}/meetings/")
    assert page.locator(f"[data-meeting='{in_a.pk}']").is_visible()
    assert page.locator("select[name=org]").count() == 0
    choose(page, "id_org", "khu vuc 2", "Chi bộ khu vực 2")
    # Choosing is a change of the filter form: htmx reloads the list and the address keeps the choice.
    page.wait_for_url(re.compile(rf"[?&]org={world.cell_b.pk}(&|$)"))
    page.locator(f"[data-meeting='{in_a.pk}']").wait_for(state="detached")
    assert page.locator(f"[data-meeting='{in_b.pk}']").is_visible()
    page.reload()
    assert page.locator("#id_org").input_value() == "Chi bộ khu vực 2"
    assert page.locator(f"[data-meeting='{in_a.pk}']").count() == 0


def test_the_supervision_form_assigns_the_picked_cell(world, live_server, page_factory):
    seat = commune_seat(world)
    page = page_factory(DESKTOP)
    log_in(page, live_server, "province_admin")
    page.goto(f"{live_server.url}/orgs/supervision/")
    choose(page, "id_organization", "khu vuc 2", "Chi bộ khu vực 2")
    assert world.commune.name in page.locator("#id_organization_hint").inner_text()
    page.select_option("#id_seat", str(seat.pk))
    page.fill("#id_starts_on", "2026-11-01")
    page.get_by_role("button", name="Phân công").click()
    page.wait_for_load_state("networkidle")
    assignment = SupervisionAssignment.objects.get()
    assert (assignment.organization, assignment.supervisor) == (world.cell_b, seat.member)
