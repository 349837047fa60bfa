"""Restructuring: merge, move, rename, dissolve and split, each previewed before it is applied."""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from ..models import (
    Organization,
)
from .fields import BootstrapForm, DateField, OrganizationMultipleChoiceField, bootstrap, org_field

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
