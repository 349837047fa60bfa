"""The organization picker: a search-as-you-type field instead of a <select> of every organization in scope.

A province has thousands of cells, so a field over organizations renders a text input that asks
`orgs:pick` for at most a page of matches (htmx) and a hidden input carrying the chosen pk. Small scopes keep a
plain select (or tick boxes for several). The field still validates the pk against its queryset, and a typed
code or name is resolved on the server, so the form works without JavaScript.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from django import forms
from django.core import signing
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coso.accounts import permissions
from coso.core.text import as_id, fold

from .models import PATH_SEPARATOR, Organization

# Up to this many organizations a field is a plain select (a cell secretary sees a handful); past it, a picker.
PICKER_THRESHOLD = 40
TEXT_SUFFIX = "_text"
MIN_PART = 3
SALT = "coso.orgs.picker"
_SEPARATORS = re.compile(r"[,;\n]+")


@dataclass(frozen=True)
class PickerScope:
    """Which organizations a picker offers, as the search endpoint rebuilds them for the requesting user.

    It travels signed in the field's search address, so a user cannot widen it (a perm they hold on more
    organizations, another root); the endpoint scopes by the requesting user's grants whatever it says.
    """

    perm: str = "orgs.view"
    kinds: tuple[str, ...] = ()
    exclude_kinds: tuple[str, ...] = ()
    root: str = ""  # a path: the subtree the field is limited to
    include_inactive: bool = False
    exclude: tuple[int, ...] = ()
    residential: bool = False  # only residential areas (and the root itself)

    def queryset(self, actor) -> QuerySet[Organization]:
        qs = Organization.objects.filter(permissions.scope_q(actor, self.perm))
        if not self.include_inactive:
            qs = qs.filter(status="ACTIVE")
        if self.root:
            qs = qs.filter(Q(path=self.root) | Q(path__startswith=self.root + PATH_SEPARATOR))
            if self.residential:
                qs = qs.filter(Q(path=self.root) | Q(residential=True))
        if self.kinds:
            qs = qs.filter(kind__in=self.kinds)
        if self.exclude_kinds:
            qs = qs.exclude(kind__in=self.exclude_kinds)
        if self.exclude:
            qs = qs.exclude(pk__in=self.exclude)
        return qs.select_related("parent").order_by("path")

    def sign(self) -> str:
        data = {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items() if v}
        return signing.dumps(data, salt=SALT, compress=True)

    @classmethod
    def unsign(cls, token: str) -> PickerScope:
        """The scope a field signed; BadSignature when it was not signed by us or names an unknown perm."""
        data = signing.loads(token, salt=SALT)
        if not isinstance(data, dict) or set(data) - set(cls.__dataclass_fields__):
            raise signing.BadSignature("not a picker scope")
        scope = cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})
        if scope.perm not in permissions.PERMISSIONS:
            raise signing.BadSignature("unknown permission")
        return scope


def search(queryset: QuerySet[Organization], q: str) -> QuerySet[Organization]:
    """Matches of a typed text, accent-insensitive: the exact code first, then names starting with it, by name."""
    text = (q or "").strip()
    if not text:
        return queryset.order_by("path")
    folded = fold(text)
    rank = Case(
        When(code__iexact=text, then=Value(0)),
        When(name_folded__startswith=folded, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    matches = queryset.filter(Q(name_folded__contains=folded) | Q(code__istartswith=text))
    return matches.annotate(pick_rank=rank).order_by("pick_rank", "name_sort", "path")


def resolve(queryset: QuerySet[Organization], text: str) -> Organization:
    """The one organization a typed code or name means, or a ValidationError that says what to do."""
    text = text.strip()
    by_code = list(queryset.filter(code__iexact=text)[:2])
    if len(by_code) == 1:
        return by_code[0]
    folded = fold(text)
    found = list(queryset.filter(name_folded=folded)[:2])
    if not found and len(folded) >= MIN_PART:  # a letter or two is a code mistyped, not a part of a name
        found = list(queryset.filter(name_folded__contains=folded)[:2])
    if len(found) == 1:
        return found[0]
    if not found:
        raise forms.ValidationError(
            _("No organization matches “%(text)s”. Type its code or part of its name."),
            code="invalid_choice",
            params={"text": text},
        )
    raise forms.ValidationError(
        _("Several organizations match “%(text)s”. Type its code or choose one from the list."),
        code="invalid_choice",
        params={"text": text},
    )


def hint(org: Organization) -> str:
    """What tells two cells of the same name apart: the code and the organization above."""
    return f"{org.code} · {org.parent.name}" if org.parent_id else org.code


class Picked:
    """What a picker posted: the chosen pk(s) and the text typed in its search field (None when not sent)."""

    def __init__(self, pks: list[str], text: str | None):
        self.pks = [pk for pk in pks if pk not in ("", None)]
        self.text = text

    @property
    def pk(self) -> str:
        return self.pks[0] if self.pks else ""

    def __str__(self) -> str:
        return self.pk

    def __bool__(self) -> bool:
        return bool(self.pks) or bool((self.text or "").strip())

    def __eq__(self, other) -> bool:
        return isinstance(other, Picked) and (self.pks, self.text) == (other.pks, other.text)

    def __hash__(self) -> int:
        return hash((tuple(self.pks), self.text))


class OrganizationPicker(forms.Select):
    """A select for a short list; a combobox (text + hidden pk + htmx suggestions) for a long one."""

    template_name = "orgs/_picker.html"
    multiple = False
    threshold: int | None = None  # None: PICKER_THRESHOLD (read at render time, so tests can lower it)
    root_name = ""  # the organization a field is limited to, named in the help

    def __init__(self, attrs=None, choices=(), *, scope: PickerScope | None = None):
        super().__init__(attrs, choices)
        self.scope = scope

    def __deepcopy__(self, memo):
        obj = super().__deepcopy__(memo)
        obj.scope = self.scope
        obj.root_name = self.root_name
        return obj

    # --- what the browser sends --------------------------------------------------------------------------------

    def value_from_datadict(self, data, files, name):
        text = data.get(name + TEXT_SUFFIX)
        if self.multiple:
            pks = data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
            pks = [pks] if isinstance(pks, str) else list(pks)
            return Picked(pks, text) if text is not None else pks
        if text is None:  # a plain select, a link (?org=12) or the API: the pk alone
            return data.get(name)
        return Picked([data.get(name) or ""], text)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + TEXT_SUFFIX not in data

    def format_value(self, value):
        if isinstance(value, Picked):
            return value.pks
        return super().format_value(value)

    # --- rendering ---------------------------------------------------------------------------------------------

    def _queryset(self):
        return getattr(self.choices, "queryset", None)

    def use_picker(self) -> bool:
        """One cheap query: are there more organizations than a select should list?"""
        queryset = self._queryset()
        if self.scope is None or queryset is None:
            return False
        limit = PICKER_THRESHOLD if self.threshold is None else self.threshold
        return queryset[: limit + 1].count() > limit

    def get_context(self, name, value, attrs):
        if not self.use_picker():
            context = super().get_context(name, value, attrs)
            context["picker"] = None
            return context
        context = forms.Widget.get_context(self, name, value, attrs)
        widget = context["widget"]
        widget["attrs"].pop("required", None)  # the server says what is missing; a ticked box may be enough
        css = widget["attrs"].get("class", "")
        widget["attrs"]["class"] = (css.replace("form-select", "form-control") or "form-control").strip()
        chosen, text = self._chosen(value)
        input_id = widget["attrs"].get("id") or f"id_{name}"
        described = [widget["attrs"].get("aria-describedby", ""), f"{input_id}_hint"]
        widget["attrs"]["aria-describedby"] = " ".join(part for part in described if part)
        query = {"scope": self.scope.sign(), "field": input_id, "name": name}
        if self.multiple:
            query["multiple"] = "1"
        widget.update(
            picker={
                "id": input_id,
                "text_name": name + TEXT_SUFFIX,
                "url": reverse("orgs:pick") + "?" + urlencode(query),
                "chosen": [{"pk": org.pk, "name": org.name, "hint": hint(org)} for org in chosen],
                "text": text,
                "multiple": self.multiple,
                "listbox_label": _("Matching organizations"),
                "placeholder": _("Type a code or part of a name"),
                "help": (
                    _("Type a code or part of the name of an organization under %(root)s, then choose.")
                    % {"root": self.root_name}
                    if self.root_name
                    else _("Type a code or part of the name, then choose from the list.")
                ),
            },
        )
        context["picker"] = widget["picker"]
        return context

    def _chosen(self, value) -> tuple[list[Organization], str]:
        """The organizations to show as chosen (never one outside the field's queryset) and the typed text."""
        text = ""
        if isinstance(value, Picked):
            pks, text = value.pks, value.text or ""
        elif isinstance(value, list | tuple):
            pks = [getattr(v, "pk", v) for v in value]
        else:
            pks = [getattr(value, "pk", value)] if value not in (None, "") else []
        ids = [as_id(str(pk)) for pk in pks if as_id(str(pk)) is not None]
        chosen = list(self._queryset().filter(pk__in=ids)) if ids else []
        if not self.multiple and chosen and text:
            # The text was typed over a choice (no JavaScript): show what the user typed, not the old name.
            if fold(text) not in (chosen[0].name_folded, fold(chosen[0].code)):
                return [], text
            text = ""
        if not self.multiple and chosen:
            text = chosen[0].name
        return chosen, text


class OrganizationMultiPicker(OrganizationPicker):
    """Several organizations: tick boxes for a short list; for a long one the chosen ones as ticked boxes plus
    a search field that adds more (or takes codes separated by commas without JavaScript)."""

    multiple = True
    allow_multiple_selected = True
    option_template_name = "django/forms/widgets/checkbox_option.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["picker"] is None:
            # Tick boxes rather than a multiple select: usable on a phone.
            boxes = forms.CheckboxSelectMultiple({**self.attrs, "class": "form-check-input"}, self.choices)
            boxes.is_required = self.is_required
            context = boxes.get_context(name, value if not isinstance(value, Picked) else value.pks, attrs)
            context["boxes"] = boxes
            context["picker"] = None
        return context

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        if context.get("boxes") is not None:
            return context["boxes"]._render(context["boxes"].template_name, context, renderer)
        return self._render(self.template_name, context, renderer)

    def id_for_label(self, id_, index=None):
        return id_
