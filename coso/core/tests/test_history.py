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
