"""Equal chances in recruitment (issue 17, the company side): the self-scan, the company's
recruitment policy and the praktijkopleiders' webinar training record.

Only equalchances.services write these rows.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stagekans.companies.models import Company, Trainer
from stagekans.core.append_only import AppendOnlyTrigger
from stagekans.core.models import AppendOnlyModel
from stagekans.core.storage import private_storage, random_upload_name
from stagekans.equalchances.workflow import ScanVersionStatus


class RecruitmentStep(models.TextChoices):
    """The recruitment steps the self-scan walks through, in order; stable across versions so
    results of different versions can be compared step by step."""

    PUBLICATION = "publication", _("Vacatures publiceren")
    CRITERIA = "criteria", _("Vaste eisen vooraf")
    ANONYMISED = "anonymised", _("Anonieme eerste selectie")
    INTERVIEW = "interview", _("Gestructureerd gesprek")
    ASSESSORS = "assessors", _("Meer dan één beoordelaar")
    REFUSAL = "refusal", _("Reden bij afwijzing")
    COMPLAINT = "complaint", _("Klachtroute")


# --- self-scan ---------------------------------------------------------------------------


class ScanVersion(models.Model):
    """A version of the self-scan. Editable only as a draft; published versions are frozen."""

    number = models.PositiveIntegerField(_("versie"), unique=True)
    title = models.CharField(_("titel"), max_length=200)
    intro = models.TextField(_("inleiding"), max_length=4000)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ScanVersionStatus.choices,
        default=ScanVersionStatus.DRAFT,
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("gepubliceerd door"),
    )

    class Meta:
        verbose_name = _("versie zelfscan")
        verbose_name_plural = _("versies zelfscan")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="published"),
                name="selfscan_one_published_version",
            ),
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="draft"),
                name="selfscan_one_draft_version",
            ),
        ]
        permissions = [
            ("manage_scan_versions", _("Mag versies van de zelfscan schrijven en publiceren")),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status == ScanVersionStatus.DRAFT


class ScanQuestion(models.Model):
    version = models.ForeignKey(
        ScanVersion, on_delete=models.CASCADE, related_name="questions", verbose_name=_("versie")
    )
    step = models.CharField(_("stap"), max_length=20, choices=RecruitmentStep.choices)
    position = models.PositiveSmallIntegerField(_("volgorde"))
    text = models.CharField(_("vraag"), max_length=300)
    help_text = models.CharField(_("uitleg bij de vraag"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("vraag zelfscan")
        verbose_name_plural = _("vragen zelfscan")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"], name="selfscan_question_position"
            )
        ]

    def __str__(self) -> str:
        return self.text


class ScanOption(models.Model):
    question = models.ForeignKey(
        ScanQuestion, on_delete=models.CASCADE, related_name="options", verbose_name=_("vraag")
    )
    position = models.PositiveSmallIntegerField(_("volgorde"))
    label = models.CharField(_("antwoord"), max_length=200)
    points = models.PositiveSmallIntegerField(_("punten"))
    advice = models.TextField(_("advies bij dit antwoord"), max_length=2000)

    class Meta:
        verbose_name = _("antwoordmogelijkheid")
        verbose_name_plural = _("antwoordmogelijkheden")
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "position"], name="selfscan_option_position"
            ),
            models.CheckConstraint(condition=models.Q(points__lte=10), name="selfscan_points"),
        ]

    def __str__(self) -> str:
        return self.label


class ScanResult(models.Model):
    """One completed self-scan of a company. `is_latest` marks the company's newest result, the
    one the sector and regional figures count (kept by the service, one per company)."""

    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="scan_results",
        verbose_name=_("leerbedrijf"),
    )
    version = models.ForeignKey(
        ScanVersion, on_delete=models.PROTECT, related_name="results", verbose_name=_("versie")
    )
    completed_at = models.DateTimeField(_("ingevuld op"))
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ingevuld door"),
    )
    score = models.PositiveIntegerField(_("score"))
    maximum = models.PositiveIntegerField(_("maximale score"))
    is_latest = models.BooleanField(_("nieuwste van het bedrijf"), default=True)

    class Meta:
        verbose_name = _("resultaat zelfscan")
        verbose_name_plural = _("resultaten zelfscan")
        ordering = ["-completed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company"],
                condition=models.Q(is_latest=True),
                name="selfscan_one_latest_per_company",
            ),
            models.CheckConstraint(
                condition=models.Q(score__lte=models.F("maximum")), name="selfscan_score_max"
            ),
        ]
        indexes = [models.Index(fields=["company", "completed_at"], name="selfscan_company_at")]
        permissions = [
            (
                "take_selfscan",
                _("Mag de zelfscan werving en selectie invullen voor het eigen bedrijf"),
            ),
            (
                "view_selfscan_aggregates",
                _("Mag de uitkomsten van de zelfscan per sector en regio inzien"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} {self.completed_at:%Y-%m-%d} {self.score}/{self.maximum}"

    @property
    def percentage(self) -> int:
        return round(100 * self.score / self.maximum) if self.maximum else 100


class ScanAnswer(AppendOnlyModel):
    result = models.ForeignKey(
        ScanResult, on_delete=models.PROTECT, related_name="answers", verbose_name=_("resultaat")
    )
    question = models.ForeignKey(
        ScanQuestion, on_delete=models.PROTECT, related_name="+", verbose_name=_("vraag")
    )
    option = models.ForeignKey(
        ScanOption, on_delete=models.PROTECT, related_name="+", verbose_name=_("antwoord")
    )

    class Meta:
        verbose_name = _("antwoord zelfscan")
        verbose_name_plural = _("antwoorden zelfscan")
        ordering = ["result", "question__position"]
        constraints = [
            models.UniqueConstraint(fields=["result", "question"], name="selfscan_answer_once")
        ]
        triggers = [AppendOnlyTrigger()]


class ScanStepScore(AppendOnlyModel):
    result = models.ForeignKey(
        ScanResult,
        on_delete=models.PROTECT,
        related_name="step_scores",
        verbose_name=_("resultaat"),
    )
    step = models.CharField(_("stap"), max_length=20, choices=RecruitmentStep.choices)
    score = models.PositiveSmallIntegerField(_("score"))
    maximum = models.PositiveSmallIntegerField(_("maximale score"))
    # Stored, so sector and regional figures group by it in SQL (scoring.level_of decides it).
    level = models.CharField(_("niveau"), max_length=12)

    class Meta:
        verbose_name = _("score per stap")
        verbose_name_plural = _("scores per stap")
        ordering = ["result", "id"]
        constraints = [
            models.UniqueConstraint(fields=["result", "step"], name="selfscan_step_once")
        ]
        indexes = [models.Index(fields=["step", "level"], name="selfscan_step_level")]
        triggers = [AppendOnlyTrigger()]


# --- recruitment policy ------------------------------------------------------------------


class RecruitmentPolicy(AppendOnlyModel):
    """The company's equal-chances recruitment policy as recorded at one moment. A change is a
    new row; the newest is the current policy (the adviser sees it at reassessment)."""

    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="recruitment_policies",
        verbose_name=_("leerbedrijf"),
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    covers_interns = models.BooleanField(_("het beleid geldt ook voor stagiairs"))
    criteria_in_advance = models.BooleanField(_("eisen worden vooraf vastgelegd"))
    anonymised_selection = models.BooleanField(_("de eerste selectie is anoniem"))
    structured_interviews = models.BooleanField(
        _("gesprekken met vaste vragen voor iedere kandidaat")
    )
    multiple_assessors = models.BooleanField(_("meer dan één beoordelaar"))
    written_refusal_reasons = models.BooleanField(_("elke afwijzing met een reden op papier"))
    complaint_route = models.TextField(
        _("klachtroute"),
        max_length=1000,
        help_text=_("Waar kan een kandidaat terecht met een klacht over de werving?"),
    )
    responsible = models.CharField(
        _("verantwoordelijke"),
        max_length=200,
        help_text=_("Wie in het bedrijf is verantwoordelijk voor dit beleid (functie)?"),
    )
    notes = models.TextField(_("toelichting"), max_length=4000, blank=True)
    document = models.FileField(
        _("beleidsdocument"),
        storage=private_storage,
        upload_to=random_upload_name,
        blank=True,
        max_length=200,
    )
    document_name = models.CharField(_("bestandsnaam"), max_length=200, blank=True)
    document_type = models.CharField(_("bestandstype"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("wervingsbeleid gelijke kansen")
        verbose_name_plural = _("wervingsbeleid gelijke kansen")
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["company", "recorded_at"], name="policy_company_at"),
        ]
        permissions = [
            (
                "record_recruitment_policy",
                _("Mag het wervingsbeleid van het eigen bedrijf vastleggen"),
            ),
            ("view_recruitment_policy", _("Mag het wervingsbeleid van leerbedrijven inzien")),
        ]
        triggers = [AppendOnlyTrigger()]

    def __str__(self) -> str:
        return f"{self.company} {self.recorded_at:%Y-%m-%d}"

    MEASURES = (
        "criteria_in_advance",
        "anonymised_selection",
        "structured_interviews",
        "multiple_assessors",
        "written_refusal_reasons",
    )

    @property
    def measures_taken(self) -> int:
        return sum(bool(getattr(self, name)) for name in self.MEASURES)


# --- training record ---------------------------------------------------------------------


SOURCE_URL_MAX_LENGTH = 500


def validate_source_url(value: str) -> None:
    """The source link of a webinar: a complete https:// address (no http, no bare domain)."""
    message = _(
        "Link naar de bron: gebruik een volledige link die begint met https://, "
        "bijvoorbeeld https://www.s-bb.nl/…"
    )
    if not value.lower().startswith("https://"):
        raise ValidationError(message, code="https_only")
    URLValidator(schemes=["https"], message=message)(value)


