"""Matching rounds run by a school (product brief section 7; docs/adr/1200-matching-rounds.md).

A round has participants (students of the cohort, snapshotted when it opens), places (Stagemarkt
vacancies and places at the school's own network of recognised companies, with capacity), the
students' ranked preferences, the companies' reviews of anonymised candidates, runs of the
matching engine (trial or real) and, per run, one assignment per participant. Only
rounds.services write these.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from stagekans.applications.workflow import RejectionReason
from stagekans.companies.models import Company, Location
from stagekans.education.models import Programme, Qualification, School, Student
from stagekans.jobs.models import BackgroundJob
from stagekans.rounds.workflow import (
    PlaceSource,
    ProposingSide,
    Response,
    RoundStatus,
    RunKind,
    RunState,
    Strategy,
    TieBreaking,
)

MAX_SEED = 2**63 - 1


class MatchingRound(models.Model):
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="matching_rounds", verbose_name=_("school")
    )
    name = models.CharField(_("naam"), max_length=200)
    programmes = models.ManyToManyField(
        Programme, related_name="matching_rounds", verbose_name=_("opleidingen")
    )
    cohort = models.PositiveSmallIntegerField(
        _("cohort"), null=True, blank=True, help_text=_("Leeg: alle cohorten.")
    )
    period_start = models.DateField(_("stage vanaf"))
    period_end = models.DateField(_("stage tot en met"))
    strategy = models.CharField(_("strategie"), max_length=20, choices=Strategy.choices)
    proposing_side = models.CharField(
        _("voorstellende kant"),
        max_length=10,
        choices=ProposingSide.choices,
        default=ProposingSide.STUDENTS,
    )
    tie_breaking = models.CharField(
        _("loting bij gelijke stand"),
        max_length=3,
        choices=TieBreaking.choices,
        default=TieBreaking.SINGLE,
    )
    seed = models.PositiveBigIntegerField(
        _("lotingszaad"), validators=[MaxValueValidator(MAX_SEED)]
    )
    max_distance_km = models.PositiveSmallIntegerField(
        _("maximale reisafstand (km)"), validators=[MinValueValidator(1), MaxValueValidator(300)]
    )
    max_choices = models.PositiveSmallIntegerField(
        _("maximaal aantal keuzes"), validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    priority_classes = models.PositiveSmallIntegerField(
        _("aantal voorrangsklassen"), default=0, validators=[MaxValueValidator(3)]
    )
    favour_support_needs = models.BooleanField(
        _("ondersteuningsbehoefte laten meewegen"), default=False
    )
    preference_deadline = models.DateField(_("voorkeuren opgeven tot en met"))
    review_deadline = models.DateField(_("beoordeling leerbedrijven tot en met"))
    publication_date = models.DateField(_("publicatie op"))
    acceptance_deadline = models.DateField(_("accepteren tot en met"))
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("vervolg op"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    opened_at = models.DateTimeField(_("geopend op"), null=True, blank=True)
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    closed_at = models.DateTimeField(_("gesloten op"), null=True, blank=True)
    failure_message = models.TextField(_("reden mislukt"), blank=True)
    # The real run whose assignments are the proposal (and, once published, the outcome).
    current_run = models.ForeignKey(
        "MatchRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("matchingronde")
        verbose_name_plural = _("matchingrondes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="round_period",
            ),
        ]
        indexes = [models.Index(fields=["school", "status"], name="round_school_status")]
        permissions = [
            ("manage_round", _("Mag matchingrondes van de eigen school beheren")),
            ("take_part_in_round", _("Mag als student meedoen aan een matchingronde")),
            (
                "review_round_candidates",
                _("Mag als leerbedrijf kandidaten in een ronde beoordelen"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def root(self) -> MatchingRound:
        node = self
        while node.parent is not None:
            node = node.parent
        return node


class Participant(models.Model):
    """A student in a round. Support needs are private: only the coordinator reads them."""

    round = models.ForeignKey(MatchingRound, on_delete=models.CASCADE, related_name="participants")
    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="round_participations"
    )
    priority_class = models.PositiveSmallIntegerField(
        _("voorrangsklasse"), default=0, validators=[MaxValueValidator(3)]
    )
    support_needs = models.TextField(_("ondersteuningsbehoefte"), blank=True, max_length=2000)
    support_features = models.PositiveSmallIntegerField(
        _("gewenste inclusiviteitskenmerken"), default=0
    )
    competences = models.TextField(_("competenties en ervaring"), blank=True, max_length=2000)
    motivation = models.TextField(_("motivatie"), blank=True, max_length=2000)
    availability = models.CharField(_("beschikbaarheid"), blank=True, max_length=200)
    preferences_submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("deelnemer")
        verbose_name_plural = _("deelnemers")
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "student"], name="participant_once"),
        ]

    def __str__(self) -> str:
        return f"{self.student} in {self.round}"


class Place(models.Model):
    """Seats at one company location for one qualification in a round."""

    round = models.ForeignKey(MatchingRound, on_delete=models.CASCADE, related_name="places")
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="round_places")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="round_places")
    qualification = models.ForeignKey(
        Qualification, on_delete=models.PROTECT, related_name="round_places"
    )
    vacancy = models.ForeignKey(
        "stagemarkt.Vacancy",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="round_places",
    )
    source = models.CharField(_("herkomst"), max_length=10, choices=PlaceSource.choices)
    title = models.CharField(_("titel"), max_length=200)
    capacity = models.PositiveSmallIntegerField(
        _("aantal plaatsen"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    features = models.PositiveSmallIntegerField(_("inclusiviteitskenmerken"), default=0)
    active = models.BooleanField(_("doet mee"), default=True)
    removed_at = models.DateTimeField(_("vervallen op"), null=True, blank=True)
    removed_reason = models.CharField(_("reden vervallen"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("plaats in ronde")
        verbose_name_plural = _("plaatsen in ronde")
        ordering = ["round", "id"]
        indexes = [
            models.Index(fields=["company", "qualification"], name="roundplace_company_qual"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "vacancy"],
                condition=models.Q(vacancy__isnull=False),
                name="roundplace_vacancy_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.company}"


class Preference(models.Model):
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="preferences"
    )
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="preferences")
    rank = models.PositiveSmallIntegerField(_("keuze"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["participant", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "place"], name="preference_place_once"),
            models.UniqueConstraint(fields=["participant", "rank"], name="preference_rank_once"),
        ]
        indexes = [models.Index(fields=["place"], name="preference_place")]

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.place_id} ({self.rank})"


class Review(models.Model):
    """A company's verdict on one anonymised candidate for one of its places."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="reviews")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="reviews")
    acceptable = models.BooleanField(_("geschikt"))
    reason = models.CharField(
        _("reden"), max_length=20, choices=RejectionReason.choices, blank=True
    )
    company_rank = models.PositiveSmallIntegerField(
        _("rangorde"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["place", "participant"], name="review_once"),
            models.CheckConstraint(
                condition=models.Q(acceptable=True, reason="")
                | models.Q(acceptable=False) & ~models.Q(reason=""),
                name="review_refusal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place_id}/{self.participant_id}: {self.acceptable}"


class MatchRun(models.Model):
    """One run of the engine. Its assignments are written in ONE transaction with state=done;
    a run that dies leaves no assignment (the stale-run detector marks it failed)."""

    round = models.ForeignKey(MatchingRound, on_delete=models.CASCADE, related_name="runs")
    kind = models.CharField(_("soort"), max_length=5, choices=RunKind.choices)
    state = models.CharField(
        _("toestand"), max_length=8, choices=RunState.choices, default=RunState.QUEUED
    )
    seed = models.PositiveBigIntegerField(_("lotingszaad"))
    algorithm = models.CharField(_("algoritme"), max_length=20)
    tie_breaking = models.CharField(_("loting"), max_length=3, choices=TieBreaking.choices)
    job = models.ForeignKey(
        BackgroundJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claim = models.UUIDField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    phase = models.CharField(_("fase"), max_length=40, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    summary = models.JSONField(default=dict, blank=True)
    input_fingerprint = models.CharField(max_length=64, blank=True)
    output_fingerprint = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "heartbeat_at"], name="matchrun_state_beat")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.round} ({self.get_state_display()})"


class Assignment(models.Model):
    """The outcome of a run for one participant (place None: unplaced, with a reason)."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="assignments")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="assignments"
    )
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments"
    )
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    unplaced_reason = models.CharField(max_length=30, blank=True)
    manual = models.BooleanField(default=False)
    student_response = models.CharField(
        max_length=10, choices=Response.choices, default=Response.PENDING
    )
    company_response = models.CharField(
        max_length=10, choices=Response.choices, default=Response.PENDING
    )
    company_decline_reason = models.CharField(
        max_length=20, choices=RejectionReason.choices, blank=True
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    placement = models.OneToOneField(
        "placements.Placement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="round_assignment",
    )

    class Meta:
        ordering = ["run", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "participant"], name="assignment_once"),
        ]
        indexes = [models.Index(fields=["place"], name="assignment_place")]

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.place_id or '-'}"


class AssignmentChange(models.Model):
    """A coordinator's manual change of one assignment, with the reason (also audited)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="changes")
    old_place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    new_place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reden"), max_length=2000)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    blocking_pairs_after = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.old_place_id} → {self.new_place_id}"
