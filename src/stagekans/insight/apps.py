from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    name = "stagekans.insight"
    verbose_name = _("Inzicht en signalen")
