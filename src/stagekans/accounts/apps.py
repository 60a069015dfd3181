from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "stagekans.accounts"
    verbose_name = _("Accounts en rollen")

    def ready(self) -> None:
        from stagekans.accounts import signals  # noqa: F401 - connects the login audit
