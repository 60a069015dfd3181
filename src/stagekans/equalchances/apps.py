from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EqualChancesConfig(AppConfig):
    name = "stagekans.equalchances"
    label = "equalchances"
    verbose_name = _("Gelijke kansen bij werving")

    def ready(self) -> None:
        from stagekans.equalchances import panels  # noqa: F401 - registers the register panel
