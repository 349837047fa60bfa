"""Forms of the meetings pages. They only validate input; services apply the rules."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coso.members.models import CURRENT_STATUSES, Member
from coso.orgs.forms import OrganizationChoiceField
from coso.orgs.models import CELL_KINDS, Organization
from coso.orgs.widgets import OrganizationPicker, PickerScope

from .models import AttendanceStatus, MeetingKind, MeetingStatus

DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time", "class": "form-control"}, format="%H:%M")


def _bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select form-select-lg")
        else:
            widget.attrs.setdefault("class", "form-control form-control-lg")


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return obj.full_name


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    combined_thematic = forms.BooleanField(label=_("Combined with a thematic meeting"), required=False)
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    topic = forms.CharField(label=_("Topic"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    time = forms.TimeField(label=_("Time"), widget=TIME_INPUT)
    duration_minutes = forms.IntegerField(label=_("Expected duration (minutes)"), min_value=10, max_value=720)
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    chair = MemberChoiceField(label=_("Chair"), queryset=Member.objects.none(), required=False)
    minute_taker = MemberChoiceField(label=_("Minute-taker"), queryset=Member.objects.none(), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        members = Member.objects.filter(organization=organization, status__in=CURRENT_STATUSES).order_by(
            "name_sort"
        )
        self.fields["chair"].queryset = members
        self.fields["minute_taker"].queryset = members
        _bootstrap(self)

    def starts_at(self) -> dt.datetime:
        data = self.cleaned_data
        return timezone.make_aware(dt.datetime.combine(data["date"], data["time"]))

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "combined_thematic": data["combined_thematic"],
            "title": data["title"],
            "topic": data["topic"],
            "starts_at": self.starts_at(),
            "duration_minutes": data["duration_minutes"],
            "place": data["place"],
            "chair": data["chair"],
            "minute_taker": data["minute_taker"],
        }


class MeetingFilterForm(forms.Form):
    org = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *MeetingKind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *MeetingStatus.choices], required=False
    )
    start = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, organizations, perm: str = "meetings.view", **kwargs):
        super().__init__(*args, **kwargs)
        # A picker past a few dozen organizations (a province has thousands of cells); the URL keeps ?org=pk.
        self.fields["org"] = OrganizationChoiceField(
            label=_("Organization"),
            queryset=organizations,
            required=False,
            scope=PickerScope(perm=perm),
        )
        _bootstrap(self)
        for field in self.fields.values():
            field.widget.attrs["class"] = field.widget.attrs["class"].replace("-lg", "")


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Agenda item"), max_length=255)
    presenter = MemberChoiceField(label=_("Presenter"), queryset=Member.objects.none(), required=False)
    duration_minutes = forms.IntegerField(
        label=_("Time (minutes)"), min_value=1, max_value=600, required=False
    )

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = Member.objects.filter(
            organization=organization, status__in=CURRENT_STATUSES
        ).order_by("name_sort")
        _bootstrap(self)


class GuestForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    role = forms.CharField(label=_("Role"), max_length=255, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    member = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    file = forms.FileField(label=_("File"), required=False)
    link = forms.CharField(label=_("Link"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class AttendanceForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "-"), *AttendanceStatus.choices], required=False)
    reason = forms.CharField(max_length=255, required=False)


class PlanYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    day = forms.IntegerField(label=_("Day of the month"), min_value=1, max_value=31, initial=20)
    time = forms.TimeField(label=_("Time"), widget=TIME_INPUT, initial=dt.time(8, 0))
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    duration_minutes = forms.IntegerField(
        label=_("Expected duration (minutes)"), min_value=10, max_value=720, initial=90
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class EscalationForm(forms.Form):
    text = forms.CharField(
        label=_("Issue to send to the committee"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class OrgPickForm(forms.Form):
    """One organization that a page is about (the calendar's cell, the overview's committee): a select that
    submits on change, or the picker past a few dozen."""

    label = _("Organization")
    scope = PickerScope(perm="meetings.view", kinds=CELL_KINDS)

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"] = OrganizationChoiceField(
            label=self.label,
            queryset=queryset,
            empty_label=None,
            scope=self.scope,
            widget=OrganizationPicker(
                attrs={"class": "form-select", "aria-label": self.label, "data-autosubmit": ""}
            ),
        )


class CellPickForm(OrgPickForm):
    pass


class CommitteePickForm(OrgPickForm):
    label = _("Committee")
    scope = PickerScope(perm="meetings.overview", exclude_kinds=CELL_KINDS)


def _committee_field(organizations, perm: str) -> OrganizationChoiceField:
    """The committees (no cells) where the actor holds `perm`: a select, or a picker for a province's many."""
    return OrganizationChoiceField(
        label=_("Committee"), queryset=organizations, scope=PickerScope(perm=perm, exclude_kinds=CELL_KINDS)
    )


class TopicForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Committee"), queryset=Organization.objects.none())
    month = forms.TypedChoiceField(
        label=_("Month"), coerce=int, choices=[(m, f"{m:02d}") for m in range(1, 13)]
    )
    topic = forms.CharField(label=_("Topic"), max_length=255)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = _committee_field(organizations, "meetings.edit_topics")
        _bootstrap(self)


class RotationForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Committee"), queryset=Organization.objects.none())
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    starts_on = forms.DateField(label=_("From"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("To"), widget=DATE_INPUT)
    leaders = forms.ModelMultipleChoiceField(
        label=_("Leaders who attend in rotation"),
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organizations, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = _committee_field(organizations, "meetings.plan_rotation")
        self.fields["leaders"].queryset = leaders
        self.fields["leaders"].label_from_instance = lambda m: f"{m.full_name} ({m.organization.name})"
        _bootstrap(self)
        self.fields["leaders"].widget.attrs = {}


def cell_choices(organizations):
    return organizations.filter(kind__in=CELL_KINDS)
