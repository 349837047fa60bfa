import pytest

from coso.accounts.permissions import SYSTEM
from coso.core.history import history_entries
from coso.members import services

pytestmark = pytest.mark.django_db


def test_history_lists_who_changed_which_field_from_what_to_what(world):
    member = world.other_a_record
    services.member_update(
        actor=world.commune_staff,
        member=member,
        data={"occupation": "Giáo viên"},
        expected_version=member.version,
    )
    entries = history_entries(member)
    newest = entries[0]
    assert newest.user == world.commune_staff
    changes = {c.field: (c.old, c.new) for c in newest.changes}
    assert changes["occupation"] == ("Cán bộ", "Giáo viên")
    assert "version" not in changes
    assert entries[-1].action in {"created", "tạo mới", str(entries[-1].action)}


def test_personal_fields_can_be_hidden_from_the_history(world):
    member = world.other_a_record
    services.member_update(
        actor=SYSTEM, member=member, data={"phone": "0987654321"}, expected_version=member.version
    )
    assert any(c.field == "phone" for e in history_entries(member) for c in e.changes)
    assert not any(c.field == "phone" for e in history_entries(member, hide_personal=True) for c in e.changes)


def test_history_is_read_in_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    member = world.other_a_record
    for i in range(5):
        member.refresh_from_db()
        services.member_update(
            actor=SYSTEM, member=member, data={"occupation": f"Nghề {i}"}, expected_version=member.version
        )
    with django_assert_max_num_queries(2):
        history_entries(member)


def test_a_foreign_key_change_shows_names_the_vietnamese_label_and_local_time(world, rf):
    import datetime as dt

    import time_machine
    from django.template.loader import render_to_string
    from django.utils import translation

    member = world.other_a_record
    old_org, new_org = member.organization, world.cell_b
    # After the fixtures were written; 23:30 UTC on the 14th is 06:30 on the 15th in Hà Nội.
    with time_machine.travel(dt.datetime(2030, 3, 14, 23, 30, tzinfo=dt.UTC), tick=False):
        member.organization = new_org
        member.save()
    with translation.override("vi"):
        newest = history_entries(member)[0]
        html = render_to_string("core/_history.html", {"history": [newest]})
    change = next(c for c in newest.changes if c.field == "organization")
    assert (change.old, change.new) == (str(old_org), str(new_org))
    assert change.label == "tổ chức đảng"
    assert f"Tổ chức đảng</strong>: {old_org} → {new_org}" in html
    assert "15/03/2030 06:30" in html and "14/03/2030" not in html
    assert f"→ {new_org.pk}<" not in html


def test_foreign_keys_are_resolved_in_one_query_per_related_model(world, django_assert_max_num_queries):
    member = world.other_a_record
    for org in (world.cell_b, world.cell_a, world.cell_b):
        member.organization = org
        member.save()
    with django_assert_max_num_queries(3):
        entries = history_entries(member)
    assert {c.new for e in entries for c in e.changes if c.field == "organization"} >= {str(world.cell_b)}


def test_a_datetime_value_is_shown_in_local_time():
    import datetime as dt

    from coso.core.history import _display
    from coso.meetings.models import Meeting

    # A 19:30 meeting on the 14th in Hà Nội is stored as 12:30 UTC; one at 06:30 on the 15th as 23:30 on the 14th.
    assert (
        _display(Meeting, "starts_at", dt.datetime(2030, 3, 14, 12, 30, tzinfo=dt.UTC)) == "14/03/2030 19:30"
    )
    assert (
        _display(Meeting, "starts_at", dt.datetime(2030, 3, 14, 23, 30, tzinfo=dt.UTC)) == "15/03/2030 06:30"
    )


def test_fields_without_a_translated_verbose_name_get_a_vietnamese_label():
    from django.utils import translation

    from coso.core.history import _label
    from coso.meetings.models import Minutes
    from coso.members.models import MemberEvent

    with translation.override("vi"):
        assert _label(Minutes, "approved_by") == "người duyệt"
        assert _label(MemberEvent, "recorded_by") == "người ghi nhận"
        assert _label(MemberEvent, "to_organization") == "đến tổ chức đảng"


def test_every_tracked_field_has_a_translatable_label():
    from django.apps import apps
    from django.utils.functional import Promise

    from coso.core.history import FIELD_LABELS, HIDDEN_FIELDS

    missing, checked = [], 0
    for model in apps.get_models():
        if "history" not in model.__dict__ or model.__name__.startswith("Historical"):
            continue
        tracked = {f.name for f in model.history.model._meta.fields if not f.name.startswith("history_")}
        for model_field in model._meta.concrete_fields:
            name = model_field.name
            if name == "id" or name in HIDDEN_FIELDS or name not in tracked:
                continue
            checked += 1
            if not isinstance(model_field.verbose_name, Promise) and name not in FIELD_LABELS:
                missing.append(f"{model._meta.label}.{name}")
    assert checked > 20
    assert not missing, f"history would show these labels untranslated: {missing}"
