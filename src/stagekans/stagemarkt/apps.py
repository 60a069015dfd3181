from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StagemarktConfig(AppConfig):
    name = "stagekans.stagemarkt"
    verbose_name = _("Stagemarkt")

    def ready(self) -> None:
        from stagekans.register.hooks import on_recognition_revoked, on_revocation_preview
        from stagekans.stagemarkt.selectors import describe_revocation_effects
        from stagekans.stagemarkt.services import withdraw_for_revoked_recognition

        on_recognition_revoked(withdraw_for_revoked_recognition)
        on_revocation_preview(describe_revocation_effects)
