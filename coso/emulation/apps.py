from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmulationConfig(AppConfig):
    name = "coso.emulation"
    label = "emulation"
    verbose_name = _("Emulation")

    def ready(self):
        from coso.core import panels

        from .panels import member_panels, organization_panels

        panels.register(member_panels, page="member_detail")
        panels.register(organization_panels, page="organization_detail")
