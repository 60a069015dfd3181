from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "stagekans.placements"
    verbose_name = _("Stages en praktijkovereenkomsten")
