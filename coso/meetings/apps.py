from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "coso.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from coso.core import panels

        from . import (
            handover,  # noqa: F401 - connects the restructuring receivers
            policies,
        )
        from .panels import home_panels, member_panels

        panels.register(home_panels)
        panels.register(member_panels, page="member_detail")
        # A mistyped COSO_*_POLICIES stops the start with the variable, key and expected value named.
        policies.check_settings()
