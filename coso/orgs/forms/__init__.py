"""Forms of the organization pages (`pages`, `restructure`) and the organization fields every app's forms
build on (`fields`)."""

from .fields import (
    DATE_INPUT_FORMATS,
    BootstrapForm,
    OrganizationChoiceField,
    bootstrap,
    org_field,
)
from .pages import (
    ChildForm,
    CommitteeForm,
    EndForm,
    OrganizationForm,
    PositionForm,
    SupervisionForm,
    TermForm,
    TreeFilterForm,
)
from .restructure import (
    RESTRUCTURE_FORMS,
    MergeForm,
    SplitSourceForm,
)

__all__ = [
    "BootstrapForm",
    "ChildForm",
    "CommitteeForm",
    "DATE_INPUT_FORMATS",
    "EndForm",
    "MergeForm",
    "OrganizationChoiceField",
    "OrganizationForm",
    "PositionForm",
    "RESTRUCTURE_FORMS",
    "SplitSourceForm",
    "SupervisionForm",
    "TermForm",
    "TreeFilterForm",
    "bootstrap",
    "org_field",
]
