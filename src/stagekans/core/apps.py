from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "stagekans.core"
    verbose_name = _("Kern")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate, pre_delete

        from stagekans.core import append_only

        for model in append_only.append_only_models():
            pre_delete.connect(
                append_only.refuse_cascade_delete,
                sender=model,
                dispatch_uid=f"append_only:{model._meta.label_lower}",
            )
        connection_created.connect(
            append_only.on_connection_created, dispatch_uid="append_only:sqlite_mode"
        )
        post_migrate.connect(
            append_only.install_sqlite_triggers,
            sender=self,
            dispatch_uid="append_only:sqlite_triggers",
        )
