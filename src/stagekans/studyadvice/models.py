"""Study advice (studieadvies, BSA) and school years marked "niet-bindend" (brief section 11).

A school, or the platform for every school, marks a school year in which no binding negative
advice may be given (the corona rule), with the reason and the document it rests on. Only
studyadvice.services write these.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from stagekans.core.storage import private_storage, random_upload_name
from stagekans.education.models import School, Student


def school_year_label(start_year: int) -> str:
    return f"{start_year}-{start_year + 1}"


class AdviceKind(models.TextChoices):
    POSITIVE = "positive", _("positief")
    NEGATIVE = "negative", _("negatief")
    POSTPONED = "postponed", _("uitgesteld")


class NonBindingYear(models.Model):
    # Empty: the mark holds for every school (set by the platform).
    school = models.ForeignKey(
        School,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="non_binding_years",
        verbose_name=_("school"),
    )
    school_year = models.PositiveSmallIntegerField(
        _("schooljaar (beginjaar)"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    reason = models.TextField(_("reden"), max_length=2000)
    document = models.FileField(
        _("brondocument"),
        upload_to=random_upload_name,
        storage=private_storage,
        max_length=200,
        blank=True,
    )
    document_reference = models.CharField(
        _("verwijzing naar het besluit"), max_length=300, blank=True
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("gemarkeerd door"),
    )
    marked_at = models.DateTimeField(_("gemarkeerd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("niet-bindend schooljaar")
        verbose_name_plural = _("niet-bindende schooljaren")
        ordering = ["-school_year", "school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year"],
                condition=models.Q(school__isnull=False),
                name="non_binding_year_per_school",
            ),
            models.UniqueConstraint(
                fields=["school_year"],
                condition=models.Q(school__isnull=True),
                name="non_binding_year_platform",
            ),
        ]
        permissions = [
            ("mark_school_year", _("Mag een schooljaar van de eigen school niet-bindend maken")),
            ("mark_school_year_all", _("Mag een schooljaar voor alle scholen niet-bindend maken")),
        ]

    def __str__(self) -> str:
        return f"{school_year_label(self.school_year)} ({self.school or _('alle scholen')})"

    @property
    def label(self) -> str:
        return school_year_label(self.school_year)


class StudyAdvice(models.Model):
    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="study_advice", verbose_name=_("student")
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="+", verbose_name=_("school")
    )
    school_year = models.PositiveSmallIntegerField(_("schooljaar (beginjaar)"))
    kind = models.CharField(_("advies"), max_length=10, choices=AdviceKind.choices)
    binding = models.BooleanField(_("bindend"), default=False)
    advice_date = models.DateField(_("datum advies"))
    reasoning = models.TextField(_("onderbouwing"), max_length=4000)
    next_moment = models.DateField(_("volgend moment"), null=True, blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("gegeven door"),
    )
    # True when the school year was marked niet-bindend when this advice was given.
    in_marked_year = models.BooleanField(_("in niet-bindend schooljaar"), default=False)
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("studieadvies")
        verbose_name_plural = _("studieadviezen")
        ordering = ["-advice_date", "-id"]
        indexes = [models.Index(fields=["school", "school_year"], name="advice_school_year")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="postponed") | models.Q(next_moment__isnull=False),
                name="advice_postponed_has_next_moment",
            ),
            models.CheckConstraint(
                condition=models.Q(binding=False) | models.Q(kind="negative"),
                name="advice_only_negative_binding",
            ),
            # The corona rule held in the database too: never binding negative in a marked year.
            models.CheckConstraint(
                condition=~(models.Q(binding=True) & models.Q(in_marked_year=True)),
                name="advice_no_binding_in_marked_year",
            ),
        ]
        permissions = [
            ("give_study_advice", _("Mag studieadviezen geven aan studenten van de eigen school")),
            ("view_own_study_advice", _("Mag het eigen studieadvies inzien")),
            (
                "view_study_advice_report",
                _("Mag het overzicht van adviezen in niet-bindende jaren inzien"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} — {self.get_kind_display()} ({self.advice_date:%d-%m-%Y})"

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year)
