"""The organization pages' forms: the tree filter, edits, terms, committees and seats, supervision."""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import selectors
from ..models import (
    CELL_KINDS,
    PATH_SEPARATOR,
    CommitteeKind,
    Organization,
    OrgKind,
    PositionTitle,
    SupervisionKind,
)
from .fields import (
    CHILD_KINDS,
    CURRENT_STATUSES,
    BootstrapForm,
    DateField,
    OrganizationChoiceField,
    bootstrap,
    org_field,
)

# --- the tree ---------------------------------------------------------------------------------------------------


class TreeFilterForm(BootstrapForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    inactive = forms.BooleanField(label=_("Show merged and dissolved organizations"), required=False)
    as_of = DateField(label=_("As of date"), required=False, past_only=True)


# --- the organization page --------------------------------------------------------------------------------------


class OrganizationForm(BootstrapForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=255)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    established_on = DateField(label=_("Established on"), required=False, past_only=True)
    residential = forms.BooleanField(
        label=_("Residential area: commune, ward, residential area or hamlet (residents turn to it)"),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def clean_code(self):
        return self.cleaned_data["code"].strip()


class ChildForm(BootstrapForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=255)
    kind = forms.ChoiceField(label=_("Type of organization"))
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    established_on = DateField(label=_("Established on"), required=False, past_only=True)
    residential = forms.BooleanField(
        label=_("Residential area: commune, ward, residential area or hamlet (residents turn to it)"),
        required=False,
    )

    def __init__(self, *args, parent: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = CHILD_KINDS.get(parent.kind, [])
        self.fields["kind"].choices = [(k.value, k.label) for k in allowed]
        if len(allowed) == 1:
            self.fields["kind"].initial = allowed[0].value

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if Organization.objects.filter(code=code).exists():
            raise forms.ValidationError(_("Another organization already has this code."))
        return code


class TermForm(BootstrapForm):
    name = forms.CharField(label=_("Term"), max_length=40, help_text=_("e.g. 2025–2030"))
    starts_on = DateField(label=_("Starts on"))
    ends_on = DateField(label=_("Ends on"), required=False)
    committees = forms.MultipleChoiceField(
        label=_("Committees elected"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, org: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committees"].choices = committee_kinds(org)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] <= data["starts_on"]:
            self.add_error("ends_on", _("A term ends after it starts."))
        return data


def committee_kinds(org: Organization) -> list[tuple[str, str]]:
    if org.kind in CELL_KINDS:
        return [(CommitteeKind.CELL_COMMITTEE.value, CommitteeKind.CELL_COMMITTEE.label)]
    return [(k.value, k.label) for k in CommitteeKind if k != CommitteeKind.CELL_COMMITTEE]


class CommitteeForm(BootstrapForm):
    term = forms.ModelChoiceField(label=_("Term"), queryset=None)
    kind = forms.ChoiceField(label=_("Committee"))

    def __init__(self, *args, org: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = org.terms.order_by("-starts_on")
        self.fields["kind"].choices = committee_kinds(org)


class CommitteeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.get_kind_display()} {obj.term.name}"


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name} · {obj.organization.name}"


class PositionForm(BootstrapForm):
    committee = CommitteeChoiceField(label=_("Committee"), queryset=None)
    member = MemberChoiceField(label=_("Member"), queryset=None)
    title = forms.ChoiceField(label=_("Position"), choices=PositionTitle.choices)
    starts_on = DateField(label=_("Starts on"))

    def __init__(self, *args, org: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        Member = apps.get_model("members", "Member")  # noqa: N806 - a model class
        today = timezone.localdate()
        self.fields["committee"].queryset = (
            org.committees.filter(term__starts_on__lte=today)
            .filter(Q(term__ends_on__isnull=True) | Q(term__ends_on__gte=today))
            .select_related("term")
            .order_by("kind")
        )
        # Seats are held by current members of the organization or of a unit under it.
        self.fields["member"].queryset = (
            Member.objects.filter(status__in=CURRENT_STATUSES)
            .filter(
                Q(organization__path=org.path) | Q(organization__path__startswith=org.path + PATH_SEPARATOR)
            )
            .select_related("organization")
            .order_by("name_sort", "id")
        )
        self.fields["member"].error_messages["invalid_choice"] = _("This member was not found.")


class EndForm(BootstrapForm):
    ends_on = DateField(label=_("Ends on"))


class SeatChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return (
            f"{obj.member.full_name} · {obj.label}, {obj.committee.get_kind_display()} · "
            f"{obj.committee.organization.name}"
        )


class SupervisionForm(BootstrapForm):
    organization = OrganizationChoiceField(label=_("Organization supervised"), queryset=None)
    seat = SeatChoiceField(
        label=_("Supervisor"),
        queryset=None,
        help_text=_("A committee member; the committee's organization is the one assigning."),
    )
    kind = forms.ChoiceField(
        label=_("Kind of supervision"),
        required=False,
        choices=[("", _("As the organization needs")), *SupervisionKind.choices],
    )
    starts_on = DateField(label=_("Since"))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = org_field(
            actor,
            perm="orgs.change",
            kinds=[OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_CELL, OrgKind.CELL],
            label=_("Organization supervised"),
        )
        self.fields["seat"].queryset = selectors.supervisor_choices(actor=actor)
        self.fields["seat"].error_messages["invalid_choice"] = _("This committee member was not found.")
        bootstrap(self)

    def clean(self):
        data = super().clean()
        org = data.get("organization")
        if org is not None and not data.get("kind"):
            data["kind"] = selectors.needed_supervision(org)
        return data
