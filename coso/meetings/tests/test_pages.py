"""The meetings pages render for the roles that use them and do what their buttons say."""

from __future__ import annotations

from django.urls import reverse

from coso.meetings.models import Attendance, MeetingStatus


def test_secretary_walks_through_a_meeting(client, world, meeting_a):
    client.force_login(world.secretary_a)
    assert client.get(reverse("meetings:list")).status_code == 200
    page = client.get(reverse("meetings:detail", args=[meeting_a.pk]))
    assert page.status_code == 200
    assert "Thông tin thời sự" in page.content.decode()
    response = client.post(reverse("meetings:publish", args=[meeting_a.pk]), {"version": meeting_a.version})
    assert response.status_code == 302
    meeting_a.refresh_from_db()
    assert meeting_a.status == MeetingStatus.PUBLISHED
    client.post(reverse("meetings:hold", args=[meeting_a.pk]), {"version": meeting_a.version})
    page = client.get(reverse("meetings:attendance", args=[meeting_a.pk]))
    assert page.status_code == 200
    url = reverse("meetings:attendance_mark", args=[meeting_a.pk, world.member_a_record.pk])
    response = client.post(url, {"status": "PRESENT"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="figures" hx-swap-oob="true"' in response.content.decode()
    assert Attendance.objects.get(meeting=meeting_a, member=world.member_a_record).status == "PRESENT"
    page = client.get(reverse("meetings:minutes", args=[meeting_a.pk]))
    assert page.status_code == 200
    assert client.get(reverse("meetings:minutes_docx", args=[meeting_a.pk])).status_code == 200


def test_other_pages_render(client, world, meeting_a):
    client.force_login(world.commune_staff)
    for name in ("overview", "escalations", "topics", "rotation_list", "rotation_create", "feed_settings"):
        assert client.get(reverse(f"meetings:{name}")).status_code == 200, name
    response = client.get(reverse("meetings:calendar") + f"?org={world.cell_a.pk}")
    assert response.status_code == 200
    assert client.get(reverse("core:home")).status_code == 200
    client.force_login(world.member_a)
    assert client.get(reverse("core:home")).status_code == 200
    assert client.get(reverse("members:detail", args=[world.member_a_record.pk])).status_code == 200
    client.force_login(world.secretary_a)
    assert client.get(reverse("core:home")).status_code == 200
