"""Investigation cases (zaken) of SBB — the minimal start the investigation workflow builds on.

A case is opened from one or more reports (Report.case points here). It holds an anonymised
summary and, only for reporters who consented, their identity in `CaseReporter`. The full
workflow (hearing both sides, decision, measure, objection) is a later issue; `status` has just
its initial state so that issue can add states and a transition table without a data change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    NEW = "new", _("nieuw")


class Case(models.Model):
    company = models.ForeignKey(
        "companies.Company",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("leerbedrijf"),
    )
    company_name = models.CharField(
        _("naam bedrijf (niet in register)"), max_length=200, blank=True
    )
    summary = models.TextField(_("geanonimiseerde samenvatting"))
    status = models.CharField(
        _("status"), max_length=30, choices=CaseStatus.choices, default=CaseStatus.NEW
    )
    reporter_identity_shared = models.BooleanField(
        _("identiteit melder gedeeld"),
        default=False,
        help_text=_("Alleen waar waar de melder uitdrukkelijk toestemming gaf."),
    )
    created_at = models.DateTimeField(_("geopend op"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("geopend door"),
    )

    class Meta:
        verbose_name = _("onderzoekszaak")
        verbose_name_plural = _("onderzoekszaken")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Zaak {self.pk}"


class CaseReporter(models.Model):
    """A reporter's identity, present only when that reporter consented to share it with SBB."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="reporters", verbose_name=_("zaak")
    )
    report_reference = models.CharField(_("meldingsnummer"), max_length=8)
    name = models.CharField(_("naam"), max_length=200, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("melder in zaak")
        verbose_name_plural = _("melders in zaak")

    def __str__(self) -> str:
        return f"{self.case}: {self.report_reference}"
