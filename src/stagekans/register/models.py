from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stagekans.companies.models import Company
from stagekans.education.models import Qualification
from stagekans.register.workflow import RecognitionStatus


class Recognition(models.Model):
    """Recognition (erkenning) of a company for one qualification.

    `status` points at the latest history row; only register.services change either.
    """

    company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        related_name="recognitions",
        verbose_name=_("leerbedrijf"),
    )
    qualification = models.ForeignKey(
        Qualification,
        on_delete=models.PROTECT,
        related_name="recognitions",
        verbose_name=_("kwalificatie"),
    )
    status = models.CharField(_("status"), max_length=20, choices=RecognitionStatus.choices)
    valid_from = models.DateField(_("geldig vanaf"), null=True, blank=True)
    valid_until = models.DateField(_("geldig tot"), null=True, blank=True)

    class Meta:
        verbose_name = _("erkenning")
        verbose_name_plural = _("erkenningen")
        ordering = ["company__name", "qualification__title"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "qualification"], name="recognition_unique_company_qualification"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_until__gt=models.F("valid_from")),
                name="recognition_valid_period",
            ),
        ]
        indexes = [models.Index(fields=["qualification", "status", "valid_until"])]
        permissions = [
            ("manage_recognitions", _("Mag erkenningen aanvragen, verlenen en beëindigen"))
        ]

    def __str__(self) -> str:
        return f"{self.company} — {self.qualification.crebo} ({self.get_status_display()})"


class RecognitionStatusChange(models.Model):
    """Append-only history of a recognition's status. Rows are never updated or deleted."""

    recognition = models.ForeignKey(
        Recognition, on_delete=models.PROTECT, related_name="history", verbose_name=_("erkenning")
    )
    status = models.CharField(_("status"), max_length=20, choices=RecognitionStatus.choices)
    reason = models.TextField(_("reden"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("door"),
    )
    at = models.DateTimeField(_("tijdstip"), auto_now_add=True)

    class Meta:
        verbose_name = _("statuswijziging erkenning")
        verbose_name_plural = _("statusgeschiedenis erkenningen")
        ordering = ["recognition", "at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.status}"

    def save(self, *args: object, **kwargs: object) -> None:
        # Integrity, not business logic: history rows are immutable once written.
        if self.pk is not None:
            raise ValueError("RecognitionStatusChange rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("RecognitionStatusChange rows are append-only")
