from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "stagekans.applications"
    verbose_name = _("Sollicitaties")

    def ready(self) -> None:
        from stagekans.applications.selectors import describe_revocation_effects
        from stagekans.applications.services import (
            close_for_revoked_recognition,
            on_vacancy_closed,
        )
        from stagekans.register.hooks import on_recognition_revoked, on_revocation_preview
        from stagekans.stagemarkt.hooks import on_vacancy_closed as register_vacancy_closed

        on_recognition_revoked(close_for_revoked_recognition)
        on_revocation_preview(describe_revocation_effects)
        register_vacancy_closed(on_vacancy_closed)
