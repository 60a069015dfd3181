from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stagekans.companies.models import Company


class HandoutKind(models.TextChoices):
    WERVING_SELECTIE = "werving_selectie", _("Werving en selectie")
    VEILIGHEID = "veiligheid", _("Veiligheid voor praktijkopleiders")


class HandoutVersion(models.Model):
    """One published version of a hand-out. Versions are never edited; a change is a new one."""

    kind = models.CharField(_("hand-out"), max_length=30, choices=HandoutKind.choices)
    version = models.PositiveIntegerField(_("versie"))
    title_nl = models.CharField(_("titel (Nederlands)"), max_length=200)
    body_nl = models.TextField(_("tekst (Nederlands)"))
    title_en = models.CharField(_("titel (Engels)"), max_length=200)
    body_en = models.TextField(_("tekst (Engels)"))
    published_at = models.DateTimeField(_("gepubliceerd op"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("gepubliceerd door"),
    )
    issue_target = models.PositiveIntegerField(_("aantal te verstrekken"), default=0)
    issued_count = models.PositiveIntegerField(_("aantal verstrekt"), default=0)
    issue_finished_at = models.DateTimeField(_("verstrekking klaar op"), null=True, blank=True)

    class Meta:
        verbose_name = _("versie hand-out")
        verbose_name_plural = _("versies hand-outs")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="handout_version_unique")
        ]
        permissions = [
            ("publish_handout", _("Mag een nieuwe versie van een hand-out publiceren")),
            ("view_handout_coverage", _("Mag het bereik van het informatiepakket inzien")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    def title(self, language: str) -> str:
        return self.title_en if language == "en" else self.title_nl

    def body(self, language: str) -> str:
        return self.body_en if language == "en" else self.body_nl


class HandoutDelivery(models.Model):
    """A hand-out version issued to a company; acknowledged by one of its trainers."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="handouts", verbose_name=_("leerbedrijf")
    )
    version = models.ForeignKey(
        HandoutVersion,
        on_delete=models.PROTECT,
        related_name="deliveries",
        verbose_name=_("versie"),
    )
    delivered_at = models.DateTimeField(_("verstrekt op"), auto_now_add=True)
    reminded_at = models.DateTimeField(_("laatste herinnering"), null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(_("aantal herinneringen"), default=0)
    acknowledged_at = models.DateTimeField(_("gelezen op"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("gelezen door"),
    )

    class Meta:
        verbose_name = _("verstrekte hand-out")
        verbose_name_plural = _("verstrekte hand-outs")
        ordering = ["-delivered_at"]
        constraints = [
            models.UniqueConstraint(fields=["company", "version"], name="delivery_unique")
        ]
        indexes = [models.Index(fields=["acknowledged_at", "delivered_at"])]
        permissions = [
            ("acknowledge_handout", _("Mag een hand-out als gelezen bevestigen")),
        ]

    def __str__(self) -> str:
        return f"{self.version} → {self.company}"
