"""Create and edit forms (dd/mm/yyyy dates, rule errors on fields, warnings, optimistic locking), events,
transfers and the photo upload."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from coso.accounts.models import AccessLog
from coso.accounts.permissions import SYSTEM
from coso.members import services
from coso.members.models import EventKind, Member, MemberStatus
from coso.testing.factories import national_id_for

pytestmark = pytest.mark.django_db


def form_data(member: Member | None = None, **overrides) -> dict:
    born = dt.date(1985, 4, 20)
    data = {
        "full_name": "Huỳnh Thị Mỹ Linh",
        "gender": "F",
        "date_of_birth": "20/04/1985",
        "ethnicity": "Kinh",
        "religion": "",
        "hometown": "Vị Thanh",
        "current_address": "Số 5, khu vực 3",
        "national_id": national_id_for("F", born, 777),
        "phone": "0912345678",
        "email": "linh@example.vn",
        "education": "12/12",
        "professional_qualification": "Cử nhân",
        "theory_level": "INTERMEDIATE",
        "occupation": "Giáo viên",
        "card_number": "93123456",
        "admitted_on": "15/05/2012",
        "full_member_on": "15/05/2013",
    }
    if member is not None:
        data.update(
            {name: getattr(member, name) or "" for name in services.EDITABLE_FIELDS if name != "working_away"}
        )
        for name in ("date_of_birth", "admitted_on", "full_member_on"):
            value = getattr(member, name)
            data[name] = value.strftime("%d/%m/%Y") if value else ""
        data["version"] = member.version
    data.update(overrides)
    return data


def image_file(fmt="PNG", size=(20, 20), name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


# --- create ----------------------------------------------------------------------------------------------------


def test_create_with_dd_mm_yyyy_dates(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.commune_staff)
    data = form_data(organization=world.cell_a.pk, photo=image_file())
    response = client.post(reverse("members:create"), data)
    member = Member.objects.get(full_name="Huỳnh Thị Mỹ Linh")
    assert response.status_code == 302 and response["Location"] == reverse("members:detail", args=[member.pk])
    assert member.date_of_birth == dt.date(1985, 4, 20) and member.organization == world.cell_a
    assert member.status == MemberStatus.FULL and member.periods.count() == 1
    assert member.photo.name.startswith("members/photos/")


def test_create_accepts_the_date_pickers_iso_format(client, world):
    client.force_login(world.commune_staff)
    data = form_data(organization=world.cell_a.pk, date_of_birth="1985-04-20", admitted_on="2012-05-15")
    client.post(reverse("members:create"), data)
    assert Member.objects.get(full_name="Huỳnh Thị Mỹ Linh").admitted_on == dt.date(2012, 5, 15)


def test_create_shows_rule_errors_next_to_fields_and_keeps_the_input(client, world):
    client.force_login(world.commune_staff)
    data = form_data(
        organization=world.cell_a.pk,
        admitted_on="01/01/2000",  # 14 years old
        national_id=world.member_b_record.national_id,
        card_number=world.member_b_record.card_number,
        hometown="Xã Hỏa Lựu",
    )
    response = client.post(reverse("members:create"), data)
    assert response.status_code == 200
    body = response.content.decode()
    for field in ("admitted_on", "national_id", "card_number"):
        assert f'data-field="{field}"' in body, field
    assert "Xã Hỏa Lựu" in body and "Huỳnh Thị Mỹ Linh" in body
    assert not Member.objects.filter(full_name="Huỳnh Thị Mỹ Linh").exists()


def test_create_shows_bad_date_text_as_a_field_error(client, world):
    client.force_login(world.commune_staff)
    response = client.post(
        reverse("members:create"), form_data(organization=world.cell_a.pk, date_of_birth="31/02/1985")
    )
    assert 'data-field="date_of_birth"' in response.content.decode()


def test_late_full_membership_is_saved_with_a_warning(client, world):
    client.force_login(world.commune_staff)
    response = client.post(
        reverse("members:create"),
        form_data(organization=world.cell_a.pk, full_member_on="01/09/2013"),
        follow=True,
    )
    assert Member.objects.filter(full_name="Huỳnh Thị Mỹ Linh").exists()
    assert "15/05/2013" in response.content.decode()
    assert any(m.level_tag == "warning" for m in response.context["messages"])


def test_create_only_offers_cells_in_scope(client, world):
    client.force_login(world.commune_staff)
    form = client.get(reverse("members:create")).context["form"]
    choices = set(form.fields["organization"].queryset.values_list("code", flat=True))
    assert choices == {"A", "B"}
    response = client.post(reverse("members:create"), form_data(organization=world.cell_d.pk))
    assert 'data-field="organization"' in response.content.decode()


def test_create_with_org_param_preselects_it_and_checks_scope(client, world):
    client.force_login(world.commune_staff)
    response = client.get(reverse("members:create"), {"org": world.cell_b.pk})
    assert response.context["form"].initial["organization"] == world.cell_b.pk
    assert client.get(reverse("members:create"), {"org": world.cell_d.pk}).status_code == 404
    client.force_login(world.secretary_a)
    assert client.get(reverse("members:create"), {"org": world.cell_a.pk}).status_code == 403
    assert client.get(reverse("members:create")).status_code == 403


@pytest.mark.parametrize(
    ("upload", "fragment"),
    [
        (SimpleUploadedFile("x.png", b"not an image", content_type="image/png"), "photo"),
        (lambda: image_file("GIF", name="x.gif"), "photo"),
        (lambda: image_file("BMP", size=(1200, 1200), name="big.bmp"), "photo"),
    ],
)
def test_photo_type_and_size_are_checked(client, world, upload, fragment, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
    client.force_login(world.commune_staff)
    photo = upload() if callable(upload) else upload
    response = client.post(reverse("members:create"), form_data(organization=world.cell_a.pk, photo=photo))
    assert f'data-field="{fragment}"' in response.content.decode()
    assert not Member.objects.filter(full_name="Huỳnh Thị Mỹ Linh").exists()


# --- edit ------------------------------------------------------------------------------------------------------


def test_edit_form_shows_the_record_and_logs_the_view(client, world):
    member = world.other_a_record
    client.force_login(world.commune_staff)
    response = client.get(reverse("members:edit", args=[member.pk]))
    body = response.content.decode()
    assert member.national_id in body and 'name="version"' in body
    assert AccessLog.objects.filter(user=world.commune_staff, object_id=str(member.pk)).count() == 1


def test_edit_saves_and_bumps_the_version(client, world):
    member = world.other_a_record
    client.force_login(world.commune_staff)
    response = client.post(reverse("members:edit", args=[member.pk]), form_data(member, occupation="Kỹ sư"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.occupation == "Kỹ sư" and member.version == 2


def test_stale_edit_shows_a_conflict_keeps_the_input_and_shows_what_changed(client, world):
    member = world.other_a_record
    stale = form_data(member, occupation="Kỹ sư")
    services.member_update(
        actor=world.province_admin, member=member, data={"hometown": "Long Mỹ"}, expected_version=1
    )
    client.force_login(world.commune_staff)
    response = client.post(reverse("members:edit", args=[member.pk]), stale)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="conflict"' in body
    assert "Long Mỹ" in body  # what the other person saved
    assert 'value="Kỹ sư"' in body  # what this user typed
    assert response.context["form"].data["version"] == "2"
    member.refresh_from_db()
    assert member.occupation == "Cán bộ" and member.hometown == "Long Mỹ"
    # Saving again after seeing the changes goes through.
    again = client.post(
        reverse("members:edit", args=[member.pk]), dict(response.context["form"].data.items())
    )
    assert again.status_code == 302
    member.refresh_from_db()
    assert member.occupation == "Kỹ sư" and member.version == 3


def test_edit_without_version_is_an_error(client, world):
    member = world.other_a_record
    client.force_login(world.commune_staff)
    data = form_data(member)
    del data["version"]
    response = client.post(reverse("members:edit", args=[member.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["version"]


def test_edit_rules_land_on_fields(client, world):
    member = world.other_a_record
    client.force_login(world.commune_staff)
    response = client.post(
        reverse("members:edit", args=[member.pk]), form_data(member, full_member_on="01/01/1990", phone="12")
    )
    body = response.content.decode()
    assert 'data-field="full_member_on"' in body and 'data-field="phone"' in body


def test_edit_is_refused_to_a_secretary_and_hidden_from_an_outsider(client, world):
    member = world.other_a_record
    client.force_login(world.secretary_a)
    assert client.post(reverse("members:edit", args=[member.pk]), form_data(member)).status_code == 403
    client.force_login(world.secretary_b)
    assert client.get(reverse("members:edit", args=[member.pk])).status_code == 404


# --- events and transfers ----------------------------------------------------------------------------------------


def test_recording_an_exemption(client, world):
    member = world.other_a_record
    client.force_login(world.commune_staff)
    response = client.post(
        reverse("members:event", args=[member.pk]),
        {"kind": EventKind.EXEMPTION, "occurred_on": "01/10/2026", "decision_number": "3-QĐ/CB"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == MemberStatus.EXEMPT
    assert member.events.get(kind=EventKind.EXEMPTION).recorded_by == world.commune_staff


def test_impossible_event_is_explained_on_the_kind_field(client, world):
    member = world.other_a_record
    client.force_login(world.commune_staff)
    response = client.post(
        reverse("members:event", args=[member.pk]),
        {"kind": EventKind.EXEMPTION_END, "occurred_on": "01/10/2026"},
    )
    assert response.status_code == 200
    assert 'data-field="kind"' in response.content.decode()


def test_discipline_needs_its_form(client, world):
    member = world.other_a_record
    client.force_login(world.commune_staff)
    response = client.post(
        reverse("members:event", args=[member.pk]),
        {"kind": EventKind.DISCIPLINE, "occurred_on": "01/10/2026"},
    )
    assert 'data-field="discipline_form"' in response.content.decode()


def test_transfer_to_another_cell(client, world):
    member = world.other_a_record
    client.force_login(world.commune_staff)
    response = client.post(
        reverse("members:transfer", args=[member.pk]),
        {"to_organization": world.cell_b.pk, "kind": "PERMANENT", "occurred_on": "02/11/2026"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.organization == world.cell_b
    assert member.periods.count() == 2


def test_transfer_out_then_back_in(client, world):
    member = world.other_a_record
    client.force_login(world.commune_staff)
    client.post(
        reverse("members:transfer", args=[member.pk]),
        {"external_party": "Đảng bộ tỉnh Cà Mau", "kind": "PERMANENT", "occurred_on": "02/11/2026"},
    )
    member.refresh_from_db()
    assert member.status == MemberStatus.TRANSFERRED_OUT
    page = client.get(reverse("members:transfer", args=[member.pk]))
    assert page.context["coming_back"] is True
    client.post(
        reverse("members:transfer", args=[member.pk]),
        {
            "to_organization": world.cell_a.pk,
            "occurred_on": "10/11/2026",
            "external_party": "Đảng bộ tỉnh Cà Mau",
        },
    )
    member.refresh_from_db()
    assert member.status == MemberStatus.FULL and member.periods.count() == 2


def test_transfer_needs_a_destination(client, world):
    member = world.other_a_record
    client.force_login(world.commune_staff)
    response = client.post(
        reverse("members:transfer", args=[member.pk]), {"kind": "PERMANENT", "occurred_on": "02/11/2026"}
    )
    assert 'data-field="to_organization"' in response.content.decode()


def test_transfer_offers_only_other_cells_in_scope(client, world):
    client.force_login(world.commune_staff)
    form = client.get(reverse("members:transfer", args=[world.other_a_record.pk])).context["form"]
    assert set(form.fields["to_organization"].queryset.values_list("code", flat=True)) == {"B"}
    response = client.post(
        reverse("members:transfer", args=[world.other_a_record.pk]),
        {"to_organization": world.cell_d.pk, "kind": "PERMANENT", "occurred_on": "02/11/2026"},
    )
    assert 'data-field="to_organization"' in response.content.decode()


def test_event_and_transfer_pages_check_the_role(client, world):
    member = world.other_a_record
    for name in ("members:event", "members:transfer"):
        client.force_login(world.secretary_a)
        assert client.get(reverse(name, args=[member.pk])).status_code == 403
        client.force_login(world.secretary_b)
        assert client.get(reverse(name, args=[member.pk])).status_code == 404


def test_deceased_member_has_no_event_buttons(client, world):
    member = world.other_a_record
    services.member_record_event(
        actor=SYSTEM, member=member, kind=EventKind.DEATH, occurred_on=dt.date(2026, 1, 1)
    )
    client.force_login(world.commune_staff)
    body = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert reverse("members:event", args=[member.pk]) not in body


def test_pages_speak_vietnamese_by_default(client, world):
    client.force_login(world.commune_staff)
    response = client.post(
        reverse("members:create"),
        form_data(organization=world.cell_a.pk, card_number=world.member_b_record.card_number),
    )
    body = response.content.decode()
    assert "Số thẻ đảng viên này đã có ở hồ sơ của đảng viên khác." in body
    assert "Thêm đảng viên" in body
