from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "coso.members"
    label = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        from coso.core import panels

        from . import handover  # noqa: F401 - connects the restructuring receivers
        from .home import home_panels

        panels.register(home_panels)
