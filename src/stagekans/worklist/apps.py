from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorklistConfig(AppConfig):
    name = "stagekans.worklist"
    verbose_name = _("Takenlijst scholen")
