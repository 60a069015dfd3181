"""Model building blocks shared by the domain apps."""

from __future__ import annotations

from typing import Any

from django.db import models


class AppendOnlyModel(models.Model):
    """A row that is written once and never changed or deleted on its own: status histories,
    assessed conditions, decisions. Integrity, not business logic: the services decide what is
    written; this only stops a later save() or delete() from rewriting history."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError(f"{type(self).__name__} rows are append-only")
