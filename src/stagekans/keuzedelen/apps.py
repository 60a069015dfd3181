from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KeuzedelenConfig(AppConfig):
    name = "stagekans.keuzedelen"
    verbose_name = _("Keuzedelen bij een andere instelling")
