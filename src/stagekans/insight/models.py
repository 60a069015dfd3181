"""Insight: precomputed, published outcome cells and company signals (written only by the
recompute job), experience surveys after a placement, research projects for extracts.

Every count stored in OutcomeCell and CompanySignal is the *published* value: cells hidden by
core.suppression are stored as NULL, so no page, CSV or PDF can show more than was cleared.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Measure(models.TextChoices):
    PLACED_FIRST = "placed_first", _("Geplaatst bij de eerste poging")
    APPS_PER_PLACEMENT = "apps_per_placement", _("Sollicitaties per plaatsing")
    DAYS_TO_PLACEMENT = "days_to_placement", _("Dagen tot plaatsing")
    UNPLACED_AT_START = "unplaced_at_start", _("Zonder stage bij begin van de periode")
    REFUSAL_REASON = "refusal_reason", _("Afwijzingen naar reden")


class Breakdown(models.TextChoices):
    TOTAL = "total", _("Totaal")
    STRATEGY = "strategy", _("Strategie")
    SECTOR = "sector", _("Sector")
    REGION = "region", _("Regio (provincie)")
    LEVEL = "level", _("Niveau")
    REASON = "reason", _("Reden van afwijzing")


class RecomputeRun(models.Model):
    started_at = models.DateTimeField(_("gestart op"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    threshold = models.PositiveSmallIntegerField(_("drempel kleine aantallen"))
    seconds = models.FloatField(_("duur (s)"), null=True, blank=True)
    student_years = models.PositiveIntegerField(_("student-jaren"), default=0)
    applications = models.PositiveIntegerField(_("sollicitaties"), default=0)
    companies_tested = models.PositiveIntegerField(_("getoetste leerbedrijven"), default=0)
    signals = models.PositiveIntegerField(_("signalen"), default=0)
    is_current = models.BooleanField(_("actueel"), default=False)

    class Meta:
        verbose_name = _("herberekening inzicht")
        verbose_name_plural = _("herberekeningen inzicht")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="insight_one_current",
            )
        ]
        permissions = [
            ("view_insight_dashboard", _("Mag de inzichtdashboards en het pilotrapport inzien")),
            ("recompute_insight", _("Mag de inzichtcijfers opnieuw laten berekenen")),
            ("view_company_signals", _("Mag signalen over leerbedrijven inzien (SBB)")),
            ("answer_survey", _("Mag een ervaringsvragenlijst over een stage invullen")),
            ("manage_research_extracts", _("Mag onderzoeksprojecten en -bestanden beheren")),
        ]

    def __str__(self) -> str:
        return f"Herberekening {self.started_at:%Y-%m-%d %H:%M}"


class OutcomeTable(models.Model):
    """One published table: a measure by breakdown row × group, for one year and filter.

    `payload` holds only published values (None = suppressed by core.suppression), built by the
    recompute job; pages, CSV and PDF read it as is."""

    run = models.ForeignKey(RecomputeRun, on_delete=models.CASCADE, related_name="tables")
    measure = models.CharField(max_length=20, choices=Measure.choices)
    attribute = models.CharField(max_length=12)  # background attribute of the groups
    school_year = models.PositiveSmallIntegerField()  # 2025 = school year 2025/2026
    sector = models.CharField(max_length=20, blank=True)  # filter; "" = all
    region = models.CharField(max_length=2, blank=True)  # filter; "" = all
    breakdown = models.CharField(max_length=10, choices=Breakdown.choices)
    payload = models.JSONField()

    class Meta:
        verbose_name = _("uitkomsttabel")
        verbose_name_plural = _("uitkomsttabellen")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "run",
                    "measure",
                    "attribute",
                    "school_year",
                    "sector",
                    "region",
                    "breakdown",
                ],
                name="insight_table_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.school_year} {self.breakdown}"


class ExactNumberField(models.Field):
    """An unconstrained `numeric` in PostgreSQL (exact, any scale; a DecimalField would round),
    a number in SQLite. Written and summed in SQL only."""

    def db_type(self, connection: Any) -> str:
        return "numeric"


class StudentYear(models.Model):
    """The outcome facts of one student in one school year (insight.facts keeps them: written
    only by facts.refresh / facts.rebuild from the student's applications and placements)."""

    student = models.ForeignKey(
        "education.Student", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    school_year = models.SmallIntegerField()  # 2025 = school year 2025/2026
    strategy = models.CharField(max_length=12)  # of the first attempt (PlacementSource)
    placed_first = models.PositiveSmallIntegerField()  # 1 = the first attempt succeeded
    applications = models.PositiveIntegerField()
    placed = models.PositiveSmallIntegerField()  # 1 = placed in this school year
    first_at = models.DateTimeField()
    placed_at = models.DateTimeField(null=True)
    period_start = models.DateField(null=True)  # earliest start of a period tried for
    # Refused applications per reason (applications.workflow.RejectionReason, all of them).
    refused_qualification = models.PositiveIntegerField()
    refused_competences = models.PositiveIntegerField()
    refused_availability = models.PositiveIntegerField()
    refused_distance = models.PositiveIntegerField()
    refused_language = models.PositiveIntegerField()
    refused_capacity = models.PositiveIntegerField()
    refused_other_candidate = models.PositiveIntegerField()
    refused_no_response = models.PositiveIntegerField()
    refused_other = models.PositiveIntegerField()
    # Days from the first attempt to the placement (placed only) and its square, exact.
    days = ExactNumberField(null=True)
    days_sq = ExactNumberField(null=True)
    unplaced_start = models.PositiveSmallIntegerField()  # 1 = no placement by the period start
    # Copied from the student's programme and school, as the breakdowns of the cube.
    sector = models.CharField(max_length=20)
    region = models.CharField(max_length=2)
    level = models.PositiveSmallIntegerField()

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["student", "school_year"], name="insight_one_fact_per_student_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school_year} {self.strategy}"


class CompanyVolume(models.Model):
    """How many applications a company ever received (any student), kept by insight.facts with
    the student-year facts. The company signals read only companies with enough of them: a
    company below the minimum can never be tested, whatever the window or the groups."""

    company = models.OneToOneField(
        "companies.Company", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    applications = models.PositiveIntegerField(db_index=True)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.pk}: {self.applications}"


class SignalMeasure(models.TextChoices):
    INVITATION = "invitation", _("Uitnodiging voor gesprek")
    OFFER = "offer", _("Aanbod")


class CompanySignal(models.Model):
    """A tested company × measure. `signalled`: BH-adjusted q below the FDR level. Counts are
    published values (None = suppressed) of the 2×2 table reference/comparison × yes/no."""

    run = models.ForeignKey(RecomputeRun, on_delete=models.CASCADE, related_name="company_tests")
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("leerbedrijf"),
    )
    measure = models.CharField(max_length=12, choices=SignalMeasure.choices)
    n_reference = models.PositiveIntegerField(null=True)
    yes_reference = models.PositiveIntegerField(null=True)
    n_comparison = models.PositiveIntegerField(null=True)
    yes_comparison = models.PositiveIntegerField(null=True)
    p_value = models.FloatField()
    q_value = models.FloatField()
    exact_test = models.BooleanField()
    comparison_lower = models.BooleanField()
    signalled = models.BooleanField(db_index=True)

    class Meta:
        verbose_name = _("signaal leerbedrijf")
        verbose_name_plural = _("signalen leerbedrijven")
        ordering = ["q_value"]
        indexes = [models.Index(fields=["run", "signalled", "q_value"], name="insight_signal_list")]

    def __str__(self) -> str:
        return f"{self.company_id} {self.measure} q={self.q_value:.3f}"


class SurveyParty(models.TextChoices):
    STUDENT = "student", _("student")
    COMPANY = "company", _("leerbedrijf")
    SCHOOL = "school", _("school")


LIKERT = [(i, str(i)) for i in range(1, 6)]


class SurveyResponse(models.Model):
    """One party's experience of one placement. Never shown per response to anyone: the pilot
    report shows only suppressed aggregates; the other parties never see it."""

    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.CASCADE, related_name="+", verbose_name=_("stage")
    )
    party = models.CharField(_("partij"), max_length=8, choices=SurveyParty.choices)
    # Copies taken when answered, so the report groups without reading the placement.
    strategy = models.CharField(max_length=12)
    school_year = models.PositiveSmallIntegerField()
    q_fair = models.PositiveSmallIntegerField(
        _("Het vinden of kiezen van deze stage ging eerlijk."),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    q_fit = models.PositiveSmallIntegerField(
        _("De stage past bij de opleiding en de student."),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    q_process = models.PositiveSmallIntegerField(
        _("Ik ben tevreden over hoe de plaatsing verliep."),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    open_answer = models.TextField(_("Wat kan er beter?"), max_length=1000, blank=True)
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ervaringsvragenlijst")
        verbose_name_plural = _("ervaringsvragenlijsten")
        constraints = [
            models.UniqueConstraint(fields=["placement", "party"], name="survey_once_per_party")
        ]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.party} {self.school_year}"


class ResearchProject(models.Model):
    """A research project that may receive a pseudonymised extract under a data-use agreement.
    `key` is the project's own pseudonym key: the same student gets unrelated pseudonyms in
    different projects, so extracts cannot be linked."""

    title = models.CharField(_("titel"), max_length=200)
    organisation = models.CharField(_("onderzoeksorganisatie"), max_length=200)
    purpose = models.TextField(_("doel en onderzoeksvraag"), max_length=4000)
    agreement_reference = models.CharField(_("kenmerk gegevensovereenkomst"), max_length=100)
    agreement_signed_on = models.DateField(_("overeenkomst getekend op"))
    agreement_ends_on = models.DateField(_("overeenkomst loopt tot"))
    k = models.PositiveSmallIntegerField(
        _("k (k-anonimiteit)"), default=10, validators=[MinValueValidator(5), MaxValueValidator(50)]
    )
    key = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("onderzoeksproject")
        verbose_name_plural = _("onderzoeksprojecten")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agreement_ends_on__gte=models.F("agreement_signed_on")),
                name="research_agreement_period",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ExtractRelease(models.Model):
    project = models.ForeignKey(ResearchProject, on_delete=models.PROTECT, related_name="releases")
    released_at = models.DateTimeField(auto_now_add=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    rows = models.PositiveIntegerField()
    rows_withheld = models.PositiveIntegerField()
    smallest_class = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-released_at"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.released_at:%Y-%m-%d}"
