from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for trying Stagekans out: the top floor, allowed to import every domain."""

    name = "stagekans.demo"
    verbose_name = "Demodata"
