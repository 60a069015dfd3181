"""Placements (stages) and their praktijkovereenkomst (POK).

A placement is a student at a company location for a qualification and a period, whoever made
it (an accepted application, the school directly, a matching round). Its POK is a series of
versions (`Agreement`): version 1 is the POK, each later version is a bpv-blad that must be
signed again; only a fully signed version is active. Only placements.services write these.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from stagekans.companies.models import Company, Location, Trainer
from stagekans.education.models import Leerweg, Qualification, School, SchoolStaff, Student
from stagekans.placements.workflow import (
    AgreementStatus,
    ContactKind,
    EvaluationParty,
    PlacementSource,
    PlacementStatus,
    SigningParty,
)


class Placement(models.Model):
    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="placements", verbose_name=_("student")
    )
    # school and company are copies (of student and location) for scoping and overviews.
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="placements", verbose_name=_("school")
    )
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="placements", verbose_name=_("leerbedrijf")
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="placements", verbose_name=_("vestiging")
    )
    qualification = models.ForeignKey(
        Qualification,
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("kwalificatie"),
    )
    leerweg = models.CharField(_("leerweg"), max_length=3, choices=Leerweg.choices)
    start_date = models.DateField(_("begindatum"))
    end_date = models.DateField(_("einddatum"))
    trainer = models.ForeignKey(
        Trainer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="placements",
        verbose_name=_("praktijkopleider"),
    )
    supervisor = models.ForeignKey(
        SchoolStaff,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervised_placements",
        verbose_name=_("bpv-begeleider"),
    )
    source = models.CharField(_("ontstaan via"), max_length=12, choices=PlacementSource.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=PlacementStatus.choices, default=PlacementStatus.PLANNED
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    # Set when the company's recognition for this qualification is revoked while it runs.
    recognition_revoked_at = models.DateTimeField(
        _("erkenning ingetrokken op"), null=True, blank=True
    )
    # BPV-begeleiding: kept by placements.services from the active POK and the contacts, so the
    # overdue job and the overviews read one indexed column.
    next_contact_due = models.DateField(_("volgend contactmoment uiterlijk"), null=True, blank=True)
    # Copied from the active POK and counted when a contact on site is logged, so the
    # compliance overview sums two columns instead of joining versions and contacts.
    min_site_visits = models.PositiveSmallIntegerField(
        _("afgesproken bezoeken op locatie"), default=0
    )
    site_visits_done = models.PositiveIntegerField(_("bezoeken op locatie gedaan"), default=0)

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="placement_period"
            ),
        ]
        indexes = [
            models.Index(fields=["school", "status"], name="placement_school_status"),
            models.Index(fields=["supervisor", "status"], name="placement_supervisor_status"),
            models.Index(fields=["company", "status"], name="placement_company_status"),
            models.Index(fields=["status", "next_contact_due"], name="placement_due"),
            models.Index(fields=["student", "status"], name="placement_student_status"),
        ]
        permissions = [
            ("view_school_placements", _("Mag de stages van studenten van de eigen school inzien")),
            ("supervise_placement", _("Mag als bpv-begeleider contactmomenten vastleggen")),
            ("place_student", _("Mag een student direct plaatsen bij een erkend leerbedrijf")),
            ("view_compliance", _("Mag de naleving van de bpv-begeleiding van de school inzien")),
            ("sign_agreement", _("Mag een praktijkovereenkomst tekenen namens de eigen partij")),
            ("request_contact", _("Mag de bpv-begeleider om een contactmoment vragen")),
        ]

    def __str__(self) -> str:
        return f"{self.student} — {self.company} ({self.start_date:%d-%m-%Y})"


class OverdueNotice(models.Model):
    """The overdue job's claim: one row per placement, kind of warning and overdue period (the due
    date it is about). The unique constraint makes a warning go out exactly once per period, also
    with two workers; logging a contact moves the due date and so opens a new period. A narrow
    table of its own, so claiming 40,000 overdue placements does not rewrite (and re-index) 40,000
    wide placement rows."""

    class Kind(models.TextChoices):
        ALERTED = "alerted", _("bpv-begeleider gewaarschuwd")
        ESCALATED = "escalated", _("coördinator gewaarschuwd")

    placement = models.ForeignKey(
        Placement,
        on_delete=models.CASCADE,
        related_name="overdue_notices",
        verbose_name=_("stage"),
        db_index=False,  # the unique constraint's index leads with placement
    )
    kind = models.CharField(_("soort"), max_length=16, choices=Kind.choices)
    due = models.DateField(_("termijn"))
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("waarschuwing contactmoment te laat")
        verbose_name_plural = _("waarschuwingen contactmoment te laat")
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "kind", "due"], name="overdue_notice_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.placement_id} {self.kind} {self.due}"


class Agreement(models.Model):
    """One version of the praktijkovereenkomst of a placement. Version 1 is the POK; later
    versions are bpv-bladen. A version is never edited after it goes out for signing."""

    placement = models.ForeignKey(
        Placement, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("stage")
    )
    version = models.PositiveSmallIntegerField(_("versie"), validators=[MinValueValidator(1)])
    status = models.CharField(
        _("status"), max_length=12, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    start_date = models.DateField(_("begindatum"))
    end_date = models.DateField(_("einddatum"))
    hours = models.PositiveIntegerField(
        _("aantal uren praktijk"), validators=[MinValueValidator(1), MaxValueValidator(5000)]
    )
    work_processes = models.TextField(_("werkprocessen die geoefend worden"), max_length=4000)
    assessment = models.TextField(_("zo wordt beoordeeld"), max_length=2000)
    contact_every_weeks = models.PositiveSmallIntegerField(
        _("contact met school elke … weken"),
        validators=[MinValueValidator(1), MaxValueValidator(26)],
    )
    min_site_visits = models.PositiveSmallIntegerField(
        _("minimaal aantal bezoeken op locatie"), default=1, validators=[MaxValueValidator(20)]
    )
    weekdays = models.PositiveSmallIntegerField(
        _("stagedagen"),
        default=0,
        validators=[MaxValueValidator(127)],
        help_text=_("Dagen van de week op de werkplek: maandag = 1, dinsdag = 2, woensdag = 4, …"),
    )
    keuzedeel = models.CharField(_("keuzedeel (optioneel)"), max_length=200, blank=True)
    change_summary = models.TextField(_("wat is gewijzigd (bpv-blad)"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    activated_at = models.DateTimeField(_("volledig getekend op"), null=True, blank=True)

    class Meta:
        verbose_name = _("praktijkovereenkomst")
        verbose_name_plural = _("praktijkovereenkomsten")
        ordering = ["placement", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "version"], name="agreement_version"),
            models.UniqueConstraint(
                fields=["placement"],
                condition=models.Q(status="active"),
                name="agreement_one_active_per_placement",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="agreement_period"
            ),
        ]

    def __str__(self) -> str:
        return f"POK {self.placement_id} v{self.version} ({self.get_status_display()})"


class Signature(models.Model):
    """One party's signature on one agreement version."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        related_name="signatures",
        verbose_name=_("praktijkovereenkomst"),
    )
    party = models.CharField(_("partij"), max_length=10, choices=SigningParty.choices)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("getekend door"),
    )
    signed_at = models.DateTimeField(_("getekend op"), auto_now_add=True)
    # Only for party == guardian: recorded by the school or the student's portal.
    guardian_name = models.CharField(_("naam ouder of voogd"), max_length=200, blank=True)
    guardian_signed_on = models.DateField(
        _("datum handtekening ouder/voogd"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("handtekening")
        verbose_name_plural = _("handtekeningen")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "party"], name="signature_once_per_party"),
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()} — {self.signed_at:%d-%m-%Y}"


