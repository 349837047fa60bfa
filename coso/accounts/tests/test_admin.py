"""The Django admin works for superusers on the accounts models; the access log cannot be altered there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coso.accounts.models import AccessLog, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(world):
    return User.objects.create_superuser("root", "root@example.vn", "matkhau-rat-dai-123")


@pytest.mark.parametrize("model", ["user", "rolegrant", "apitoken", "accesslog"])
def test_each_accounts_admin_list_opens_for_a_superuser(client, superuser, model):
    client.force_login(superuser)
    assert client.get(reverse(f"admin:accounts_{model}_changelist")).status_code == 200


def test_a_user_page_shows_the_grants_inline(client, superuser, world):
    client.force_login(superuser)
    page = client.get(reverse("admin:accounts_user_change", args=[world.secretary_a.pk])).content.decode()
    assert "Chi bộ khu vực 1" in page


def test_the_access_log_cannot_be_changed_or_deleted_in_the_admin(client, superuser, world):
    entry = AccessLog.objects.create(
        user=world.commune_staff, action="member.view", object_type="x", object_id="1"
    )
    client.force_login(superuser)
    assert (
        client.post(reverse("admin:accounts_accesslog_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert AccessLog.objects.filter(pk=entry.pk).exists()


def test_non_superusers_cannot_open_the_admin(client, world):
    client.force_login(world.province_admin)
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302
