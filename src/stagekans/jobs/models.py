"""Progress of a long background job (national imports, issuing, reminders), for the page that
started it: who, done/total, rate, ETA, errors, and where a crashed run resumes."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    RUNNING = "running", _("bezig")
    DONE = "done", _("klaar")
    FAILED = "failed", _("afgebroken")


class BackgroundJob(models.Model):
    """One run of a long job. `cursor` is written in the same transaction as each chunk, so after
    a crash it says exactly which chunks are committed and where a new run resumes."""

    kind = models.CharField(_("soort"), max_length=64, db_index=True)
    label = models.CharField(_("omschrijving"), max_length=200)
    subject = models.CharField(
        _("betreft"), max_length=100, blank=True, help_text=_("Bijvoorbeeld 'handoutversion:12'.")
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("gestart door"),
    )
    started_at = models.DateTimeField(_("gestart op"), default=timezone.now)
    updated_at = models.DateTimeField(_("bijgewerkt op"), default=timezone.now)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    state = models.CharField(
        _("toestand"), max_length=10, choices=JobState.choices, default=JobState.RUNNING
    )
    total = models.PositiveBigIntegerField(_("totaal"), default=0)
    done = models.PositiveBigIntegerField(_("verwerkt"), default=0)
    errors = models.PositiveIntegerField(_("fouten"), default=0)
    last_error = models.TextField(_("laatste fout"), blank=True)
    cursor = models.JSONField(_("hervatpunt"), default=dict, blank=True)
    result = models.JSONField(_("resultaat"), default=dict, blank=True)

    class Meta:
        verbose_name = _("achtergrondtaak")
        verbose_name_plural = _("achtergrondtaken")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["kind", "subject", "started_at"])]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_state_display()})"

    @property
    def elapsed(self) -> dt.timedelta:
        end = self.finished_at or self.updated_at
        return max(end - self.started_at, dt.timedelta(0))

    @property
    def rate(self) -> float | None:
        """Rows per second so far."""
        seconds = self.elapsed.total_seconds()
        return self.done / seconds if seconds > 0 and self.done else None

    @property
    def eta(self) -> dt.timedelta | None:
        rate = self.rate
        if self.state != JobState.RUNNING or not rate or self.total <= self.done:
            return None
        return dt.timedelta(seconds=round((self.total - self.done) / rate))

    @property
    def percentage(self) -> float:
        return round(100 * self.done / self.total, 1) if self.total else 0.0
