"""The menu's addresses are reversed once per prefix the site is served under (coso.core.context_processors)."""

import re

import pytest
from django.test.utils import override_script_prefix
from django.urls import reverse

from coso.core.context_processors import MENU_PAGES

pytestmark = pytest.mark.django_db


def test_every_menu_link_is_its_page_and_follows_the_served_prefix(client, world):
    world.province_admin.is_superuser = True  # the admin link too
    world.province_admin.member = world.member_d_record  # and their own follow-through plan
    world.province_admin.save()
    client.force_login(world.province_admin)
    plain = client.get(reverse("members:list")).content.decode()
    for name in MENU_PAGES:
        assert f'"{reverse(name)}"' in plain, name
    assert not re.search(r'(href|action)=""', plain)
    with override_script_prefix("/coso/"):
        prefixed = client.get("/members/").content.decode()
    assert 'href="/coso/members/"' in prefixed
    assert 'href="/members/"' not in prefixed
