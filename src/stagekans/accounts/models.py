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


class RoleGrantStatus(models.TextChoices):
    PENDING = "pending", _("Wacht op tweede beheerder")
    APPROVED = "approved", _("Goedgekeurd")
    REFUSED = "refused", _("Afgewezen")


class RoleGrant(models.Model):
    """A request to give a user a sensitive role; a second beheerder approves it (four-eyes).

    The database refuses a grant decided by its requester or by the person it is about, and one
    requested by that person (no one changes their own roles).
    """

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="role_grants", verbose_name=_("gebruiker")
    )
    role = models.CharField(_("rol"), max_length=32)
    status = models.CharField(
        _("status"), max_length=16, choices=RoleGrantStatus.choices, default=RoleGrantStatus.PENDING
    )
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("aangevraagd door")
    )
    requested_at = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)
    reason = models.TextField(_("toelichting"))
    decided_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("besloten door"),
    )
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)
    decision_note = models.TextField(_("toelichting bij besluit"), blank=True)

    class Meta:
        verbose_name = _("rolaanvraag")
        verbose_name_plural = _("rolaanvragen")
        ordering = ["-requested_at", "-id"]
        permissions = [
            ("request_role_grant", _("Mag een rol voor een gebruiker aanvragen")),
            ("decide_role_grant", _("Mag een rolaanvraag van een andere beheerder beoordelen")),
            ("unlock_login", _("Mag een geblokkeerde inlog vrijgeven")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(requested_by=models.F("user")),
                name="rolegrant_not_for_self",
                violation_error_message=_("Niemand kan een rol voor zichzelf aanvragen."),
            ),
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True)
                | (
                    ~models.Q(decided_by=models.F("requested_by"))
                    & ~models.Q(decided_by=models.F("user"))
                ),
                name="rolegrant_four_eyes",
                violation_error_message=_(
                    "Een tweede beheerder moet beslissen: niet de aanvrager en niet de "
                    "persoon zelf."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(status=RoleGrantStatus.PENDING, decided_by__isnull=True)
                | (~models.Q(status=RoleGrantStatus.PENDING) & models.Q(decided_by__isnull=False)),
                name="rolegrant_decided_has_decider",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status=RoleGrantStatus.PENDING),
                name="rolegrant_one_pending_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.role} ({self.get_status_display()})"
