from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in. Never holds a BSN; scoping lives in each domain's selectors."""

    email = models.EmailField(_("e-mailadres"), unique=True)
    preferred_language = models.CharField(
        _("voorkeurstaal"),
        max_length=5,
        choices=[("nl", "Nederlands"), ("en", "English")],
        default="nl",
    )

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        permissions = [
            ("view_aggregates", _("Mag geaggregeerde cijfers inzien (nooit personen)")),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username
