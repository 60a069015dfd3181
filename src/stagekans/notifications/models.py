from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One e-mail to one recipient, written in the business transaction and sent after commit.

    A row without `sent_at` is still owed; the drain task sends it, so a crash of the web
    process or the worker never loses a mail (at worst it is retried).
    """

    to = models.EmailField(_("aan"))
    subject = models.CharField(_("onderwerp"), max_length=200)
    body = models.TextField(_("tekst"))
    dedup_key = models.CharField(
        _("ontdubbelsleutel"), max_length=200, unique=True, null=True, blank=True
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("volgende poging"), db_index=True)
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("pogingen"), default=0)
    last_error = models.TextField(_("laatste fout"), blank=True)

    class Meta:
        verbose_name = _("uitgaand bericht")
        verbose_name_plural = _("uitgaande berichten")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(sent_at__isnull=True),
                name="outbox_unsent_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
