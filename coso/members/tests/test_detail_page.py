"""The member page: the record, masking, periods, events, positions, change history and the access log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from coso.accounts.models import AccessLog
from coso.accounts.permissions import SYSTEM
from coso.members import services
from coso.members.models import EventKind
from coso.orgs.models import Committee, CommitteeKind, Position, PositionTitle, Term

pytestmark = pytest.mark.django_db


def url(member) -> str:
    return reverse("members:detail", args=[member.pk])


def view(client, user, member):
    client.force_login(user)
    return client.get(url(member))


def test_staff_sees_the_full_record_with_periods_events_and_history(client, world):
    member = world.other_a_record
    services.member_update(
        actor=world.commune_staff, member=member, data={"occupation": "Giáo viên"}, expected_version=1
    )
    services.member_transfer(
        actor=world.commune_staff,
        member=member,
        occurred_on=dt.date(2026, 1, 5),
        to_organization=world.cell_b,
        decision_number="15-QĐ/ĐU",
        issuing_body="Đảng ủy phường Vị Tân",
    )
    response = view(client, world.commune_staff, member)
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        member.full_name,
        member.national_id,
        member.phone,
        member.current_address,
        member.date_of_birth.strftime("%d/%m/%Y"),
        "Chi bộ khu vực 1",
        "Chi bộ khu vực 2",
        "05/01/2026",
        "15-QĐ/ĐU",
        "Đảng ủy phường Vị Tân",
        'id="history"',
        "Cán bộ → Giáo viên",
        "badge-status-FULL",
    ):
        assert text in body, text


def test_member_sees_own_full_record_and_it_is_logged(client, world):
    record = world.member_a_record
    response = view(client, world.member_a, record)
    body = response.content.decode()
    assert record.national_id in body and record.phone in body
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.object_id, log.organization_path) == (
        world.member_a,
        "member.view",
        str(record.pk),
        world.cell_a.path,
    )


def test_member_sees_another_members_record_masked_and_nothing_is_logged(client, world):
    other = world.other_a_record
    services.member_record_event(
        actor=SYSTEM,
        member=other,
        kind=EventKind.DISCIPLINE,
        occurred_on=dt.date(2025, 12, 1),
        discipline_form="REPRIMAND",
        decision_number="99-QĐ/KL",
    )
    response = view(client, world.member_a, other)
    assert response.status_code == 200
    body = response.content.decode()
    assert other.full_name in body
    for secret in (
        other.national_id,
        other.phone,
        other.current_address,
        other.date_of_birth.strftime("%d/%m/%Y"),
    ):
        assert secret not in body
    assert "99-QĐ/KL" not in body, "events (discipline) are part of the personal record"
    assert 'id="history"' not in body
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("persona", ["secretary_a", "commune_staff", "commune_leader", "province_admin"])
def test_every_unmasked_view_writes_an_access_log_row(client, world, persona):
    user = getattr(world, persona)
    view(client, user, world.other_a_record)
    view(client, user, world.other_a_record)
    rows = AccessLog.objects.filter(user=user, action="member.view", object_id=str(world.other_a_record.pk))
    assert rows.count() == 2
    assert rows.first().ip_address == "127.0.0.1"


def test_outsider_gets_404(client, world):
    assert view(client, world.secretary_b, world.other_a_record).status_code == 404
    assert not AccessLog.objects.exists()


def test_unknown_member_is_404(client, world):
    client.force_login(world.province_admin)
    assert client.get(reverse("members:detail", args=[999999])).status_code == 404


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(url(world.other_a_record))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_positions_held_are_listed(client, world):
    term = Term.objects.create(organization=world.cell_a, name="2025–2030", starts_on=dt.date(2025, 7, 1))
    committee = Committee.objects.create(
        organization=world.cell_a, term=term, kind=CommitteeKind.CELL_COMMITTEE
    )
    Position.objects.create(
        committee=committee,
        member=world.other_a_record,
        title=PositionTitle.SECRETARY,
        starts_on=dt.date(2025, 7, 1),
    )
    body = view(client, world.member_a, world.other_a_record).content.decode()
    assert "2025–2030" in body and "01/07/2025" in body


def test_action_buttons_follow_the_role(client, world):
    member = world.other_a_record
    staff = view(client, world.commune_staff, member).content.decode()
    assert reverse("members:edit", args=[member.pk]) in staff
    assert reverse("members:event", args=[member.pk]) in staff
    assert reverse("members:transfer", args=[member.pk]) in staff
    secretary = view(client, world.secretary_a, member).content.decode()
    assert reverse("members:edit", args=[member.pk]) not in secretary


def test_history_hides_personal_changes_from_the_member_reading_someone_else(client, world):
    member = world.member_a_record
    services.member_update(actor=SYSTEM, member=member, data={"phone": "0987654321"}, expected_version=1)
    staff_body = view(client, world.commune_staff, member).content.decode()
    assert "0987654321" in staff_body


def test_detail_page_query_count_is_bounded(client, world, django_assert_max_num_queries):
    member = world.other_a_record
    for day in (1, 2, 3):
        services.member_record_event(
            actor=SYSTEM,
            member=member,
            kind=EventKind.DISCIPLINE,
            occurred_on=dt.date(2025, 1, day),
            discipline_form="WARNING",
        )
    client.force_login(world.commune_staff)
    client.get(url(member))
    # 16 for the page and its sections, one more for the emulation awards panel and one for the inspection
    # remedies panel (a single query each).
    with django_assert_max_num_queries(18):
        client.get(url(member))
