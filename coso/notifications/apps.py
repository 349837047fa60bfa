from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "coso.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from coso.core import panels

        from .home import home_panels

        panels.register(home_panels)
