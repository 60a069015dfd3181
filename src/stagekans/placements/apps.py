from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "stagekans.placements"
    verbose_name = _("Stages en praktijkovereenkomsten")

    def ready(self) -> None:
        from stagekans.placements.services.revocation import (
            describe_revocation_effects,
            flag_placements_for_revocation,
        )
        from stagekans.register.hooks import on_recognition_revoked, on_revocation_preview

        on_recognition_revoked(flag_placements_for_revocation)
        on_revocation_preview(describe_revocation_effects)
