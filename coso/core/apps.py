from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(using: str = "default", **kwargs) -> None:
    """Without Redis the shared cache is a database table (see CACHES in settings): `migrate` makes it, so that
    a new installation, the demo and every test database have it without a separate command."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "coso.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the deployment checks

        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="coso.core.create_cache_table")
