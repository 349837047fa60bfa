from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizensConfig(AppConfig):
    name = "coso.citizens"
    label = "citizens"
    verbose_name = _("Citizens")

    def ready(self) -> None:
        from coso.core import panels

        from . import (
            handover,  # noqa: F401 - connects the restructuring receivers
            policies,
        )
        from .home import home_panels

        panels.register(home_panels)
        # A mistyped COSO_*_POLICIES stops the start with the variable, key and expected value named.
        policies.check_settings()
