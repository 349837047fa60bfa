"""The public start page at /, the reception calendar, the announced dialogues, and places named as citizens
know them (issue 8 §4)."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from coso.citizens.models import ActivityStatus, Dialogue, DialogueKind, ReceptionDay
from coso.citizens.places import place_name
from coso.testing.factories import make_member


def links(html: str) -> list[str]:
    return [
        h for h in re.findall(r'href="([^"]+)"', html) if h.startswith("/") and not h.startswith("/static/")
    ]


def test_an_anonymous_visitor_of_the_root_gets_the_public_start_page(client, world):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("citizens:portal", "citizens:track_lookup", "citizens:public_reception",
                 "citizens:transparency_index", "accounts:login"):  # fmt: skip
        assert f'href="{reverse(name)}"' in html, name
    assert "Quên mật khẩu" in html
    for href in links(html):  # every link on the start page works for an anonymous visitor
        assert client.get(href).status_code == 200, href


def test_a_logged_in_user_keeps_the_home_page(client, world):
    client.force_login(world.commune_staff)
    response = client.get("/")
    assert response.status_code == 200 and 'data-testid="start-actions"' not in response.content.decode()


def test_the_login_page_still_says_dang_nhap(client, world):
    assert "Đăng nhập" in client.get(reverse("accounts:login")).content.decode()


def test_the_reception_calendar_and_announced_dialogues_are_public(client, world):
    head = make_member(world.cell_a, full_name="Trần Văn Trưởng")
    soon = timezone.localdate() + dt.timedelta(days=5)
    ReceptionDay.objects.create(organization=world.commune, head=head, date=soon, place="Hội trường phường")
    ReceptionDay.objects.create(
        organization=world.commune, head=head, date=soon, place="Đã hủy", status=ActivityStatus.CANCELLED
    )
    Dialogue.objects.create(
        organization=world.commune,
        kind=DialogueKind.CITIZENS,
        topic="Giải phóng mặt bằng đường 3/2",
        date=soon,
    )
    Dialogue.objects.create(organization=world.commune, kind=DialogueKind.MEMBERS, topic="Nội bộ", date=soon)
    page = client.get(reverse("citizens:public_reception")).content.decode()
    assert "Trần Văn Trưởng" in page and "Hội trường phường" in page and "Đã hủy" not in page
    assert place_name(world.commune) in page
    filtered = client.get(
        reverse("citizens:public_reception"), {"commune": world.commune2.code}
    ).content.decode()
    assert "Hội trường phường" not in filtered
    dialogues = client.get(reverse("citizens:public_dialogues")).content.decode()
    assert "Giải phóng mặt bằng đường 3/2" in dialogues and "Nội bộ" not in dialogues


def test_places_are_named_as_citizens_know_them(client, world, roads):
    assert place_name("Đảng bộ phường I") == "Phường I"
    assert place_name("Chi bộ khu vực 1") == "Khu vực 1"
    page = client.get(reverse("citizens:portal")).content.decode()
    assert place_name(world.commune) in page and f">{world.commune.name}<" not in page
    form = client.get(reverse("citizens:portal"), {"commune": world.commune.code}).content.decode()
    assert f">{world.cell_a.name}<" not in form and place_name(world.cell_a) in form
