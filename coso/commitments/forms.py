"""Forms of the hard-task pages: the subtree list's filters, registering and editing, updates, transitions."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coso.accounts import permissions
from coso.core.forms import DateField
from coso.core.tracking import EVIDENCE_MAX_BYTES
from coso.members.models import Member
from coso.orgs.forms import BootstrapForm, bootstrap, org_field
from coso.orgs.models import Organization

from . import selectors
from .models import HardTask, HardTaskKind, HardTaskStatus

YES_NO = [("", _("Any")), ("yes", _("Overdue only")), ("no", _("Not overdue"))]
SORT_CHOICES = [
    ("org", _("Organization")),
    ("due", _("Due date, earliest first")),
    ("-due", _("Due date, latest first")),
    ("progress", _("Progress, lowest first")),
    ("-progress", _("Progress, highest first")),
]


def year_choices(today=None) -> list[tuple[str, str]]:
    year = (today or timezone.localdate()).year
    return [("", _("All years"))] + [(str(y), str(y)) for y in range(year + 1, year - 5, -1)]


class HardTaskFilterForm(BootstrapForm):
    """The subtree list's filters; the page, the API and the export read the same query string."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    org = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), required=False
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, empty_value=None, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *HardTaskStatus.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Type of issue"), choices=[("", _("Any kind")), *HardTaskKind.choices], required=False
    )
    overdue = forms.ChoiceField(label=_("Overdue"), choices=YES_NO, required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def __init__(self, data=None, *, actor, **kwargs):
        super().__init__(data, **kwargs)
        # A picker past a few dozen organizations (a city has hundreds of cells); the URL keeps ?org=pk.
        self.fields["org"] = org_field(
            actor,
            perm="commitments.view",
            include_inactive=True,
            label=_("Organization"),
            required=False,
            empty_label=_("All my organizations"),
        )
        self.fields["year"].choices = year_choices()
        self.fields["year"].error_messages["invalid_choice"] = _("Choose a year from the list.")
        bootstrap(self)

    def filters(self) -> selectors.HardTaskFilters:
        data = self.cleaned_data
        return selectors.HardTaskFilters(
            q=data.get("q") or "",
            organization=data.get("org"),
            year=data.get("year"),
            status=data.get("status") or "",
            kind=data.get("kind") or "",
            overdue={"yes": True, "no": False}.get(data.get("overdue") or ""),
            sort=data.get("sort") or "org",
        )


class OrganizationPickForm(BootstrapForm):
    """Step one of registering: whose commitment is it."""

    org = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.none())

    def __init__(self, data=None, *, actor, within: Organization | None = None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["org"] = org_field(
            actor, perm="commitments.manage", root=within, label=_("Organization making the commitment")
        )
        bootstrap(self)


class ResponsibleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return f"{obj.full_name} ({obj.organization.name})"


class ParentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: HardTask) -> str:
        return f"{obj.year} · {obj.organization.name}: {obj.title}"


class FeedbackChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} · {obj.title} ({obj.get_status_display()})"


class HardTaskForm(BootstrapForm):
    title = forms.CharField(label=_("Task title"), max_length=255)
    kind = forms.ChoiceField(label=_("Type of issue"), choices=HardTaskKind.choices)
    description = forms.CharField(
        label=_("Description of the issue"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    target_result = forms.CharField(
        label=_("Target result"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What “solved for good” means, so the upper committee can verify it."),
    )
    due_date = DateField(label=_("Due date"))
    responsible = ResponsibleChoiceField(label=_("Responsible person"), queryset=Member.objects.none())
    parent = ParentChoiceField(
        label=_("Part of a larger task"),
        queryset=HardTask.objects.none(),
        required=False,
        empty_label=_("No, a task of its own"),
    )
    weight = forms.IntegerField(
        label=_("Weight in the larger task"),
        min_value=0,
        max_value=100,
        required=False,
        initial=1,
        help_text=_("How much this part counts in the larger task's progress (0 = not counted)."),
    )
    feedback_items = FeedbackChoiceField(
        label=_("Citizens' feedback this commitment answers"),
        queryset=HardTask.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, data=None, *, actor, organization: Organization, task: HardTask | None = None, **kwargs
    ):
        super().__init__(data, **kwargs)
        self.organization = organization
        self.fields["responsible"].queryset = selectors.responsible_choices(organization)
        if permissions.has_any(actor, "citizens.view"):
            self.fields["feedback_items"].queryset = selectors.linkable_feedback(
                actor=actor, organization=organization
            )
        else:
            del self.fields["feedback_items"]
        if task is None:
            self.fields["parent"].queryset = selectors.parent_choices(actor=actor, organization=organization)
        else:
            del self.fields["parent"]
            if task.accepted_at is not None:
                # Agreed with the upper committee: shown, not editable.
                for name in ("target_result", "due_date"):
                    self.fields[name].disabled = True
        bootstrap(self)


class HardTaskUpdateForm(BootstrapForm):
    date = DateField(label=_("Date"))
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}))
    progress = forms.IntegerField(
        label=_("Progress (%)"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("How far the task is now, from 0 to 100."),
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        help_text=_("A PDF, a photo, a Word or an Excel file, at most %(mb)s MB.")
        % {"mb": EVIDENCE_MAX_BYTES // (1024 * 1024)},
    )

    def __init__(self, *args, has_children: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,.webp,.docx,.xlsx,image/*"
        if has_children:
            # The progress of a task with parts comes from its parts.
            del self.fields["progress"]
        bootstrap(self)


class TransitionForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Reason or note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
