"""Voorlichting: the versioned information text about internship discrimination and the
record that each student read it — at onboarding and again before each internship period."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InformationText(models.Model):
    """One published version of the text. A new version means every student reads it again."""

    version = models.PositiveIntegerField(_("versie"), unique=True)
    title_nl = models.CharField(_("titel (Nederlands)"), max_length=200)
    title_en = models.CharField(_("titel (Engels)"), max_length=200)
    body_nl = models.TextField(
        _("tekst (Nederlands)"),
        help_text=_("Regels met '## ' worden tussenkoppen, regels met '- ' opsommingen."),
    )
    body_en = models.TextField(_("tekst (Engels)"))
    published_at = models.DateTimeField(_("gepubliceerd op"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("gepubliceerd door"),
    )

    class Meta:
        verbose_name = _("voorlichtingstekst")
        verbose_name_plural = _("voorlichtingsteksten")
        ordering = ["-version"]
        permissions = [
            ("view_school_coverage", _("Mag de voorlichtingsdekking van de eigen school inzien")),
            ("view_national_coverage", _("Mag de landelijke voorlichtingsdekking inzien")),
            ("announce_internship_period", _("Mag een stageperiode aankondigen (opnieuw lezen)")),
            ("publish_text", _("Mag een nieuwe versie van de voorlichtingstekst publiceren")),
        ]

    def __str__(self) -> str:
        return f"{self.title_nl} (versie {self.version})"


class Moment(models.TextChoices):
    ONBOARDING = "onboarding", _("bij de start (onboarding)")
    BEFORE_INTERNSHIP = "before_internship", _("voor de stageperiode")
    NEW_VERSION = "new_version", _("nieuwe versie van de tekst")


class InternshipPeriod(models.Model):
    """An internship period of a programme: its students read the text again before it."""

    programme = models.ForeignKey(
        "education.Programme",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opleiding"),
    )
    starts_on = models.DateField(_("begint op"))
    announced_at = models.DateTimeField(_("aangekondigd op"), auto_now_add=True)
    announced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("aangekondigd door"),
    )

    class Meta:
        verbose_name = _("stageperiode")
        verbose_name_plural = _("stageperiodes")
        ordering = ["-announced_at", "-id"]
        indexes = [models.Index(fields=["programme", "announced_at"])]

    def __str__(self) -> str:
        return f"{self.programme} {self.starts_on}"


class Acknowledgement(models.Model):
    student = models.ForeignKey(
        "education.Student",
        on_delete=models.CASCADE,
        related_name="voorlichting_acknowledgements",
        verbose_name=_("student"),
    )
    text = models.ForeignKey(
        InformationText,
        on_delete=models.PROTECT,
        related_name="acknowledgements",
        verbose_name=_("versie"),
    )
    moment = models.CharField(_("moment"), max_length=20, choices=Moment.choices)
    internship_period = models.ForeignKey(
        InternshipPeriod,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="acknowledgements",
        verbose_name=_("stageperiode"),
    )
    acknowledged_at = models.DateTimeField(_("gelezen op"), auto_now_add=True)

    class Meta:
        verbose_name = _("leesbevestiging")
        verbose_name_plural = _("leesbevestigingen")
        ordering = ["-acknowledged_at", "-id"]
        indexes = [models.Index(fields=["student", "text", "acknowledged_at"])]

    def __str__(self) -> str:
        return f"{self.student} v{self.text.version} {self.moment}"
