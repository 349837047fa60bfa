"""Forms of the review pages: opening a cycle, the cycle's filters, the self-review, a rating step, an objection."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coso.core.forms import DateField
from coso.orgs.forms import BootstrapForm, bootstrap, org_field

from .grading import Grade
from .manifestations import Manifestation
from .models import CycleKind, ReviewKind, ReviewStatus
from .selectors import ReviewFilters


class CycleForm(BootstrapForm):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind of review"), choices=CycleKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        choices=[("", _("None")), ("1", "1"), ("2", "2"), ("3", "3")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    review_date = DateField(label=_("Review date"))
    self_review_due = DateField(label=_("Self-reviews due"))
    cell_due = DateField(label=_("Cell proposals due"))
    committee_due = DateField(label=_("Committee proposals due"))
    decision_due = DateField(label=_("Decisions due"))

    def __init__(self, data=None, *, actor, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["organization"] = org_field(actor, perm="reviews.manage", label=_("Organization"))
        bootstrap(self)


class ReviewFilterForm(BootstrapForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    org = forms.ModelChoiceField(label=_("Organization"), queryset=None, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *ReviewStatus.choices], required=False
    )
    grade = forms.ChoiceField(
        label=pgettext_lazy("quality rating", "Rating"),
        choices=[("", _("Any rating")), *Grade.choices],
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Individual or collective"),
        choices=[("", _("Individuals and collectives")), *ReviewKind.choices],
        required=False,
    )

    def __init__(self, data=None, *, actor, cycle, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["org"] = org_field(
            actor,
            perm="reviews.view",
            root=cycle.organization,
            include_inactive=True,
            label=_("Organization"),
            required=False,
            empty_label=_("All organizations of the cycle"),
        )
        bootstrap(self)

    def filters(self) -> ReviewFilters:
        data = self.cleaned_data
        return ReviewFilters(
            q=data.get("q") or "",
            organization=data.get("org"),
            status=data.get("status") or "",
            grade=data.get("grade") or "",
            kind=data.get("kind") or "",
        )


class SelfReviewForm(BootstrapForm):
    strengths = forms.CharField(
        label=_("Strengths"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    shortcomings = forms.CharField(
        label=_("Shortcomings and their causes"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    responsibility = forms.CharField(
        label=_("Responsibility"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    prompt_answers = forms.CharField(
        label=_("Answers to the review prompts"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    earlier_shortcomings_fixed = forms.CharField(
        label=_("Fixing of the last review's shortcomings"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    plan_result = forms.CharField(
        label=_("Result of the follow-through plan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    manifestations = forms.MultipleChoiceField(
        label=_("Manifestations found in the self-check"),
        choices=Manifestation.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    self_score = forms.DecimalField(
        label=_("Self-proposed score (0-100)"), min_value=0, max_value=100, decimal_places=2, required=False
    )
    self_grade = forms.ChoiceField(
        label=_("Self-proposed rating"), choices=[("", "—"), *Grade.choices], required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, individual: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not individual:
            # A collective is not checked against the 27 manifestations of a person.
            del self.fields["manifestations"]
        bootstrap(self)


class RatingForm(BootstrapForm):
    grade = forms.ChoiceField(label=pgettext_lazy("quality rating", "Rating"), choices=Grade.choices)
    score = forms.DecimalField(
        label=_("Score (0-100)"), min_value=0, max_value=100, decimal_places=2, required=False
    )
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0, required=False)
    votes_against = forms.IntegerField(label=_("Votes against"), min_value=0, required=False)
    reason = forms.CharField(
        label=_("Reason or comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, with_vote: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_vote:
            del self.fields["votes_for"]
            del self.fields["votes_against"]
        bootstrap(self)


class ObjectionForm(BootstrapForm):
    reason = forms.CharField(label=_("Why you object"), widget=forms.Textarea(attrs={"rows": 3}))


class PromptForm(BootstrapForm):
    """A prompt to a collective of the cycle (picked, search as you type); members are prompted from their review."""

    organization = forms.ModelChoiceField(label=_("Collective prompted"), queryset=None)
    text = forms.CharField(label=_("Prompt"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, data=None, *, actor, cycle, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["organization"] = org_field(
            actor, perm="reviews.manage", root=cycle.organization, label=_("Collective prompted")
        )
        bootstrap(self)


class PromptTextForm(BootstrapForm):
    text = forms.CharField(label=_("Prompt"), widget=forms.Textarea(attrs={"rows": 3}))
