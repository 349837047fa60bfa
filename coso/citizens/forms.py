"""Forms of the citizens app: the public portal, the staff workflow steps, reception days, dialogues, routing."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coso.accounts import permissions
from coso.core.forms import DateField
from coso.orgs.forms import OrganizationChoiceField
from coso.orgs.models import Organization, OrgStatus
from coso.orgs.widgets import PickerScope

from . import proof
from .models import (
    ActivityStatus,
    Category,
    Channel,
    ComplaintRound,
    DialogueKind,
    FeedbackKind,
    FeedbackStatus,
    ReceptionKind,
)
from .places import place_name


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by coso.citizens.uploads in the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,.pdf"})
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class RuleErrorsMixin:
    def add_rule_errors(self, fields: dict) -> None:
        for name, messages in fields.items():
            target = name if name in self.fields else None
            for message in messages:
                self.add_error(target, message)


def area_choices(commune: Organization):
    """The commune and its residential areas (its cells), active, by name."""
    return Organization.objects.filter(
        Q(pk=commune.pk) | Q(path__startswith=commune.path + "."), status=OrgStatus.ACTIVE
    ).order_by("depth", "name_sort")


def residential_areas(commune: Organization):
    """What a citizen chooses from: the commune itself and the cells of its residential areas (khu vực, ấp),
    not the cells of its schools, police or agencies."""
    return area_choices(commune).filter(Q(pk=commune.pk) | Q(residential=True))


class PortalForm(RuleErrorsMixin, forms.Form):
    category = forms.ModelChoiceField(
        label=_("What is it about?"), queryset=Category.objects.filter(active=True), empty_label=None
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=FeedbackKind.choices, initial=FeedbackKind.REPORT)
    area = forms.ModelChoiceField(
        label=_("Residential area"), queryset=Organization.objects.none(), empty_label=None
    )
    address = forms.CharField(
        label=_("Where exactly (street, house number, landmark)"), max_length=255, required=False
    )
    description = forms.CharField(
        label=_("Describe the problem"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000
    )
    files = MultipleFileField(label=_("Photos or documents (optional, up to 5 files of 5 MB)"))
    reporter_name = forms.CharField(label=_("Your name (optional)"), max_length=120, required=False)
    reporter_phone = forms.CharField(label=_("Phone (optional)"), max_length=20, required=False)
    reporter_email = forms.EmailField(label=_("Email (optional)"), required=False)
    consent = forms.BooleanField(
        label=_(
            "I agree that my name and contact are processed only to handle this matter and answer me "
            "(Decree 13/2023/ND-CP on personal data protection)."
        ),
        required=False,
    )

    def __init__(self, *args, commune: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = residential_areas(commune)
        self.fields["area"].label_from_instance = place_name  # "Khu vực 1", not "Chi bộ khu vực 1"
        self.fields["kind"].help_text = _("Denunciations are never published.")
        for name in ("reporter_phone",):
            self.fields[name].widget.attrs.update(inputmode="tel", autocomplete="tel")


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=20)


class ReporterProofMixin:
    """Asks for the reporter's secret unless this browser already proved it (it filed the item, or the secret
    was typed once in this session). `self.proved` tells the view to remember the proof."""

    def __init__(self, *args, feedback=None, proven: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.feedback = feedback
        self.proved = proven
        if proven:
            del self.fields["secret"]

    def clean_secret(self):
        value = self.cleaned_data.get("secret", "")
        if self.feedback is None or not proof.is_reporter(self.feedback, value):
            raise forms.ValidationError(NOT_REPORTER)
        self.proved = True
        return value


NOT_REPORTER = _(
    "Only the person who sent this report can do this. Enter the secret code you received together with "
    "the tracking code."
)


def secret_field():
    return forms.CharField(
        label=_("Secret code"),
        max_length=20,
        required=False,  # checked in clean_secret, with a message that says what to do
        help_text=_("The second code shown when you sent the report (e.g. ABCDE-23456)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class RateForm(ReporterProofMixin, RuleErrorsMixin, forms.Form):
    secret = secret_field()
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with the answer?"),
        choices=[(i, str(i)) for i in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
    # Set when the citizen, asked after a low rating whether to report again instead, chose to rate anyway.
    low_confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ReopenForm(ReporterProofMixin, RuleErrorsMixin, forms.Form):
    secret = secret_field()
    text = forms.CharField(label=_("What is still not fixed?"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("Photos (optional)"))


def pick_from(field: OrganizationChoiceField, queryset, **scope) -> None:
    """The field's organizations, and the scope its picker searches once they are too many for a select."""
    field.queryset = queryset
    field.widget.scope = PickerScope(**scope)


def scoped_orgs(actor, perm: str):
    return Organization.objects.filter(permissions.scope_q(actor, perm), status=OrgStatus.ACTIVE).order_by(
        "path"
    )


class InboxFilterForm(forms.Form):
    BOXES = [
        ("open", _("Open")),
        ("overdue", _("Overdue")),
        ("due_soon", _("Due soon")),
        ("unassigned", _("Not assigned")),
        ("mine", _("Mine")),
        ("escalated", _("Escalated")),
        ("all", _("All")),
    ]
    box = forms.ChoiceField(label=_("Box"), choices=BOXES, required=False)
    q = forms.CharField(label=_("Code or words"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any"))] + FeedbackStatus.choices, required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Any"))] + FeedbackKind.choices, required=False)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), required=False, empty_label=_("Any")
    )
    org = OrganizationChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), required=False, empty_label=_("Any")
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = scoped_orgs(actor, "citizens.view").exclude(kind="CELL")
        pick_from(self.fields["org"], orgs, perm="citizens.view", exclude_kinds=("CELL",))
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            )

    def filters(self) -> dict:
        data = dict(self.cleaned_data)
        data["box"] = data.get("box") or "open"
        return data


