"""Forms of the organization pages: tree filters, edits, terms and seats, supervision, restructuring."""

from __future__ import annotations

import re

from django import forms
from django.apps import apps
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coso.accounts import permissions
from coso.core.text import fold

from . import selectors
from .models import (
    CELL_KINDS,
    PATH_SEPARATOR,
    CommitteeKind,
    Organization,
    OrgKind,
    PositionTitle,
    SupervisionKind,
)
from .widgets import OrganizationMultiPicker, OrganizationPicker, Picked, PickerScope, resolve

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
CURRENT_STATUSES = ("FULL", "EXEMPT", "PROBATIONARY")

# Which kinds may sit under which (the services check it again).
CHILD_KINDS = {
    OrgKind.PROVINCIAL: [OrgKind.DISTRICT, OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_CELL],
    OrgKind.DISTRICT: [OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_CELL],
    OrgKind.GRASSROOTS_COMMITTEE: [OrgKind.CELL],
}


class DateField(forms.DateField):
    """A date typed as dd/mm/yyyy or picked with the browser's date picker (which sends yyyy-mm-dd)."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def __init__(self, *, past_only: bool = False, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault("help_text", _("dd/mm/yyyy"))
        self.past_only = past_only
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if self.past_only and value and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))


def bootstrap(form: forms.BaseForm) -> None:
    """Give every widget its Bootstrap class (and mark fields with errors) so templates stay plain."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput | forms.MultipleHiddenInput):
            continue
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        if form.is_bound and form._errors and name in form._errors:
            css += " is-invalid"
        widget.attrs["class"] = css


class OrganizationChoiceField(forms.ModelChoiceField):
    """One organization. A short list is a select in tree order, indented by depth so it reads like the tree;
    a long one is a search-as-you-type picker (coso.orgs.widgets) whose typed code or name is resolved here."""

    widget = OrganizationPicker
    base_depth = 0

    def __init__(self, *args, scope: PickerScope | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.widget, OrganizationPicker):
            self.widget.scope = scope

    def label_from_instance(self, obj: Organization) -> str:
        label = "\u2003" * max(obj.depth - self.base_depth, 0) + obj.name
        return label if obj.is_active else f"{label} ({obj.get_status_display()})"

    def to_python(self, value):
        if not isinstance(value, Picked):
            return super().to_python(value)
        text = (value.text or "").strip()
        if value.pk:
            org = super().to_python(value.pk)  # a pk outside the queryset is "not found"
            if not text or fold(text) in (org.name_folded, fold(org.code)):
                return org
        return resolve(self.queryset, text) if text else None


class OrganizationMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several organizations: tick boxes for a short list, the picker for a long one (codes may be typed
    separated by commas)."""

    widget = OrganizationMultiPicker
    base_depth = 0

    def __init__(self, *args, scope: PickerScope | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.widget, OrganizationPicker):
            self.widget.scope = scope

    def label_from_instance(self, obj: Organization) -> str:
        return "\u2003" * max(obj.depth - self.base_depth, 0) + obj.name

    def clean(self, value):
        if isinstance(value, Picked):
            pks = list(value.pks)
            for part in re.split(r"[,;\n]+", value.text or ""):
                if part.strip():
                    pks.append(str(resolve(self.queryset, part).pk))
            value = list(dict.fromkeys(pks))
        return super().clean(value)

    def has_changed(self, initial, data):
        return super().has_changed(initial, data.pks if isinstance(data, Picked) else data)


def org_field(
    actor,
    *,
    perm: str,
    field_class=OrganizationChoiceField,
    queryset=None,
    kinds=(),
    exclude_kinds=(),
    root: Organization | None = None,
    include_inactive: bool = False,
    exclude=(),
    residential: bool = False,
    **kwargs,
):
    """A field over the organizations where the actor holds `perm` (active ones unless `include_inactive`),
    narrowed by kind, subtree or exclusions. The same scope, signed, drives the picker's suggestions; a
    `queryset` may narrow validation further but should not offer more than the scope."""
    scope = PickerScope(
        perm=perm,
        kinds=tuple(kinds),
        exclude_kinds=tuple(exclude_kinds),
        root=root.path if root is not None else "",
        include_inactive=include_inactive,
        exclude=tuple(exclude),
        residential=residential,
    )
    if queryset is None:
        queryset = scope.queryset(actor)
    field = field_class(queryset=queryset, scope=scope, **kwargs)
    if root is not None and isinstance(field.widget, OrganizationPicker):
        field.widget.root_name = root.name
    roots = permissions.scope_paths(actor, perm)
    if root is not None:
        roots = [root.path]
    field.base_depth = min((p.count(PATH_SEPARATOR) for p in roots), default=0) if roots else 0
    field.error_messages["invalid_choice"] = _("This organization was not found.")
    if issubclass(field_class, OrganizationMultipleChoiceField):
        field.error_messages["invalid_choice"] = _("One of the organizations was not found.")
    return field


class BootstrapForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def full_clean(self):
        super().full_clean()
        bootstrap(self)

    def add_rule_errors(self, fields: dict) -> None:
        """Put a service's error messages next to their fields (unknown names go on top)."""
        for name, messages in fields.items():
            target = name if name in self.fields else None
            for message in messages:
                self.add_error(target, message)
        bootstrap(self)


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


