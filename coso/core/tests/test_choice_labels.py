"""`get_<field>_display()` reads a mapping kept per field (coso.core.models.ChoiceLabelsMixin), in the language of
the moment."""

from django.utils import translation

from coso.members.models import Member, MemberStatus


def test_labels_follow_the_active_language_and_the_mapping_is_kept():
    field = Member._meta.get_field("status")
    field.__dict__.pop("_coso_choice_labels", None)
    member = Member(status=MemberStatus.FULL)
    with translation.override("en"):
        english = member.get_status_display()
    with translation.override("vi"):
        vietnamese = member.get_status_display()
        expected = str(MemberStatus.FULL.label)
    assert english == "Full member"
    assert vietnamese == expected != english
    assert "_coso_choice_labels" in field.__dict__  # built once, for every later call


def test_a_value_outside_the_choices_is_shown_as_it_is():
    assert Member(status="SOMETHING_ELSE").get_status_display() == "SOMETHING_ELSE"
