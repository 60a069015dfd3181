"""In-process cache of small reference tables (qualifications, PC4 areas) for hot read paths.

The public search looks up a crebo and a postcode on every request; those tables change a few
times a year. Each web process keeps a copy for `STAGEKANS_REFERENCE_CACHE_SECONDS` (0 turns
the cache off, as the test settings do). A save or delete of a listed model in this process
clears the copy at once; other processes see the change within the expiry time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")


class ReferenceCache(Generic[T]):
    def __init__(self, loader: Callable[[], T], *, invalidated_by: list[type[models.Model]]):
        self._loader = loader
        self._value: T | None = None
        self._loaded_at = 0.0
        self._lock = threading.Lock()
        for model in invalidated_by:
            post_save.connect(self._clear_on_signal, sender=model, weak=False)
            post_delete.connect(self._clear_on_signal, sender=model, weak=False)

    def get(self) -> T:
        seconds = getattr(settings, "STAGEKANS_REFERENCE_CACHE_SECONDS", 0)
        if seconds <= 0:
            return self._loader()
        value = self._value
        if value is not None and time.monotonic() - self._loaded_at < seconds:
            return value
        with self._lock:
            fresh = self._loader()
            self._value, self._loaded_at = fresh, time.monotonic()
            return fresh

    def clear(self) -> None:
        self._value = None

    def _clear_on_signal(self, **kwargs: Any) -> None:
        self.clear()