class Webinar(models.Model):
    """A webinar for praktijkopleiders; SBB staff keep title, description and the link to the
    webinar's own page (its source) up to date (`services.update_webinar`)."""

    title = models.CharField(_("titel"), max_length=200, unique=True)
    provider = models.CharField(_("aanbieder"), max_length=100, default="SBB")
    description = models.TextField(_("omschrijving"), max_length=2000, blank=True)
    source_url = models.URLField(
        _("link naar de bron"),
        max_length=SOURCE_URL_MAX_LENGTH,
        validators=[validate_source_url],
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("webinar")
        verbose_name_plural = _("webinars")
        ordering = ["position", "title"]
        permissions = [
            ("manage_webinars", _("Mag webinars beheren (titel, omschrijving, link naar de bron)"))
        ]

    def __str__(self) -> str:
        return self.title


class TrainingSource(models.TextChoices):
    SELF = "self", _("door de praktijkopleider zelf")
    SBB = "sbb", _("door SBB")


class WebinarAttendance(models.Model):
    """A praktijkopleider followed a webinar on a date; registered by themselves or by SBB."""

    trainer = models.ForeignKey(
        Trainer,
        on_delete=models.CASCADE,
        related_name="webinar_attendances",
        verbose_name=_("praktijkopleider"),
    )
    # Copy of the trainer's company for coverage per company in SQL.
    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="webinar_attendances",
        verbose_name=_("leerbedrijf"),
    )
    webinar = models.ForeignKey(
        Webinar, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("webinar")
    )
    attended_on = models.DateField(_("gevolgd op"))
    source = models.CharField(_("geregistreerd"), max_length=4, choices=TrainingSource.choices)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("geregistreerd door"),
    )
    registered_at = models.DateTimeField(_("geregistreerd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("gevolgd webinar")
        verbose_name_plural = _("gevolgde webinars")
        ordering = ["-attended_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["trainer", "webinar"], name="webinar_once_per_trainer")
        ]
        indexes = [models.Index(fields=["webinar", "company"], name="webinar_company")]
        permissions = [
            ("record_own_training", _("Mag eigen gevolgde webinars vastleggen")),
            (
                "register_training",
                _("Mag gevolgde webinars registreren voor praktijkopleiders (SBB)"),
            ),
            ("view_training_coverage", _("Mag het bereik van de webinars inzien")),
        ]

    def __str__(self) -> str:
        return f"{self.trainer} — {self.webinar} ({self.attended_on})"
