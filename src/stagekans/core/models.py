"""Model building blocks shared by the domain apps."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stagekans.core.append_only import AppendOnlyError, AppendOnlyManager


class AppendOnlyModel(models.Model):
    """A row that is written once and never changed or deleted on its own: status histories,
    assessed conditions, decisions. Integrity, not business logic: the services decide what is
    written; this only stops a later save(), delete() or QuerySet.update()/delete() from
    rewriting history. The database enforces the same with the `AppendOnlyTrigger` every
    concrete subclass declares in `Meta.triggers` (see core/append_only.py)."""

    objects = AppendOnlyManager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only (update refused)")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only (delete refused)")


class StatusHistoryRow(AppendOnlyModel):
    """One row of an append-only status history: who made the change and when."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("door"),
    )
    at = models.DateTimeField(_("tijdstip"), auto_now_add=True)

    class Meta:
        abstract = True


class RateLimitCounter(models.Model):
    """A rate-limit counter kept in the database only while the cache is down (see
    core/ratelimit.py). The key is a keyed hash, never an address; rows are deleted as soon as
    their window has passed."""

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("tellerstand snelheidslimiet")
        verbose_name_plural = _("tellerstanden snelheidslimieten")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key", "window_start"], name="ratelimit_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.window_start:%H:%M} {self.count}"


class AggregateSnapshot(models.Model):
    """Figures of a national staff page, computed in SQL by a background refresh and read by
    the page in one indexed query (core/snapshots.py). `data` holds aggregates only, never a
    person."""

    name = models.CharField(_("naam"), max_length=150, unique=True)
    data = models.JSONField(_("cijfers"), default=dict)
    computed_at = models.DateTimeField(_("berekend op"))
    seconds = models.FloatField(_("rekentijd (s)"), default=0)
    last_read_at = models.DateTimeField(_("laatst gelezen op"), null=True, blank=True)

    class Meta:
        verbose_name = _("momentopname cijfers")
        verbose_name_plural = _("momentopnamen cijfers")

    def __str__(self) -> str:
        return f"{self.name} ({self.computed_at:%Y-%m-%d %H:%M})"
