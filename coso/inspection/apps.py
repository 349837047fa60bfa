from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionConfig(AppConfig):
    name = "coso.inspection"
    label = "inspection"
    verbose_name = _("Inspection and supervision")

    def ready(self):
        from coso.core import panels

        from .panels import home_panels, member_panels

        panels.register(home_panels)
        panels.register(member_panels, page="member_detail")
