"""Forms of the inspection pages."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coso.core.forms import DateField
from coso.core.tracking import EVIDENCE_MAX_BYTES
from coso.members.models import CURRENT_STATUSES, Member
from coso.orgs.forms import BootstrapForm, bootstrap, org_field
from coso.orgs.models import Organization
from coso.reviews.manifestations import Manifestation

from . import selectors
from .models import CaseKind, CaseStep, Discipline, InspectionPlan, RemedyStatus, ShortcomingSource

ACCEPT = ".pdf,.jpg,.jpeg,.png,.webp,.docx,.xlsx,image/*"
FILE_HELP = _("A PDF, a photo, a Word or an Excel file, at most %(mb)s MB.") % {
    "mb": EVIDENCE_MAX_BYTES // (1024 * 1024)
}
YES_NO = [("", _("Any")), ("yes", _("Overdue only")), ("no", _("Not overdue"))]


def year_choices(empty=True) -> list[tuple[str, str]]:
    year = timezone.localdate().year
    years = [(str(y), str(y)) for y in range(year + 1, year - 5, -1)]
    return ([("", _("All years"))] if empty else []) + years


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return f"{obj.full_name} ({obj.organization.name})"


class RemedyFilterForm(BootstrapForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, empty_value=None, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *RemedyStatus.choices], required=False
    )
    overdue = forms.ChoiceField(label=_("Overdue"), choices=YES_NO, required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["year"].choices = year_choices()
        bootstrap(self)

    def filters(self, box: str) -> selectors.RemedyFilters:
        data = self.cleaned_data
        return selectors.RemedyFilters(
            box=box,
            q=data.get("q") or "",
            year=data.get("year"),
            status=data.get("status") or "",
            overdue={"yes": True, "no": False}.get(data.get("overdue") or ""),
        )


class RemedyUpdateForm(BootstrapForm):
    date = DateField(label=_("Date"))
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}))
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100, required=False)
    evidence = forms.FileField(label=_("Evidence"), required=False, help_text=FILE_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].widget.attrs["accept"] = ACCEPT
        bootstrap(self)


class TransitionForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Reason or note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class OrganizationPickForm(BootstrapForm):
    """Step one of a new plan, case or discipline record: which organization (search as you type)."""

    org = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.none())

    def __init__(self, data=None, *, actor, perm: str = "inspection.manage", **kwargs):
        super().__init__(data, **kwargs)
        self.fields["org"] = org_field(actor, perm=perm, label=_("Organization"))
        bootstrap(self)


class CaseFilterForm(BootstrapForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    org = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), required=False
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, empty_value=None, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any kind")), *CaseKind.choices], required=False
    )
    step = forms.ChoiceField(
        label=_("Current step"), choices=[("", _("Any step")), *CaseStep.choices], required=False
    )

    def __init__(self, data=None, *, actor, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["org"] = org_field(
            actor,
            perm="inspection.view_cases",
            include_inactive=True,
            label=_("Organization"),
            required=False,
            empty_label=_("All my organizations"),
        )
        self.fields["year"].choices = year_choices()
        bootstrap(self)

    def filters(self) -> selectors.CaseFilters:
        data = self.cleaned_data
        return selectors.CaseFilters(
            q=data.get("q") or "",
            organization=data.get("org"),
            year=data.get("year"),
            kind=data.get("kind") or "",
            step=data.get("step") or "",
        )


def _members_of(organization: Organization):
    return (
        Member.objects.filter(organization=organization, status__in=CURRENT_STATUSES)
        .select_related("organization")
        .order_by("name_sort", "id")
    )


class PlanForm(BootstrapForm):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    title = forms.CharField(label=_("Plan title"), max_length=255)
    subjects = forms.CharField(label=_("Subjects"), widget=forms.Textarea(attrs={"rows": 3}))
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 4}))
    starts_on = DateField(label=_("From"))
    ends_on = DateField(label=_("Until"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices(empty=False)
        bootstrap(self)


class CaseForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices)
    title = forms.CharField(label=_("Case title"), max_length=255)
    content = forms.CharField(label=_("Content"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    member = MemberChoiceField(
        label=_("Member concerned"), queryset=Member.objects.none(), required=False, empty_label=_("None")
    )
    plan = forms.ModelChoiceField(
        label=_("Plan"),
        queryset=InspectionPlan.objects.none(),
        required=False,
        empty_label=_("Outside a plan"),
    )

    def __init__(self, *args, actor, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices(empty=False)
        self.fields["member"].queryset = _members_of(organization)
        self.fields["plan"].queryset = selectors.plan_list(actor=actor).filter(
            organization__path__in=[*organization.ancestor_paths, organization.path]
        )
        bootstrap(self)


class StepForm(BootstrapForm):
    step = forms.ChoiceField(label=_("Step"), choices=CaseStep.choices, widget=forms.HiddenInput)
    date = DateField(label=_("Date"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    document = forms.FileField(label=_("Document"), required=False, help_text=FILE_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].widget.attrs["accept"] = ACCEPT
        bootstrap(self)


class FindingForm(BootstrapForm):
    text = forms.CharField(label=_("Shortcoming"), widget=forms.Textarea(attrs={"rows": 3}))
    manifestations = forms.MultipleChoiceField(
        label=_("Related manifestations"), choices=Manifestation.choices, required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    remedy_title = forms.CharField(label=_("Remedy"), max_length=255)
    responsible = MemberChoiceField(label=_("Owner of the remedy"), queryset=Member.objects.none())
    due_date = DateField(label=_("Deadline"))

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = selectors.responsible_choices(organization)
        bootstrap(self)


class ShortcomingForm(BootstrapForm):
    source = forms.ChoiceField(
        label=_("Found by"),
        choices=[c for c in ShortcomingSource.choices if c[0] != ShortcomingSource.INSPECTION],
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    member = MemberChoiceField(
        label=_("Member concerned"), queryset=Member.objects.none(), required=False,
        empty_label=_("None: a shortcoming of the organization"),
    )  # fmt: skip
    text = forms.CharField(label=_("Shortcoming"), widget=forms.Textarea(attrs={"rows": 3}))
    manifestations = forms.MultipleChoiceField(
        label=_("Related manifestations"), choices=Manifestation.choices, required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    remedy_title = forms.CharField(label=_("Remedy"), max_length=255)
    responsible = MemberChoiceField(label=_("Owner of the remedy"), queryset=Member.objects.none())
    due_date = DateField(label=_("Deadline"))

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices(empty=False)
        self.fields["member"].queryset = _members_of(organization)
        self.fields["responsible"].queryset = selectors.responsible_choices(organization)
        bootstrap(self)


class DisciplineForm(BootstrapForm):
    member = MemberChoiceField(
        label=_("Member disciplined"),
        queryset=Member.objects.none(),
        required=False,
        empty_label=_("None: the organization itself is disciplined"),
    )
    form = forms.ChoiceField(label=_("Form of discipline"), choices=Discipline.choices)
    decision_number = forms.CharField(label=_("Decision number"), max_length=100)
    decided_on = DateField(label=_("Decision date"))
    issuing_body = forms.CharField(label=_("Issuing body"), max_length=255, required=False)
    reason = forms.CharField(label=_("Violation"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = _members_of(organization)
        self.fields["form"].help_text = _(
            "Official members: reprimand, warning, dismissal from post or expulsion; probationary members: "
            "reprimand or warning; organizations: reprimand, warning or dissolution."
        )
        bootstrap(self)
