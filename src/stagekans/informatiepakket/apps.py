from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InformatiepakketConfig(AppConfig):
    name = "stagekans.informatiepakket"
    verbose_name = _("Informatiepakket")

    def ready(self) -> None:
        from stagekans.informatiepakket import handlers  # noqa: F401 - registers the hook