class StaffFileForm(RuleErrorsMixin, forms.Form):
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[c for c in Channel.choices if c[0] not in (Channel.WEB, Channel.API)]
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=FeedbackKind.choices)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.filter(active=True))
    area = OrganizationChoiceField(label=_("Area"), queryset=Organization.objects.none())
    address = forms.CharField(label=_("Place"), max_length=255, required=False)
    title = forms.CharField(label=_("Title"), max_length=160, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    several_units = forms.BooleanField(label=_("Several units involved"), required=False)
    files = MultipleFileField(label=_("Photos or documents"))
    reporter_name = forms.CharField(label=_("Citizen's name"), max_length=120, required=False)
    reporter_phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    reporter_email = forms.EmailField(label=_("Email"), required=False)
    consent = forms.BooleanField(
        label=_("The citizen agreed to the processing of their personal data"), required=False
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        pick_from(self.fields["area"], scoped_orgs(actor, "citizens.handle"), perm="citizens.handle")


class AssignForm(RuleErrorsMixin, forms.Form):
    organization = OrganizationChoiceField(
        label=_("Responsible organization"), queryset=Organization.objects.none()
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=FeedbackKind.choices)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.filter(active=True))
    several_units = forms.BooleanField(label=_("Several units involved"), required=False)
    complaint_round = forms.ChoiceField(
        label=_("Complaint round"),
        choices=ComplaintRound.choices,
        initial=ComplaintRound.FIRST,
        required=False,
        help_text=_("Complaints only: a second complaint, to the level above, has longer legal time limits."),
    )
    is_complex = forms.BooleanField(label=_("Complex case"), required=False)
    especially_complex = forms.BooleanField(
        label=_("Especially complex case"),
        required=False,
        help_text=_("Denunciations: only an especially complex case may be extended a second time."),
    )
    remote_area = forms.BooleanField(label=_("Remote area"), required=False)
    note = forms.CharField(label=_("Internal note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, feedback, **kwargs):
        super().__init__(*args, **kwargs)
        org = feedback.receiving_org
        pick_from(self.fields["organization"], area_choices(org), perm="citizens.handle", root=org.path)


class ReassignForm(RuleErrorsMixin, forms.Form):
    organization = OrganizationChoiceField(label=_("Transfer to"), queryset=Organization.objects.none())
    reason = forms.CharField(
        label=_("Reason (shown to the citizen)"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, feedback, **kwargs):
        super().__init__(*args, **kwargs)
        org = feedback.receiving_org
        pick_from(self.fields["organization"], area_choices(org), perm="citizens.handle", root=org.path)


class AnswerForm(RuleErrorsMixin, forms.Form):
    answer = forms.CharField(label=_("Answer to the citizen"), widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label=_("Evidence: photos or documents"))


class ReasonForm(RuleErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason (shown to the citizen)"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ExtendForm(ReasonForm):
    especially_complex = forms.BooleanField(
        label=_("Record the case as especially complex"),
        required=False,
        help_text=_("Denunciations: needed for a second extension (Law on Denunciations 2018, Art. 30)."),
    )


class TransferForm(ReasonForm):
    authority = forms.CharField(label=_("Competent authority"), max_length=200)


class NoteForm(RuleErrorsMixin, forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))
    public = forms.BooleanField(label=_("Show to the citizen"), required=False)


class ReceptionDayForm(RuleErrorsMixin, forms.Form):
    head = forms.ModelChoiceField(label=_("Committee head"), queryset=None)
    date = DateField(label=_("Date"))
    kind = forms.ChoiceField(label=_("Kind"), choices=ReceptionKind.choices)
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices)
    place = forms.CharField(label=_("Place"), max_length=255)
    received_by = forms.CharField(label=_("Received by (with the head)"), max_length=255, required=False)
    citizens_count = forms.IntegerField(label=_("Citizens received"), min_value=0, initial=0)
    citizen_names = forms.CharField(
        label=_("Names of citizens who agreed to be named"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    matters = forms.CharField(
        label=_("Matters raised"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, heads, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["head"].queryset = heads


class DialogueForm(RuleErrorsMixin, forms.Form):
    organization = OrganizationChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=DialogueKind.choices)
    topic = forms.CharField(label=_("Topic"), max_length=255)
    date = DateField(label=_("Date"))
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices)
    participants_count = forms.IntegerField(label=_("Participants"), min_value=0, initial=0)
    participants = forms.CharField(
        label=_("Participants (description)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    questions = forms.CharField(
        label=_("Questions raised"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    answers = forms.CharField(
        label=_("Answers given"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    follow_ups = forms.CharField(
        label=_("Follow-ups"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        perm = "citizens.record_dialogue"
        pick_from(self.fields["organization"], scoped_orgs(actor, perm), perm=perm)


class RoutingRuleForm(RuleErrorsMixin, forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), required=False, empty_label=_("Any category")
    )
    area = OrganizationChoiceField(label=_("Area"), queryset=Organization.objects.none())
    responsible = OrganizationChoiceField(
        label=_("Responsible organization"), queryset=Organization.objects.none()
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        # Two pickers, not two selects of every organization (16,091 options at a province).
        orgs = scoped_orgs(actor, "citizens.receive")
        pick_from(self.fields["area"], orgs, perm="citizens.receive")
        pick_from(self.fields["responsible"], orgs, perm="citizens.receive")
