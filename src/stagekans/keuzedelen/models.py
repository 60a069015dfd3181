"""Keuzedelen at another mbo institution (product brief section 10).

* `Keuzedeel`: the national catalogue entry (K-code, title, study load, level).
* `CooperationAgreement` + `AgreementVersion` + `AgreementPartner`: what the institutions agreed
  (partners, host, examination, finance, insurance, responsibility, reporting). Signed by every
  partner; a change after signing is a new version, the old one stays readable.
* `Offering`: a keuzedeel taught by a host school under an agreement (place, day(s), period,
  places, entry conditions).
* `HomeTimetable` and `PlannedActivity`: the minimal home timetable the checks need.
* `EnrolmentRequest`, `AttendanceRecord`: the request, its stored check results, decisions of
  both schools, attendance per lesson and the result.

Only keuzedelen.services write these.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from stagekans.education.models import Programme, School, Student
from stagekans.keuzedelen.workflow import (
    AttendanceStatus,
    EnrolmentStatus,
    Examiner,
    RefusalReason,
    Result,
    Side,
    VersionStatus,
)

validate_k_code = RegexValidator(
    r"^K\d{4}$", _("Een keuzedeelcode is een K met vier cijfers, bijvoorbeeld K0901.")
)
WEEKDAY_HELP = _("Maandag = 1, dinsdag = 2, woensdag = 4, donderdag = 8, vrijdag = 16.")


class Keuzedeel(models.Model):
    code = models.CharField(_("code"), max_length=5, unique=True, validators=[validate_k_code])
    title = models.CharField(_("titel"), max_length=200)
    study_load_hours = models.PositiveSmallIntegerField(
        _("studielast (uren)"), validators=[MinValueValidator(60), MaxValueValidator(960)]
    )
    niveau = models.PositiveSmallIntegerField(
        _("niveau"),
        choices=[(n, str(n)) for n in range(1, 5)],
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )

    class Meta:
        verbose_name = _("keuzedeel")
        verbose_name_plural = _("keuzedelen")
        ordering = ["title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"


class CooperationAgreement(models.Model):
    """The lasting identity of an agreement; its content lives in versions."""

    title = models.CharField(_("naam"), max_length=200)
    host = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        related_name="hosted_agreements",
        verbose_name=_("gastinstelling"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("samenwerkingsovereenkomst")
        verbose_name_plural = _("samenwerkingsovereenkomsten")
        ordering = ["title"]
        permissions = [
            (
                "sign_cooperation_agreement",
                _("Mag een samenwerkingsovereenkomst namens de eigen school tekenen"),
            ),
            (
                "manage_cooperation_agreement",
                _("Mag samenwerkingsovereenkomsten en aanbod vastleggen"),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AgreementVersion(models.Model):
    agreement = models.ForeignKey(
        CooperationAgreement,
        on_delete=models.PROTECT,
        related_name="versions",
        verbose_name=_("overeenkomst"),
    )
    version = models.PositiveSmallIntegerField(_("versie"), validators=[MinValueValidator(1)])
    status = models.CharField(_("status"), max_length=10, choices=VersionStatus.choices)
    examiner = models.CharField(_("wie examineert"), max_length=10, choices=Examiner.choices)
    finance_per_student = models.DecimalField(
        _("vergoeding per student (euro)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    finance_terms = models.TextField(_("financiële afspraken"), max_length=2000)
    insurance = models.TextField(_("verzekering"), max_length=2000)
    responsibility = models.TextField(_("verantwoordelijkheid en zorgplicht"), max_length=2000)
    progress_reporting = models.TextField(_("voortgangsrapportage"), max_length=2000)
    attendance_reporting = models.TextField(_("aanwezigheidsregistratie"), max_length=2000)
    # The weekday the partner programmes keep free for the keuzedeel (bitmask, 0 = none).
    shared_day = models.PositiveSmallIntegerField(
        _("gezamenlijke lesdag"),
        default=0,
        validators=[MaxValueValidator(127)],
        help_text=WEEKDAY_HELP,
    )
    absence_threshold_percent = models.PositiveSmallIntegerField(
        _("verzuimgrens (%)"), default=20, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    change_summary = models.TextField(_("wat is gewijzigd"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    activated_at = models.DateTimeField(_("door iedereen getekend op"), null=True, blank=True)

    class Meta:
        verbose_name = _("versie van samenwerkingsovereenkomst")
        verbose_name_plural = _("versies van samenwerkingsovereenkomsten")
        ordering = ["agreement", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "version"], name="coop_version_unique"),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=models.Q(status="active"),
                name="coop_one_active_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} v{self.version}"


class AgreementPartner(models.Model):
    """A partner school of one version, with its signature once given."""

    version = models.ForeignKey(
        AgreementVersion,
        on_delete=models.PROTECT,
        related_name="partners",
        verbose_name=_("versie"),
    )
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        related_name="agreement_partnerships",
        verbose_name=_("school"),
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("getekend door"),
    )
    signed_at = models.DateTimeField(_("getekend op"), null=True, blank=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["school__name"]
        constraints = [
            models.UniqueConstraint(fields=["version", "school"], name="coop_partner_once"),
        ]

    def __str__(self) -> str:
        return f"{self.school} — {self.version}"


class Offering(models.Model):
    keuzedeel = models.ForeignKey(
        Keuzedeel, on_delete=models.PROTECT, related_name="offerings", verbose_name=_("keuzedeel")
    )
    host = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        related_name="keuzedeel_offerings",
        verbose_name=_("gastinstelling"),
    )
    agreement = models.ForeignKey(
        CooperationAgreement,
        on_delete=models.PROTECT,
        related_name="offerings",
        verbose_name=_("samenwerkingsovereenkomst"),
    )
    location_name = models.CharField(_("locatie"), max_length=200)
    place = models.CharField(_("plaats"), max_length=100)
    latitude = models.FloatField(_("breedtegraad"))
    longitude = models.FloatField(_("lengtegraad"))
    weekdays = models.PositiveSmallIntegerField(
        _("lesdag(en)"),
        validators=[MinValueValidator(1), MaxValueValidator(127)],
        help_text=WEEKDAY_HELP,
    )
    start_date = models.DateField(_("begindatum"))
    end_date = models.DateField(_("einddatum"))
    places = models.PositiveSmallIntegerField(
        _("aantal plaatsen"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    min_niveau = models.PositiveSmallIntegerField(
        _("minimaal niveau van de opleiding"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    entry_conditions = models.TextField(_("toelatingseisen"), blank=True, max_length=2000)
    published = models.BooleanField(_("gepubliceerd"), default=True)
    closed_at = models.DateTimeField(_("gesloten op"), null=True, blank=True)
    closed_reason = models.TextField(_("reden van sluiten"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("keuzedeelaanbod")
        verbose_name_plural = _("keuzedeelaanbod")
        ordering = ["start_date", "keuzedeel__title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="offering_period"
            ),
        ]
        permissions = [
            ("request_keuzedeel", _("Mag een keuzedeel bij een andere instelling aanvragen")),
            ("view_regional_overview", _("Mag het regionale overzicht van keuzedelen inzien")),
        ]

    def __str__(self) -> str:
        return f"{self.keuzedeel.title} — {self.host.name}"

    @property
    def map_label(self) -> str:
        return f"{self.keuzedeel.title} ({self.place})"


class HomeTimetable(models.Model):
    """The days a programme's cohort has lessons at home (bitmask)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="timetables", verbose_name=_("opleiding")
    )
    cohort = models.PositiveSmallIntegerField(
        _("cohort"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    lesson_days = models.PositiveSmallIntegerField(
        _("lesdagen"), validators=[MaxValueValidator(127)], help_text=WEEKDAY_HELP
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("rooster eigen opleiding")
        verbose_name_plural = _("roosters eigen opleidingen")
        ordering = ["programme", "cohort"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "cohort"], name="timetable_unique"),
        ]
        permissions = [
            ("manage_timetable", _("Mag roosters en activiteiten van de eigen school vastleggen")),
        ]

    def __str__(self) -> str:
        return f"{self.programme} cohort {self.cohort}"


class PlannedActivity(models.Model):
    """Another activity a home programme plans (excursion, exam, project day). When it falls on
    an agreement's shared lesson day for students placed on a keuzedeel, it carries a warning."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="planned_activities",
        verbose_name=_("opleiding"),
    )
    cohort = models.PositiveSmallIntegerField(_("cohort"))
    date = models.DateField(_("datum"))
    title = models.CharField(_("activiteit"), max_length=200)
    warning = models.TextField(_("waarschuwing"), blank=True)
    affected_students = models.PositiveIntegerField(
        _("studenten met keuzedeel op die dag"), default=0
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

    class Meta:
        verbose_name = _("geplande activiteit")
        verbose_name_plural = _("geplande activiteiten")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d-%m-%Y})"


class EnrolmentRequest(models.Model):
    student = models.ForeignKey(
        Student,
        on_delete=models.PROTECT,
        related_name="keuzedeel_requests",
        verbose_name=_("student"),
    )
    offering = models.ForeignKey(
        Offering, on_delete=models.PROTECT, related_name="requests", verbose_name=_("aanbod")
    )
    # Copies for scoping: the home school sees its students, the host its guests.
    home_school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="+", verbose_name=_("eigen school")
    )
    host_school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="+", verbose_name=_("gastschool")
    )
    status = models.CharField(_("status"), max_length=14, choices=EnrolmentStatus.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("aangevraagd door"),
    )
    motivation = models.TextField(_("motivatie"), blank=True, max_length=2000)
    # [{"check": code, "passed": bool, "blocking": bool, "message": Dutch sentence}]
    checks = models.JSONField(_("controles"), default=list)
    checked_at = models.DateTimeField(_("gecontroleerd op"))
    travel_minutes = models.PositiveSmallIntegerField(_("geschatte reistijd (minuten)"))
    distance_km = models.DecimalField(_("afstand (km)"), max_digits=6, decimal_places=1)
    home_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("besluit eigen school door"),
    )
    home_decided_at = models.DateTimeField(_("besluit eigen school op"), null=True, blank=True)
    home_note = models.TextField(_("toelichting eigen school"), blank=True, max_length=2000)
    host_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("besluit gastschool door"),
    )
    host_decided_at = models.DateTimeField(_("besluit gastschool op"), null=True, blank=True)
    host_note = models.TextField(_("toelichting gastschool"), blank=True, max_length=2000)
    refused_by = models.CharField(
        _("geweigerd door"), max_length=8, choices=Side.choices, blank=True
    )
    refusal_reason = models.CharField(
        _("reden van weigering"), max_length=16, choices=RefusalReason.choices, blank=True
    )
    result = models.CharField(_("resultaat"), max_length=8, choices=Result.choices, blank=True)
    result_grade = models.CharField(_("cijfer of beoordeling"), max_length=20, blank=True)
    result_recorded_at = models.DateTimeField(_("resultaat vastgelegd op"), null=True, blank=True)
    absence_alerted_at = models.DateTimeField(
        _("verzuimsignaal verstuurd op"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("aanvraag keuzedeel")
        verbose_name_plural = _("aanvragen keuzedelen")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["home_school", "status"], name="kd_request_home_status"),
            models.Index(fields=["host_school", "status"], name="kd_request_host_status"),
            models.Index(fields=["offering", "status"], name="kd_request_offering_status"),
        ]
        constraints = [
            # One open or running request per student per offering.
            models.UniqueConstraint(
                fields=["student", "offering"],
                condition=models.Q(
                    status__in=["submitted", "home_approved", "accepted", "completed"]
                ),
                name="kd_request_once_per_offering",
            ),
        ]
        permissions = [
            (
                "view_school_keuzedeel_requests",
                _("Mag aanvragen voor keuzedelen van en bij de eigen school inzien"),
            ),
            (
                "decide_keuzedeel_request",
                _("Mag namens de eigen school of gastschool over een aanvraag beslissen"),
            ),
            (
                "record_keuzedeel_attendance",
                _("Mag als gastschool aanwezigheid en resultaat vastleggen"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} — {self.offering}"

    @property
    def failed_checks(self) -> list[dict[str, Any]]:
        return [c for c in self.checks if not c.get("passed")]


class AttendanceRecord(models.Model):
    enrolment = models.ForeignKey(
        EnrolmentRequest,
        on_delete=models.PROTECT,
        related_name="attendance",
        verbose_name=_("aanvraag"),
    )
    lesson_date = models.DateField(_("lesdatum"))
    status = models.CharField(_("aanwezigheid"), max_length=8, choices=AttendanceStatus.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now=True)

    class Meta:
        verbose_name = _("aanwezigheid")
        verbose_name_plural = _("aanwezigheid")
        ordering = ["lesson_date"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson_date"], name="kd_attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.lesson_date:%d-%m-%Y} {self.status}"
