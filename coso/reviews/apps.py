from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "coso.reviews"
    label = "reviews"
    verbose_name = _("Reviews and quality ratings")

    def ready(self):
        from coso.core import panels

        from . import policies
        from .panels import home_panels

        policies.check_settings()
        panels.register(home_panels)
