"""Forms for accounts: grants, new user accounts, personal API tokens and the access-log filters."""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coso.core.forms import DateField, bootstrap
from coso.orgs import forms as orgs_forms
from coso.orgs.models import Organization, OrgStatus
from coso.orgs.widgets import PickerScope

from . import permissions
from .models import Role
from .selectors import AccessLogFilters


class OrganizationChoiceField(orgs_forms.OrganizationChoiceField):
    """Organizations in tree order, indented by depth so the select reads like the tree (a picker past a few
    dozen: a province administrator grants on thousands)."""

    def label_from_instance(self, obj: Organization) -> str:
        return "\u2003" * max(obj.depth - self.base_depth, 0) + f"{obj.name} ({obj.code})"


def organizations_for(actor, perm: str) -> OrganizationChoiceField:
    roots = permissions.scope_paths(actor, perm)
    field = OrganizationChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.filter(
            permissions.scope_q(actor, perm), status=OrgStatus.ACTIVE
        ).order_by("path"),
        scope=PickerScope(perm=perm),
    )
    field.base_depth = min((p.count(".") for p in roots), default=0) if roots else 0
    return field


class GrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=[("", "—"), *Role.choices])

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = organizations_for(actor, "accounts.manage_grants")
        self.order_fields(["organization", "role"])
        bootstrap(self)


class UserCreateForm(forms.Form):
    member = forms.CharField(
        label=_("Member record"),
        max_length=20,
        help_text=_("The party card number or the national ID number of the member."),
    )
    username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(render_value=False), strip=False
    )
    password2 = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput(render_value=False), strip=False
    )
    role = forms.ChoiceField(
        label=_("First role"),
        required=False,
        choices=[("", _("No role yet")), *Role.choices],
        help_text=_("Given on the member's organization."),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        bootstrap(self)

    def clean_member(self):
        """Find the record by card number or national ID among the members the actor may give accounts to."""
        Member = apps.get_model("members", "Member")
        text = "".join(self.cleaned_data["member"].split())
        member = (
            Member.objects.select_related("organization")
            .filter(Q(card_number=text) | Q(national_id=text))
            .filter(permissions.scope_q(self.actor, "accounts.manage_grants", field="organization__path"))
            .first()
        )
        if member is None:
            raise forms.ValidationError(
                _("No member with this card or national ID number in your organizations.")
            )
        return member

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords do not match."))
        return data


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        required=False,
        help_text=_("What the token is for, e.g. the name of a script."),
    )
    days = forms.TypedChoiceField(label=_("Valid for"), coerce=int, required=False, empty_value=None)
    read_only = forms.BooleanField(
        label=_("Read only"),
        required=False,
        help_text=_("The program can read what you can read, but never change anything."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        longest = settings.COSO_API_TOKEN_DAYS
        lifetimes = sorted({days for days in (30, 90, 180, 365) if days < longest} | {longest})
        self.fields["days"].choices = [
            (days, ngettext("%(n)d day", "%(n)d days", days) % {"n": days}) for days in lifetimes
        ]
        self.fields["days"].initial = longest
        bootstrap(self)


class AccessLogFilterForm(forms.Form):
    user = forms.CharField(
        label=_("Who viewed"), required=False, max_length=150, help_text=_("user name or full name")
    )
    date_from = DateField(label=_("From"), required=False)
    date_to = DateField(label=_("To"), required=False)
    record = forms.CharField(
        label=_("Whose data"), required=False, max_length=255, help_text=_("member's name or record id")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> AccessLogFilters:
        data = self.cleaned_data
        return AccessLogFilters(
            user=data.get("user") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            record=data.get("record") or "",
        )


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
