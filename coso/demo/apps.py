from django.apps import AppConfig


class DemoConfig(AppConfig):
    # An app only so that Django finds its management commands; it has no models and no user-facing strings.
    name = "coso.demo"
    label = "demo"
    verbose_name = "Demo"