class ContactMoment(models.Model):
    """A contact between the school's bpv-begeleider and the student at the company."""

    placement = models.ForeignKey(
        Placement, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("stage")
    )
    held_on = models.DateField(_("datum"))
    kind = models.CharField(_("soort contact"), max_length=10, choices=ContactKind.choices)
    with_student = models.BooleanField(_("student nam deel"), default=True)
    with_trainer = models.BooleanField(_("praktijkopleider nam deel"), default=True)
    other_participants = models.CharField(_("andere deelnemers"), max_length=300, blank=True)
    notes = models.TextField(_("verslag"), max_length=4000, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    logged_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("contactmoment")
        verbose_name_plural = _("contactmomenten")
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["placement", "held_on"], name="contact_placement_day"),
            # Visits on site per placement for the compliance overview (index-only count).
            models.Index(
                fields=["placement"],
                condition=models.Q(kind="on_site"),
                name="contact_on_site",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%d-%m-%Y}"


class ContactRequest(models.Model):
    """The student or the praktijkopleider asks the begeleider for a contact; it is answered
    by the next contact moment the begeleider logs."""

    placement = models.ForeignKey(
        Placement,
        on_delete=models.PROTECT,
        related_name="contact_requests",
        verbose_name=_("stage"),
    )
    party = models.CharField(_("gevraagd door"), max_length=10, choices=EvaluationParty.choices)
    message = models.TextField(_("waarover"), max_length=1000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("gevraagd op"), auto_now_add=True)
    answered_by_contact = models.ForeignKey(
        ContactMoment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answers",
        verbose_name=_("beantwoord met contactmoment"),
    )

    class Meta:
        verbose_name = _("verzoek om contact")
        verbose_name_plural = _("verzoeken om contact")
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(
                fields=["placement"],
                condition=models.Q(answered_by_contact__isnull=True),
                name="contactrequest_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()} {self.requested_at:%d-%m-%Y}"


class Score(models.IntegerChoices):
    POOR = 1, _("onvoldoende")
    FAIR = 2, _("matig")
    GOOD = 3, _("voldoende")
    VERY_GOOD = 4, _("goed")
    EXCELLENT = 5, _("uitstekend")


class Evaluation(models.Model):
    """The end-of-internship evaluation, one short form per party."""

    placement = models.ForeignKey(
        Placement, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("stage")
    )
    party = models.CharField(_("partij"), max_length=10, choices=EvaluationParty.choices)
    learning = models.PositiveSmallIntegerField(
        _("wat de student heeft geleerd"), choices=Score.choices
    )
    supervision = models.PositiveSmallIntegerField(
        _("de begeleiding op de werkplek"), choices=Score.choices
    )
    school_contact = models.PositiveSmallIntegerField(
        _("het contact met school"), choices=Score.choices
    )
    would_recommend = models.BooleanField(_("zou dit leerbedrijf aanraden"))
    remarks = models.TextField(_("toelichting"), max_length=2000, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("ingevuld op"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluatie")
        verbose_name_plural = _("evaluaties")
        constraints = [
            models.UniqueConstraint(fields=["placement", "party"], name="evaluation_once_per_party")
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()} — {self.placement_id}"


class ReplacementTask(models.Model):
    """Links a school task "find a replacement placement" to the placement whose company lost
    its recognition, so the task closes when the student's next POK is fully signed."""

    placement = models.OneToOneField(
        Placement,
        on_delete=models.PROTECT,
        related_name="replacement_task",
        verbose_name=_("stage"),
    )
    task = models.OneToOneField(
        "worklist.SchoolTask",
        on_delete=models.PROTECT,
        related_name="replacement_for",
        verbose_name=_("taak"),
    )
    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="+", verbose_name=_("student")
    )

    class Meta:
        verbose_name = _("taak vervangende stage")
        verbose_name_plural = _("taken vervangende stage")

    def __str__(self) -> str:
        return f"{self.placement_id} → {self.task_id}"
