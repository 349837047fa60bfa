from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudyConfig(AppConfig):
    name = "coso.study"
    label = "study"
    verbose_name = _("Study")

    def ready(self):
        from coso.core import panels

        from . import handover  # noqa: F401 - connects the restructuring receivers
        from .home import home_panels, member_panels

        panels.register(home_panels)
        panels.register(member_panels, page="member_detail")
