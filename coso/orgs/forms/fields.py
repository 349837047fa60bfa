"""The building blocks every app's forms use: dates typed the Vietnamese way, Bootstrap classes, and the
organization fields (a select, or the search-as-you-type picker past a few dozen organizations)."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coso.accounts import permissions
from coso.core.forms import add_errors, bootstrap
from coso.core.text import fold

from ..models import (
    PATH_SEPARATOR,
    Organization,
    OrgKind,
)
from ..widgets import OrganizationMultiPicker, OrganizationPicker, Picked, PickerScope, resolve

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
        add_errors(self, fields)
        bootstrap(self)
