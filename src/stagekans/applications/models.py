"""Applications (sollicitaties) to Stagemarkt vacancies.

A company first sees an anonymised application (see applications/anonymised.py); the
student's identity is revealed only once the company invites them (`invited_at` set).
Only applications.services write these rows.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from stagekans.applications.workflow import ApplicationStatus, CloseReason, RejectionReason
from stagekans.companies.models import Company
from stagekans.core.append_only import AppendOnlyTrigger
from stagekans.core.models import StatusHistoryRow
from stagekans.core.storage import private_storage, random_upload_name
from stagekans.education.models import School, SchoolStaff, Student
from stagekans.placements.models import Placement
from stagekans.stagemarkt.models import Vacancy


class Application(models.Model):
    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="applications", verbose_name=_("student")
    )
    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.PROTECT, related_name="applications", verbose_name=_("vacature")
    )
    # copies for scoping and national overviews
    company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("leerbedrijf"),
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="applications", verbose_name=_("school")
    )
    motivation = models.TextField(_("motivatie"), max_length=4000)
    competences = models.TextField(_("competenties en ervaring"), max_length=2000, blank=True)
    availability = models.CharField(_("beschikbaarheid"), max_length=300, blank=True)
    # Private storage with a random name: a CV names the student, so only a permission-checked
    # view serves it (the student; the company only after invitation; the own school).
    cv = models.FileField(
        _("cv (optioneel)"),
        upload_to=random_upload_name,
        storage=private_storage,
        max_length=200,
        blank=True,
    )
    distance_km = models.FloatField(_("reisafstand (km)"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SENT,
    )
    sent_at = models.DateTimeField(_("verstuurd op"), auto_now_add=True)
    seen_at = models.DateTimeField(_("bekeken op"), null=True, blank=True)
    invited_at = models.DateTimeField(_("uitgenodigd op"), null=True, blank=True)
    offered_at = models.DateTimeField(_("aanbod op"), null=True, blank=True)
    decided_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    rejection_reason = models.CharField(
        _("reden afwijzing"), max_length=20, choices=RejectionReason.choices, blank=True
    )
    rejection_text = models.TextField(_("toelichting afwijzing"), max_length=2000, blank=True)
    close_reason = models.CharField(
        _("reden sluiting"), max_length=20, choices=CloseReason.choices, blank=True
    )
    recommended_by = models.ForeignKey(
        SchoolStaff,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommended_applications",
        verbose_name=_("aanbevolen door (warme match)"),
    )
    placement = models.OneToOneField(
        Placement,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application",
        verbose_name=_("stage"),
    )

    class Meta:
        verbose_name = _("sollicitatie")
        verbose_name_plural = _("sollicitaties")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "vacancy"],
                condition=models.Q(status__in=["sent", "seen", "invited", "offered"]),
                name="application_one_open_per_vacancy",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(rejection_reason=""),
                name="application_rejection_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["vacancy", "status"], name="application_vacancy_status"),
            models.Index(fields=["company", "status"], name="application_company_status"),
            models.Index(fields=["school", "status"], name="application_school_status"),
            models.Index(fields=["student", "status"], name="application_student_status"),
            # newest-first keyset pages of a school's and a company's overview
            models.Index(fields=["school", "-id"], name="application_school_newest"),
            models.Index(fields=["school", "status", "-id"], name="application_school_status_new"),
            models.Index(fields=["company", "-id"], name="application_company_newest"),
        ]
        permissions = [
            ("apply_to_vacancy", _("Mag als student solliciteren op een vacature")),
            ("review_applications", _("Mag sollicitaties op eigen vacatures beoordelen")),
            (
                "view_school_applications",
                _("Mag sollicitaties van studenten van de eigen school inzien"),
            ),
            (
                "recommend_student",
                _("Mag een student aanbevelen bij een leerbedrijf (warme match)"),
            ),
        ]

    def __str__(self) -> str:
        return f"Sollicitatie {self.pk} ({self.get_status_display()})"

    @property
    def identity_revealed(self) -> bool:
        return self.invited_at is not None


class ApplicationStatusChange(StatusHistoryRow):
    """Append-only history: every status an application passed through, with its time."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="history",
        verbose_name=_("sollicitatie"),
    )
    status = models.CharField(_("status"), max_length=10, choices=ApplicationStatus.choices)

    class Meta:
        verbose_name = _("statuswijziging sollicitatie")
        verbose_name_plural = _("statuswijzigingen sollicitaties")
        ordering = ["application", "at", "id"]
        triggers = [AppendOnlyTrigger()]
