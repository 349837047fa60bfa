"""Forms of the emulation pages: the movement with its criteria rows, covenants, scores, awards and filters."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coso.core.forms import DateField, bootstrap
from coso.orgs.forms import BootstrapForm, org_field
from coso.orgs.models import CELL_KINDS, Organization

from . import selectors
from .models import AwardKind, Criterion, MovementTarget, ScoreResult

CRITERIA_ROWS = 6
YES_NO = [("", _("Any")), ("yes", _("Signed")), ("no", _("Not signed yet"))]


def year_choices(first: int | None = None, last: int | None = None, *, blank: bool = True):
    this_year = timezone.localdate().year
    first = first or this_year - 5
    last = last or this_year + 1
    choices = [(str(y), str(y)) for y in range(last, first - 1, -1)]
    return ([("", _("All years"))] if blank else []) + choices


class MovementFilterForm(BootstrapForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, empty_value=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
        bootstrap(self)


class MovementForm(BootstrapForm):
    organization = forms.ModelChoiceField(label=_("Launched by"), queryset=Organization.objects.none())
    name = forms.CharField(label=_("Name of the movement"), max_length=200)
    start_year = forms.IntegerField(label=_("From year"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_("To year"), min_value=2000, max_value=2100)
    target = forms.ChoiceField(label=_("Applies to"), choices=MovementTarget.choices)
    launched_on = DateField(label=_("Launched on"), required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, data=None, *, actor, initial_criteria=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["organization"] = org_field(
            actor, perm="emulation.manage", exclude_kinds=CELL_KINDS, label=_("Launched by")
        )
        initial_criteria = list(initial_criteria)
        self.criteria_rows = []
        for index in range(CRITERIA_ROWS):
            item = initial_criteria[index] if index < len(initial_criteria) else {}
            names = (f"c{index}_name", f"c{index}_weight", f"c{index}_max")
            self.fields[names[0]] = forms.CharField(
                label=_("Criterion %(n)s") % {"n": index + 1}, required=False, max_length=200,
                initial=item.get("name", ""),
            )  # fmt: skip
            self.fields[names[1]] = forms.IntegerField(
                label=_("Weight (%)"), required=False, min_value=0, max_value=100, initial=item.get("weight")
            )
            self.fields[names[2]] = forms.IntegerField(
                label=_("Maximum score"),
                required=False,
                min_value=1,
                max_value=1000,
                initial=item.get("max_score"),
            )
            self.criteria_rows.append(names)
        bootstrap(self)

    def criteria_fields(self):
        return [[self[name] for name in names] for names in self.criteria_rows]

    def criteria(self) -> list[dict]:
        data = self.cleaned_data
        result = []
        for name, weight, maximum in self.criteria_rows:
            if data.get(name) or data.get(weight) is not None:
                result.append(
                    {"name": data.get(name) or "", "weight": data.get(weight), "max_score": data.get(maximum)}
                )
        return result


class ParticipantFilterForm(BootstrapForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    signed = forms.ChoiceField(label=_("Covenant"), choices=YES_NO, required=False)
    year = forms.TypedChoiceField(label=_("Year of the scores"), coerce=int, empty_value=None, required=False)

    def __init__(self, data=None, *, actor, movement, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["year"].choices = [(str(y), str(y)) for y in reversed(movement.years)]
        # A part of the tree (a ward of the city's movement): the picker, never a list of every organization.
        self.fields["org"] = org_field(
            actor,
            perm="emulation.view",
            root=movement.organization,
            include_inactive=True,
            label=_("Within"),
            required=False,
            empty_label=_("All organizations of the movement"),
        )
        bootstrap(self)

    def filters(self) -> selectors.ParticipantFilters:
        return selectors.ParticipantFilters(
            q=self.cleaned_data.get("q") or "",
            signed={"yes": True, "no": False}.get(self.cleaned_data.get("signed") or ""),
            organization=self.cleaned_data.get("org"),
        )


class PickOrganizationForm(BootstrapForm):
    org = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.none())

    def __init__(self, data=None, *, actor, movement, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["org"] = org_field(
            actor,
            perm="emulation.self_score",
            kinds=selectors.TARGET_KINDS[movement.target],
            root=movement.organization,
            label=_("Organization signing the covenant"),
        )
        bootstrap(self)


class CovenantForm(BootstrapForm):
    signed_on = DateField(label=_("Signed on"))
    signed_by = forms.CharField(label=_("Signed by"), max_length=200)
    commitments = forms.CharField(
        label=_("Commitments"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class ScoresForm(BootstrapForm):
    """One score field per criterion (named by the criterion's id)."""

    def __init__(self, data=None, *, criteria: list[Criterion], initial_scores=None, **kwargs):
        super().__init__(data, **kwargs)
        initial_scores = initial_scores or {}
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.DecimalField(
                label=criterion.name,
                min_value=0,
                max_value=criterion.max_score,
                decimal_places=2,
                initial=initial_scores.get(criterion.pk),
            )
        bootstrap(self)

    def scores(self) -> dict[int, object]:
        return {int(name.removeprefix("score_")): value for name, value in self.cleaned_data.items()}


class DecideForm(BootstrapForm):
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[(ScoreResult.ACHIEVED, _("Recognized")), (ScoreResult.NOT_ACHIEVED, _("Not recognized"))],
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AwardFilterForm(BootstrapForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, empty_value=None, required=False)
    kind = forms.ChoiceField(
        label=_("Kind of award"), choices=[("", _("Any kind")), *AwardKind.choices], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
        bootstrap(self)

    def filters(self) -> selectors.AwardFilters:
        data = self.cleaned_data
        return selectors.AwardFilters(
            q=data.get("q") or "", year=data.get("year"), kind=data.get("kind") or ""
        )


class AwardForm(BootstrapForm):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    kind = forms.ChoiceField(label=_("Kind of award"), choices=AwardKind.choices)
    year = forms.IntegerField(label=_("Year rewarded"), min_value=2000, max_value=2100)
    issuer = forms.CharField(label=_("Issued by"), max_length=200)
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    decision_date = DateField(label=_("Decision date"))
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, data=None, *, actor, member=None, **kwargs):
        super().__init__(data, **kwargs)
        if member is not None:
            # The member's award belongs to the member's organization: no organization to choose.
            del self.fields["organization"]
        else:
            self.fields["organization"] = org_field(
                actor, perm="emulation.manage", label=_("Organization receiving the award")
            )
        bootstrap(self)
