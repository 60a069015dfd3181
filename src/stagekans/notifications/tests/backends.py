"""E-mail backends for the outbox tests: real Django backends with one behaviour added."""

from __future__ import annotations

from typing import Any

from django.core.mail.backends.locmem import EmailBackend


class WorkerCrash(BaseException):
    """Not an Exception: nothing in the drain catches it, as with a kill -9 mid-send."""


class CrashingBackend(EmailBackend):
    """The worker dies in the middle of the SMTP conversation."""

    def send_messages(self, messages: Any) -> int:
        raise WorkerCrash("worker died mid-send")


class CountingBackend(EmailBackend):
    """locmem, counting how often a connection is opened (class-wide)."""

    opened = 0

    def open(self) -> bool:
        CountingBackend.opened += 1
        return True
