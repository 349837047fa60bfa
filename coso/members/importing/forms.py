"""The upload form of the import wizard: the file (type and size checked) and the organization to import into."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..forms import RuleErrorsMixin, _org_field, bootstrap


class ImportUploadForm(RuleErrorsMixin, forms.Form):
    file = forms.FileField(
        label=_("Member file"),
        help_text=_("XLSX or CSV (UTF-8), with the column headers of the template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = _org_field(
            actor,
            perm="members.import",
            label=_("Import into"),
            help_text=_("Every cell named in the file must belong to this organization."),
        )
        self.fields["organization"].error_messages["invalid_choice"] = _("This organization was not found.")
        bootstrap(self)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.COSO_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB.") % {"size": limit // (1024 * 1024) or 1}
            )
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Only XLSX and CSV files can be imported."))
        return upload
