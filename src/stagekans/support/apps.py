from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "stagekans.support"
    verbose_name = _("Signalen, deskundig team en verwijsgids")
