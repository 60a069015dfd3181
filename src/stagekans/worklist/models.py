from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stagekans.education.models import School
from stagekans.register.models import Recognition


class SchoolTaskKind(models.TextChoices):
    FIND_REPLACEMENT_PLACEMENT = "find_replacement_placement", _("Vervangende stageplek zoeken")
    FOLLOW_UP_CASE_DECISION = "follow_up_case_decision", _("Besluit van SBB opvolgen")


class SchoolTask(models.Model):
    """Work a school must do because something happened elsewhere (e.g. a revoked recognition)."""

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("school")
    )
    kind = models.CharField(_("soort"), max_length=40, choices=SchoolTaskKind.choices)
    subject = models.TextField(_("omschrijving"))
    recognition = models.ForeignKey(
        Recognition,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="school_tasks",
        verbose_name=_("erkenning"),
    )
    dedup_key = models.CharField(
        _("ontdubbelsleutel"), max_length=200, unique=True, null=True, blank=True
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    done_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("afgerond door"),
    )

    class Meta:
        verbose_name = _("taak school")
        verbose_name_plural = _("taken scholen")
        ordering = ["done_at", "-created_at", "-id"]
        indexes = [models.Index(fields=["school", "done_at"])]

    def __str__(self) -> str:
        return f"{self.school}: {self.get_kind_display()}"
