from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoundsConfig(AppConfig):
    name = "stagekans.rounds"
    verbose_name = _("Matchingrondes")

    def ready(self) -> None:
        from stagekans.rounds import handlers  # noqa: F401 - registers the revocation hook
