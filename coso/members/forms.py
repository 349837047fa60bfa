"""Forms for member records: the list filters (shared by the page and the API), the record, events, transfers."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coso.core.forms import bootstrap
from coso.core.text import as_id
from coso.orgs.forms import OrganizationChoiceField, org_field
from coso.orgs.models import CELL_KINDS, Organization

from . import selectors
from .models import DisciplineForm, EventKind, Member, MemberStatus, PeriodKind, TheoryLevel
from .rules import check_member
from .services import EDITABLE_FIELDS, SIMPLE_EVENTS

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}

STATUS_CHOICES = [("", _("Current members")), ("all", _("All statuses")), *MemberStatus.choices]
AGE_BAND_CHOICES = [
    ("", _("Any age")),
    ("lt30", _("Under 30")),
    ("30-45", _("30 to 45")),
    ("46-60", _("46 to 60")),
    ("gt60", _("Over 60")),
]
WORKING_AWAY_CHOICES = [("", _("Any")), ("yes", _("Working away")), ("no", _("Not working away"))]
SORT_CHOICES = [
    ("name", _("Name (given, middle, family)")),
    ("-name", _("Name, reverse")),
    ("birth", _("Date of birth")),
    ("admitted", _("Admission date")),
    ("-admitted", _("Admission date, newest first")),
    ("org", _("Organization")),
]


class DateField(forms.DateField):
    """A date typed as dd/mm/yyyy or picked with the browser's date picker (which sends yyyy-mm-dd)."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault("help_text", _("dd/mm/yyyy"))
        super().__init__(**kwargs)


def _org_field(
    actor,
    *,
    perm: str,
    cells_only: bool = False,
    include_inactive: bool = False,
    exclude=(),
    root: Organization | None = None,
    **kwargs,
) -> OrganizationChoiceField:
    """The organizations where the actor holds `perm` (those of selectors.member_org_choices): a select for a
    few, a search-as-you-type picker for a province's thousands of cells."""
    return org_field(
        actor,
        perm=perm,
        kinds=CELL_KINDS if cells_only else (),
        include_inactive=include_inactive,
        exclude=exclude,
        root=root,
        **kwargs,
    )


class RuleErrorsMixin:
    warnings: dict[str, list[str]] = {}

    def fields_with_warnings(self):
        """Each visible field with the rule warnings about it (shown, never blocking)."""
        return [(field, self.warnings.get(field.name, [])) for field in self.visible_fields()]

    def full_clean(self):
        super().full_clean()
        bootstrap(self)

    def add_rule_errors(self, fields: dict) -> None:
        """Put a service's RuleViolation messages next to their fields (unknown names go on top)."""
        for name, messages in fields.items():
            target = name if name in self.fields else None
            for message in messages:
                self.add_error(target, message)
        bootstrap(self)


