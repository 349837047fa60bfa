from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "coso.reviews"
    label = "reviews"
    verbose_name = _("Reviews and quality ratings")

    def ready(self):
        from . import policies

        policies.check_settings()
