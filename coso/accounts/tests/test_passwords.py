"""Changing one's password, and resetting a forgotten one by e-mail (issue 9 §8): Vietnamese pages and mail,
a link that works once, the same answer whether or not an account has the address, and a rate limit."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from coso.accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "matkhau-thu-nghiem-1"
NEW = "Mật-khẩu-mới-dài-2027"


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()  # the rate-limit counts (the database table, or Redis when configured)
    yield
    cache.clear()


@pytest.fixture
def with_email(world):
    world.secretary_a.email = "bithu.a@example.vn"
    world.secretary_a.save()
    return world.secretary_a


def test_the_login_page_offers_the_reset_and_the_menu_the_change(client, world):
    login = client.get(reverse("accounts:login")).content.decode()
    assert "Quên mật khẩu?" in login and reverse("accounts:password_reset") in login
    client.force_login(world.member_a)
    home = client.get(reverse("core:home")).content.decode()
    assert "Đổi mật khẩu" in home and reverse("accounts:password_change") in home


def test_changing_the_password_needs_the_old_one_and_never_echoes_it(client, world):
    client.force_login(world.member_a)
    url = reverse("accounts:password_change")
    response = client.post(url, {"old_password": "sai-roi", "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    body = response.content.decode()
    assert "sai-roi" not in body and NEW not in body
    assert "Mật khẩu cũ không chính xác" in body  # Django's own message, in Vietnamese
    response = client.post(url, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change_done")
    done = client.get(response["Location"])  # still logged in: the session follows the new password
    assert done.status_code == 200 and "Mật khẩu đã được thay đổi" in done.content.decode()
    world.member_a.refresh_from_db()
    assert world.member_a.check_password(NEW) and not world.member_a.check_password(PASSWORD)


def test_a_weak_new_password_is_refused_in_vietnamese(client, world):
    client.force_login(world.member_a)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"},
    )
    assert response.status_code == 200 and response.context["form"].errors["new_password2"]
    world.member_a.refresh_from_db()
    assert world.member_a.check_password(PASSWORD)


def _reset_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/[^\s]+/)", message.body).group(1)


def test_a_forgotten_password_is_reset_by_a_vietnamese_mail_and_the_link_works_once(client, with_email):
    response = client.post(reverse("accounts:password_reset"), {"email": "BiThu.A@example.vn"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bithu.a@example.vn"]
    assert "mật khẩu" in message.subject and "secretary_a" in message.body and "Xin chào" in message.body
    link = _reset_link(message)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and "new_password1" in form_page.context["form"].fields
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == reverse("accounts:password_reset_complete")
    login = Client().post(reverse("accounts:login"), {"username": "secretary_a", "password": NEW})
    assert login.status_code == 302 and login["Location"] == reverse("core:home")
    again = client.get(link, follow=True)
    assert 'data-testid="invalid-link"' in again.content.decode()
    assert "không còn hiệu lực" in again.content.decode()


def test_the_answer_does_not_tell_whether_an_account_exists(client, with_email):
    known = client.post(reverse("accounts:password_reset"), {"email": "bithu.a@example.vn"})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "ai.do@example.vn"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1  # only the real account got a mail
    page = client.get(unknown["Location"]).content.decode()
    assert "Nếu địa chỉ này thuộc về một tài khoản" in page


def test_an_inactive_account_gets_no_mail(client, with_email):
    User.objects.filter(pk=with_email.pk).update(is_active=False)
    response = client.post(reverse("accounts:password_reset"), {"email": "bithu.a@example.vn"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_reset_requests_are_rate_limited_per_client(client, with_email, settings):
    from coso.accounts import views

    limit = int(views.PASSWORD_RESET_RATE.split("/")[0])
    for number in range(limit):
        response = client.post(reverse("accounts:password_reset"), {"email": f"nguoi{number}@example.vn"})
        assert response.status_code == 302
    response = client.post(reverse("accounts:password_reset"), {"email": "bithu.a@example.vn"})
    assert response.status_code == 429
    assert "Quá nhiều yêu cầu" in response.content.decode()
    assert response.context["form"]["email"].value() == "bithu.a@example.vn"
    assert mail.outbox == []


def test_reset_requests_for_one_address_are_limited_from_any_client(with_email):
    from coso.accounts import views

    limit = int(views.PASSWORD_RESET_RATE.split("/")[0])
    for number in range(limit):
        # Changing the case or adding spaces does not open a new bucket for the same mailbox.
        address = "bithu.a@example.vn" if number % 2 else " BiThu.A@Example.VN "
        response = Client(REMOTE_ADDR=f"198.51.100.{number}").post(
            reverse("accounts:password_reset"), {"email": address}
        )
        assert response.status_code == 302
    response = Client(REMOTE_ADDR="203.0.113.50").post(
        reverse("accounts:password_reset"), {"email": "bithu.a@example.vn"}
    )
    assert response.status_code == 429
    assert len(mail.outbox) == limit


def test_the_django_admin_never_echoes_a_password_back(client, world):
    superuser = User.objects.create_superuser("quan_tri", password=PASSWORD)
    client.force_login(superuser)
    response = client.post(
        "/admin/accounts/user/add/",
        {"username": "moi", "password1": "Mot-mat-khau-dai-1", "password2": "Khac-mat-khau-dai-2"},
    )
    assert response.status_code == 200  # the form comes back with its error
    body = response.content.decode()
    assert 'value="moi"' in body
    assert "Mot-mat-khau-dai-1" not in body and "Khac-mat-khau-dai-2" not in body
