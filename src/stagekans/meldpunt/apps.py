from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeldpuntConfig(AppConfig):
    name = "stagekans.meldpunt"
    verbose_name = _("Meldpunt stagediscriminatie")
