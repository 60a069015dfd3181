from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stagekans.companies.models import Company
from stagekans.core.append_only import AppendOnlyTrigger
from stagekans.core.models import AppendOnlyModel, StatusHistoryRow
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
    publication_consent = models.BooleanField(
        _("toestemming publicatie"),
        default=False,
        help_text=_("Uit de laatste beoordeling: mag de erkenning in het openbare register staan."),
    )

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
            ("manage_recognitions", _("Mag erkenningen aanvragen, verlenen en beëindigen")),
            (
                "propose_revocation",
                _("Mag een intrekking van een erkenning voorstellen (na besluit in een zaak)"),
            ),
            (
                "approve_revocation",
                _("Mag als tweede adviseur een intrekking van een erkenning goedkeuren"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} — {self.qualification.crebo} ({self.get_status_display()})"


class RecognitionStatusChange(StatusHistoryRow):
    """Append-only history of a recognition's status. Rows are never updated or deleted."""

    recognition = models.ForeignKey(
        Recognition, on_delete=models.PROTECT, related_name="history", verbose_name=_("erkenning")
    )
    status = models.CharField(_("status"), max_length=20, choices=RecognitionStatus.choices)
    reason = models.TextField(_("reden"))

    class Meta:
        verbose_name = _("statuswijziging erkenning")
        verbose_name_plural = _("statusgeschiedenis erkenningen")
        ordering = ["recognition", "at", "id"]
        triggers = [AppendOnlyTrigger()]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.status}"


class RecognitionConditions(AppendOnlyModel):
    """The five conditions of recognition as assessed at one grant or reassessment (append-only)."""

    recognition = models.ForeignKey(
        Recognition,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("erkenning"),
    )
    status_change = models.OneToOneField(
        RecognitionStatusChange,
        on_delete=models.PROTECT,
        related_name="conditions",
        verbose_name=_("statuswijziging"),
    )
    suitable_work = models.BooleanField(_("passende werkzaamheden"))
    competent_trainer = models.BooleanField(_("deskundige praktijkopleider"))
    school_cooperation = models.BooleanField(_("samenwerking met de school"))
    safe_environment = models.BooleanField(_("veilige leeromgeving zonder discriminatie"))
    publication_consent = models.BooleanField(_("toestemming publicatie"))
    notes = models.TextField(_("toelichting"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("beoordeeld door"),
    )
    assessed_at = models.DateTimeField(_("beoordeeld op"), auto_now_add=True)

    class Meta:
        verbose_name = _("erkenningsvoorwaarden")
        verbose_name_plural = _("erkenningsvoorwaarden")
        ordering = ["recognition", "assessed_at", "id"]
        triggers = [AppendOnlyTrigger()]

    def __str__(self) -> str:
        return f"{self.recognition_id} {self.assessed_at:%Y-%m-%d}"


class RevocationState(models.TextChoices):
    PENDING = "pending", _("wacht op tweede adviseur")
    APPROVED = "approved", _("goedgekeurd")
    REJECTED = "rejected", _("afgewezen")


class RevocationRequest(models.Model):
    """A documented proposal to revoke a recognition; takes effect only when a second, different
    SBB officer approves it (four-eyes)."""

    recognition = models.ForeignKey(
        Recognition,
        on_delete=models.PROTECT,
        related_name="revocation_requests",
        verbose_name=_("erkenning"),
    )
    reason = models.TextField(_("reden"))
    decision_reference = models.CharField(_("kenmerk besluit"), max_length=100)
    state = models.CharField(
        _("stand"), max_length=10, choices=RevocationState.choices, default=RevocationState.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("voorgesteld door"),
    )
    requested_at = models.DateTimeField(_("voorgesteld op"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("besloten door"),
    )
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)
    decision_note = models.TextField(_("toelichting besluit"), blank=True)

    class Meta:
        verbose_name = _("intrekkingsverzoek")
        verbose_name_plural = _("intrekkingsverzoeken")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recognition"],
                condition=models.Q(state="pending"),
                name="revocation_one_pending_per_recognition",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="approved")
                | (
                    models.Q(decided_by__isnull=False)
                    & ~models.Q(decided_by=models.F("requested_by"))
                ),
                name="revocation_approved_by_second_officer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision_reference} ({self.get_state_display()})"
