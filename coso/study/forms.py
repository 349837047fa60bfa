"""Forms of the study app: library filters and records, campaigns, sessions, learning reports, plans."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coso.accounts import permissions
from coso.core.forms import DateField, bootstrap
from coso.orgs.forms import OrganizationChoiceField
from coso.orgs.models import CELL_KINDS, Organization, OrgStatus
from coso.orgs.widgets import PickerScope

from . import selectors
from .models import CommitmentResult, Document, DocumentKind, Grade

VALIDITY_CHOICES = [("", _("In force or replaced")), ("in_force", _("In force")), ("replaced", _("Replaced"))]


def _orgs_where(actor, perm: str, *, cells: bool | None = None, within: Organization | None = None):
    qs = Organization.objects.filter(permissions.scope_q(actor, perm), status=OrgStatus.ACTIVE)
    if cells is True:
        qs = qs.filter(kind__in=CELL_KINDS)
    elif cells is False:
        qs = qs.exclude(kind="CELL")
    if within is not None:
        qs = qs.filter(Q(path=within.path) | Q(path__startswith=within.path + "."))
    return qs.order_by("path")


class DocumentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *DocumentKind.choices]
    )
    validity = forms.ChoiceField(label=_("Validity"), required=False, choices=VALIDITY_CHOICES)
    bookmarked = forms.BooleanField(label=_("My bookmarks only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def filters(self) -> selectors.DocumentFilters:
        data = self.cleaned_data
        return selectors.DocumentFilters(
            q=data.get("q") or "",
            kind=data.get("kind") or "",
            validity=data.get("validity") or "",
            bookmarked=bool(data.get("bookmarked")),
        )


class DocumentForm(forms.ModelForm):
    organization = OrganizationChoiceField(label=_("Published by"), queryset=Organization.objects.none())
    issued_on = DateField(label=_("Date issued"))
    file = forms.FileField(label=_("File (PDF or Word, up to 10 MB)"), required=False)
    replaced_by = forms.ModelChoiceField(
        label=_("Replaced by"), queryset=Document.objects.none(), required=False
    )

    class Meta:
        model = Document
        fields = ["organization", "kind", "number", "title", "issuing_body", "issued_on", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _orgs_where(actor, "study.manage_library")
        self.fields["organization"].widget.scope = PickerScope(perm="study.manage_library")
        self.fields["replaced_by"].queryset = selectors.document_list(actor=actor).exclude(
            pk=getattr(self.instance, "pk", None)
        )
        if self.instance.pk:
            self.fields.pop("organization")
            self.initial["replaced_by"] = self.instance.replaced_by_id
        bootstrap(self)


class CampaignForm(forms.Form):
    organization = OrganizationChoiceField(label=_("Launched by"), queryset=Organization.objects.none())
    title = forms.CharField(label=_("Title"), max_length=300)
    documents = forms.ModelMultipleChoiceField(
        label=_("Documents to study"), queryset=Document.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    starts_on = DateField(label=_("Starts on"))
    deadline = DateField(label=_("Sessions held by"))
    report_due_on = DateField(label=_("Learning reports due on"))
    description = forms.CharField(
        label=_("Instructions"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, actor, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _orgs_where(actor, "study.launch_campaign", cells=False)
        self.fields["organization"].widget.scope = PickerScope(
            perm="study.launch_campaign", exclude_kinds=("CELL",)
        )
        self.fields["documents"].queryset = selectors.document_list(actor=actor).filter(
            replaced_by__isnull=True
        )
        if campaign is not None:
            self.fields.pop("organization")
        bootstrap(self)
        self.fields["documents"].widget.attrs["class"] = "form-check-input"


class SessionForm(forms.Form):
    organization = OrganizationChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    date = DateField(label=_("Date"))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    duration_minutes = forms.IntegerField(label=_("Expected duration (minutes)"), min_value=10, max_value=720,
                                          initial=120)  # fmt: skip

    def __init__(self, *args, actor, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _orgs_where(
            actor, "meetings.manage", within=campaign.organization
        )
        self.fields["organization"].widget.scope = PickerScope(
            perm="meetings.manage", root=campaign.organization.path
        )
        only = list(self.fields["organization"].queryset[:2])
        if len(only) == 1:  # a cell secretary schedules for her own cell: no choice to make
            self.initial.setdefault("organization", only[0].pk)
        bootstrap(self)


class ReportForm(forms.Form):
    body = forms.CharField(
        label=_("Your learning report"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "class": "form-control fs-5", "spellcheck": "true"}),
        help_text=_("Plain text. What you learned, what you will apply in your work and life."),
    )
    file = forms.FileField(label=_("Or upload your report (PDF or Word)"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
        self.fields["body"].widget.attrs["class"] = "form-control fs-5"


class ReviewForm(forms.Form):
    grade = forms.ChoiceField(
        label=_("Grade"), choices=Grade.choices, widget=forms.RadioSelect, required=False
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
        self.fields["grade"].widget.attrs["class"] = "form-check-input"


class CommitmentForm(forms.Form):
    text = forms.CharField(label=_("Commitment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    target = forms.CharField(label=_("Measurable target"), required=False, max_length=255)
    deadline = DateField(label=_("Deadline"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


CommitmentFormSet = forms.formset_factory(CommitmentForm, extra=2, max_num=30)


class AssessForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"), choices=[("", _("Not assessed")), *CommitmentResult.choices], required=False
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