class MemberFilterForm(forms.Form):
    """The list's search, filters and sort. The page, the API and the export read the same query string."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    org = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), required=False
    )
    theory_level = forms.ChoiceField(
        label=_("Political theory level"),
        choices=[("", _("Any level")), *TheoryLevel.choices],
        required=False,
    )
    age_band = forms.ChoiceField(label=_("Age"), choices=AGE_BAND_CHOICES, required=False)
    working_away = forms.ChoiceField(label=_("Working away"), choices=WORKING_AWAY_CHOICES, required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def __init__(self, data=None, *, actor, **kwargs):
        super().__init__(data, **kwargs)
        # Only organizations the actor may see are valid: another one is "not found", like everywhere else.
        self.fields["org"] = _org_field(
            actor,
            perm="members.view",
            include_inactive=True,
            label=_("Organization"),
            required=False,
            empty_label=_("All my organizations"),
        )
        bootstrap(self)

    def filters(self) -> selectors.MemberFilters:
        data = self.cleaned_data
        away = {"yes": True, "no": False}.get(data.get("working_away") or "")
        return selectors.MemberFilters(
            q=data.get("q") or "",
            status=data.get("status") or "",
            organization=data.get("org"),
            theory_level=data.get("theory_level") or "",
            age_band=data.get("age_band") or "",
            working_away=away,
            sort=data.get("sort") or "name",
        )


def _record_fields() -> dict[str, forms.Field]:
    fields = forms.fields_for_model(Member, fields=EDITABLE_FIELDS)
    for name in ("date_of_birth", "admitted_on", "full_member_on"):
        model_field = Member._meta.get_field(name)
        fields[name] = DateField(label=model_field.verbose_name.capitalize(), required=not model_field.null)
    fields["email"].widget = forms.EmailInput()
    return fields


class MemberForm(RuleErrorsMixin, forms.Form):
    """The typed-in fields of a member record; rules (check_member) run in the service and land on fields."""

    def __init__(self, *args, actor, member: Member | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        fields = _record_fields()
        if member is None:
            # "New member" from a committee's list offers the cells under that committee.
            chosen = as_id(self.initial.get("organization"))
            within = (
                Organization.objects.exclude(kind__in=CELL_KINDS).filter(pk=chosen).first()
                if chosen
                else None
            )
            self.fields["organization"] = _org_field(
                actor,
                perm="members.change",
                cells_only=True,
                root=within,
                label=_("Cell"),
                help_text=_("The cell the member belongs to."),
            )
        self.fields.update(fields)
        self.fields["photo"] = forms.ImageField(
            label=_("Photo"),
            required=False,
            help_text=_("Optional. JPEG, PNG or WebP, at most 2 MB."),
        )
        if member is not None:
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
        self.warnings: dict[str, list[str]] = {}
        bootstrap(self)

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not photo:
            return None
        if photo.size > PHOTO_MAX_BYTES:
            raise ValidationError(_("The photo is larger than 2 MB."))
        image = getattr(photo, "image", None)
        if image is not None and (image.format or "").upper() not in PHOTO_FORMATS:
            raise ValidationError(_("The photo must be a JPEG, PNG or WebP image."))
        return photo

    def clean(self):
        data = super().clean()
        values = {name: data.get(name) for name in EDITABLE_FIELDS}
        # Warnings do not block the save; errors come back from the service with the uniqueness checks.
        self.warnings = check_member(values).warnings
        return data

    def record_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in EDITABLE_FIELDS}


EVENT_CHOICES = [(kind.value, kind.label) for kind in EventKind if kind in SIMPLE_EVENTS]


class EventForm(RuleErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Event"), choices=EVENT_CHOICES)
    occurred_on = DateField(label=_("Date"))
    decision_number = forms.CharField(label=_("Decision number"), max_length=100, required=False)
    issuing_body = forms.CharField(label=_("Issuing body"), max_length=255, required=False)
    discipline_form = forms.ChoiceField(
        label=_("Discipline form"),
        choices=[("", "---------"), *DisciplineForm.choices],
        required=False,
        help_text=_("Only for discipline. Expulsion is recorded as its own event."),
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class TransferForm(RuleErrorsMixin, forms.Form):
    """A transfer to another cell in the actor's scope, or out of Coso to a named organization."""

    to_organization = forms.ModelChoiceField(
        label=_("Receiving cell"), queryset=Organization.objects.none(), required=False
    )
    external_party = forms.CharField(
        label=_("Or an organization outside Coso"),
        max_length=255,
        required=False,
        help_text=_("Name the receiving Party organization when it is not managed in Coso."),
    )
    kind = forms.ChoiceField(
        label=_("Transfer"),
        choices=PeriodKind.choices,
        initial=PeriodKind.PERMANENT,
        widget=forms.RadioSelect,
    )
    occurred_on = DateField(label=_("Date"))
    decision_number = forms.CharField(label=_("Decision number"), max_length=100, required=False)
    issuing_body = forms.CharField(label=_("Issuing body"), max_length=255, required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, actor, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organization"] = _org_field(
            actor,
            perm="members.record_event",
            cells_only=True,
            exclude=[member.organization_id],
            label=_("Receiving cell"),
            required=False,
            empty_label=_("— outside Coso —"),
        )
        bootstrap(self)
        self.fields["kind"].widget.attrs["class"] = "form-check-input"

    def clean(self):
        data = super().clean()
        if data.get("to_organization") and (data.get("external_party") or "").strip():
            self.add_error(
                "external_party", _("Choose a cell in Coso or name an organization outside it, not both.")
            )
        return data


class TransferInForm(RuleErrorsMixin, forms.Form):
    """A member who was transferred out comes back into a cell of the actor's scope."""

    to_organization = forms.ModelChoiceField(label=_("Receiving cell"), queryset=Organization.objects.none())
    external_party = forms.CharField(
        label=_("Coming from"),
        max_length=255,
        required=False,
        help_text=_("The Party organization the member's file comes from."),
    )
    occurred_on = DateField(label=_("Date"))
    decision_number = forms.CharField(label=_("Decision number"), max_length=100, required=False)
    issuing_body = forms.CharField(label=_("Issuing body"), max_length=255, required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, actor, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organization"] = _org_field(
            actor, perm="members.record_event", cells_only=True, label=_("Receiving cell")
        )
        bootstrap(self)