# --- restructuring ----------------------------------------------------------------------------------------------


class RestructureForm(BootstrapForm):
    """The fields every restructuring carries: when it takes effect, the decision, a note."""

    effective_on = DateField(label=_("Effective on"), past_only=True)
    decision_number = forms.CharField(label=_("Decision number"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, actor, **kwargs):
        self.actor = actor
        super().__init__(*args, **kwargs)

    def _finish(self) -> None:
        """Put the common fields after the kind's own fields."""
        for name in ("effective_on", "decision_number", "note"):
            self.fields[name] = self.fields.pop(name)
        bootstrap(self)

    def _org(self, name: str, label, **kwargs):
        self.fields[name] = org_field(self.actor, perm="orgs.restructure", label=label, **kwargs)

    def common(self) -> dict:
        data = self.cleaned_data
        return {
            "effective_on": data["effective_on"],
            "decision_number": data.get("decision_number", ""),
            "note": data.get("note", ""),
        }


class MergeForm(RestructureForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Tick boxes (or, past a few dozen organizations, a picker that adds ticked boxes): usable on a phone.
        self._org(
            "sources",
            _("Organizations to merge"),
            field_class=OrganizationMultipleChoiceField,
            help_text=_("Tick every organization that is merged."),
        )
        self._org(
            "target",
            _("Into an existing organization"),
            required=False,
            empty_label=_("— a new organization —"),
        )
        self.fields["new_code"] = forms.CharField(label=_("Code of the new organization"), required=False)
        self.fields["new_name"] = forms.CharField(label=_("Name of the new organization"), required=False)
        self._org(
            "committee_from",
            _("Committee of the new organization"),
            required=False,
            empty_label=_("— none: its committee is appointed afterwards —"),
            help_text=_(
                "The current term, committees and seats of the chosen organization carry over to the new one. "
                "The seats of the other merged organizations end."
            ),
        )
        self._finish()

    def clean(self):
        data = super().clean()
        target = data.get("target")
        sources = list(data.get("sources") or [])
        if target is None:
            if len(sources) < 2 and "sources" not in self.errors:
                self.add_error("sources", _("Choose at least two organizations to merge."))
            if not (data.get("new_code") or "").strip():
                self.add_error(
                    "new_code", _("Give the code of the new organization, or choose an existing one.")
                )
            elif Organization.objects.filter(code=data["new_code"].strip()).exists():
                self.add_error("new_code", _("Another organization already has this code."))
            if not (data.get("new_name") or "").strip():
                self.add_error(
                    "new_name", _("Give the name of the new organization, or choose an existing one.")
                )
        elif any(org.pk == target.pk for org in sources):
            self.add_error("target", _("An organization cannot be merged into itself."))
        committee_from = data.get("committee_from")
        if committee_from is not None:
            if target is not None:
                self.add_error("committee_from", _("An existing organization keeps its own committee."))
            elif all(org.pk != committee_from.pk for org in sources):
                self.add_error(
                    "committee_from", _("Choose the committee of one of the merged organizations.")
                )
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "sources": list(data["sources"]),
            "target": data.get("target"),
            "new_code": (data.get("new_code") or "").strip(),
            "new_name": (data.get("new_name") or "").strip(),
            "committee_from": data.get("committee_from"),
            **self.common(),
        }


class MoveForm(RestructureForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._org("org", _("Organization to move"))
        self._org("new_parent", _("New parent organization"))
        self._finish()

    def clean(self):
        data = super().clean()
        org, parent = data.get("org"), data.get("new_parent")
        if org and parent:
            if org.contains(parent):
                self.add_error(
                    "new_parent",
                    _("An organization cannot be moved under itself or its own sub-organization."),
                )
            elif org.parent_id == parent.pk:
                self.add_error("new_parent", _("The organization is already under this parent."))
        return data

    def service_kwargs(self) -> dict:
        return {
            "org": self.cleaned_data["org"],
            "new_parent": self.cleaned_data["new_parent"],
            **self.common(),
        }


class RenameForm(RestructureForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._org("org", _("Organization to rename"))
        self.fields["new_name"] = forms.CharField(label=_("New name"), max_length=255)
        self._finish()

    def clean(self):
        data = super().clean()
        org, name = data.get("org"), (data.get("new_name") or "").strip()
        if org and name and name == org.name:
            self.add_error("new_name", _("The new name is the same as the current one."))
        return data

    def service_kwargs(self) -> dict:
        return {"org": self.cleaned_data["org"], "new_name": self.cleaned_data["new_name"], **self.common()}


class DissolveForm(RestructureForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._org("org", _("Organization to dissolve"))
        self._finish()

    def service_kwargs(self) -> dict:
        return {"org": self.cleaned_data["org"], **self.common()}


MAX_PARTS = 6


class SplitSourceForm(BootstrapForm):
    """Step one of a split: which organization (a picker at province scale)."""

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"] = org_field(actor, perm="orgs.restructure", label=_("Organization to split"))
        bootstrap(self)


class SplitForm(RestructureForm):
    """Split one organization into new ones: a code and name per part, and the part each member goes to."""

    def __init__(self, *args, source: Organization, parts: int = 2, **kwargs):
        super().__init__(*args, **kwargs)
        Member = apps.get_model("members", "Member")  # noqa: N806 - a model class
        self.source_org = source
        self.parts = max(2, min(parts, MAX_PARTS))
        self.fields["source"] = forms.IntegerField(widget=forms.HiddenInput, initial=source.pk)
        self.fields["parts"] = forms.IntegerField(widget=forms.HiddenInput, initial=self.parts)
        for i in range(1, self.parts + 1):
            self.fields[f"part_{i}_code"] = forms.CharField(
                label=_("Code of part %(n)d") % {"n": i}, max_length=40
            )
            self.fields[f"part_{i}_name"] = forms.CharField(
                label=_("Name of part %(n)d") % {"n": i}, max_length=255
            )
        choices = [(str(i), _("Part %(n)d") % {"n": i}) for i in range(1, self.parts + 1)]
        # Every member recorded in the organization goes somewhere (the service checks it again).
        self.members = list(Member.objects.filter(organization=source).order_by("name_sort", "id"))
        for member in self.members:
            self.fields[f"member_{member.pk}"] = forms.ChoiceField(label=member.full_name, choices=choices)
        self.fields["takes_over"] = forms.ChoiceField(
            label=_("Takes over the open matters"),
            choices=choices,
            initial="1",
            required=False,
            help_text=_(
                "Open feedback items, commitments, campaigns and escalations of the organization go to this part."
            ),
        )
        self._finish()

    def part_fields(self):
        return [(self[f"part_{i}_code"], self[f"part_{i}_name"]) for i in range(1, self.parts + 1)]

    def member_fields(self):
        return [(member, self[f"member_{member.pk}"]) for member in self.members]

    def clean(self):
        data = super().clean()
        codes = [(data.get(f"part_{i}_code") or "").strip() for i in range(1, self.parts + 1)]
        taken = set(
            Organization.objects.filter(code__in=[c for c in codes if c]).values_list("code", flat=True)
        )
        seen: set[str] = set()
        for i, code in enumerate(codes, start=1):
            if not code:
                continue
            if code in taken:
                self.add_error(f"part_{i}_code", _("Another organization already has this code."))
            elif code in seen:
                self.add_error(f"part_{i}_code", _("Two parts cannot have the same code."))
            seen.add(code)
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        parts = []
        for i in range(1, self.parts + 1):
            parts.append(
                {
                    "code": data[f"part_{i}_code"].strip(),
                    "name": data[f"part_{i}_name"].strip(),
                    "member_ids": [m.pk for m in self.members if data.get(f"member_{m.pk}") == str(i)],
                }
            )
        return {
            "source": self.source_org,
            "parts": parts,
            "takes_over": int(data.get("takes_over") or 1) - 1,
            **self.common(),
        }


RESTRUCTURE_FORMS = {
    "merge": MergeForm,
    "split": SplitForm,
    "move": MoveForm,
    "rename": RenameForm,
    "dissolve": DissolveForm,
}
