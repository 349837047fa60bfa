"""Notifications: sent in each recipient's language, once per key, e-mailed after commit, private to the recipient."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from coso.notifications import services
from coso.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_each_recipient_reads_the_notification_in_their_own_language(world):
    world.member_a.language = "en"
    world.member_a.save(update_fields=["language"])
    services.notify(
        recipients=[world.member_a, world.secretary_a],
        kind="test.hello",
        title=_("Notifications"),
        email=False,
    )
    assert Notification.objects.get(recipient=world.member_a).title == "Notifications"
    assert Notification.objects.get(recipient=world.secretary_a).title == "Thông báo"


def test_placeholders_are_filled_in_the_recipients_language(world):
    title = format_lazy("{} · {}", _("Notifications"), "Chi bộ khu vực 1")
    services.notify(recipients=[world.secretary_a], kind="test.format", title=title, email=False)
    assert Notification.objects.get(recipient=world.secretary_a).title == "Thông báo · Chi bộ khu vực 1"


def test_duplicates_and_inactive_users_are_skipped(world):
    world.secretary_b.is_active = False
    world.secretary_b.save(update_fields=["is_active"])
    created = services.notify(
        recipients=[world.member_a, world.member_a, world.secretary_b, None],
        kind="test.x",
        title="x",
        email=False,
    )
    assert [n.recipient_id for n in created] == [world.member_a.pk]


def test_a_dedupe_key_sends_one_notification_per_user_however_often_it_runs(world):
    for _attempt in range(3):
        services.notify(
            recipients=[world.member_a, world.secretary_a],
            kind="test.reminder",
            title="Nhắc họp",
            dedupe_key="meeting-1-reminder",
            email=False,
        )
    assert Notification.objects.filter(dedupe_key="meeting-1-reminder").count() == 2


def test_the_email_copy_goes_out_after_commit_to_users_with_an_address(
    world, django_capture_on_commit_callbacks
):
    world.member_a.email = "hoa@example.vn"
    world.member_a.save(update_fields=["email"])
    world.secretary_a.email = ""
    world.secretary_a.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipients=[world.member_a, world.secretary_a], kind="test.mail", title="Họp chi bộ", url="/x/"
        )
    assert [message.to for message in mail.outbox] == [["hoa@example.vn"]]
    assert mail.outbox[0].subject == "Họp chi bộ"
    assert "/x/" in mail.outbox[0].body
    assert Notification.objects.get(recipient=world.member_a).emailed_at is not None
    assert Notification.objects.get(recipient=world.secretary_a).emailed_at is None


def test_the_email_task_never_sends_twice(world):
    from coso.notifications.tasks import notifications_email

    world.member_a.email = "hoa@example.vn"
    world.member_a.save(update_fields=["email"])
    [notification] = services.notify(recipients=[world.member_a], kind="test.mail", title="x", email=False)
    assert notifications_email.call([notification.pk]) == 1
    assert notifications_email.call([notification.pk]) == 0
    assert len(mail.outbox) == 1


def test_the_inbox_lists_only_my_notifications_and_opening_one_marks_it_read(client, world):
    services.notify(recipients=[world.member_a], kind="test.a", title="Của tôi", url="/members/", email=False)
    services.notify(recipients=[world.secretary_b], kind="test.b", title="Của người khác", email=False)
    client.force_login(world.member_a)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Của tôi" in page
    assert "Của người khác" not in page
    mine = Notification.objects.get(recipient=world.member_a)
    response = client.get(reverse("notifications:open", args=[mine.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/members/"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_someone_elses_notification_is_a_404(client, world):
    [other] = services.notify(recipients=[world.secretary_b], kind="test.b", title="x", email=False)
    client.force_login(world.member_a)
    assert client.get(reverse("notifications:open", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_an_external_link_is_not_followed(client, world):
    [note] = services.notify(
        recipients=[world.member_a], kind="test.a", title="x", url="https://evil.example/", email=False
    )
    client.force_login(world.member_a)
    response = client.get(reverse("notifications:open", args=[note.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_mark_all_read_touches_only_my_notifications(client, world):
    services.notify(recipients=[world.member_a, world.secretary_b], kind="test.a", title="x", email=False)
    client.force_login(world.member_a)
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient=world.member_a, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=world.secretary_b, read_at__isnull=True).exists()


def test_the_menu_bell_shows_the_unread_count(client, world):
    services.notify(recipients=[world.member_a], kind="test.a", title="một", email=False)
    services.notify(recipients=[world.member_a], kind="test.b", title="hai", email=False)
    client.force_login(world.member_a)
    page = client.get(reverse("notifications:list")).content.decode()
    bell = page[page.index('data-testid="notifications-bell"') :][:400]
    assert ">2<" in bell


def test_the_home_page_shows_the_latest_unread_notifications(client, world):
    services.notify(recipients=[world.member_a], kind="test.a", title="Họp chi bộ tháng 12", email=False)
    client.force_login(world.member_a)
    page = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="home-notifications"' in page
    assert "Họp chi bộ tháng 12" in page
    client.force_login(world.secretary_a)
    assert 'data-testid="home-notifications"' not in client.get(reverse("core:home")).content.decode()


def test_the_inbox_runs_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    for index in range(40):
        services.notify(recipients=[world.member_a], kind="test.a", title=f"n{index}", email=False)
    client.force_login(world.member_a)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("notifications:list")).status_code == 200


def test_the_api_lists_and_marks_my_notifications(client, world):
    [mine] = services.notify(recipients=[world.member_a], kind="test.a", title="x", email=False)
    services.notify(recipients=[world.secretary_b], kind="test.b", title="y", email=False)
    client.force_login(world.member_a)
    body = client.get("/api/v1/notifications/").json()
    assert body["count"] == 1 and body["unread"] == 1
    assert [row["id"] for row in body["results"]] == [mine.pk]
    assert client.post(f"/api/v1/notifications/{mine.pk}/read").json()["read_at"] is not None
    assert client.get("/api/v1/notifications/?unread=true").json()["count"] == 0
