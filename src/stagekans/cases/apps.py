from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "stagekans.cases"
    verbose_name = _("Onderzoek (zaken)")

    def ready(self) -> None:
        from stagekans.cases.revocation import (
            create_school_tasks,
            describe_revocation_effects,
            revocation_asks,
        )
        from stagekans.register.hooks import (
            on_recognition_revoked,
            on_revocation_asks,
            on_revocation_preview,
        )

        on_recognition_revoked(create_school_tasks)
        on_revocation_preview(describe_revocation_effects)
        on_revocation_asks(revocation_asks)
