"""What other apps must do, in the same transaction, when an application of a student is sent or
changes status one by one (sent, invited, offered, accepted, refused, withdrawn, declined; closing
open applications in bulk changes no outcome and runs no handler).
Applications know nothing of the apps that listen (insight keeps its student-year facts here),
so the dependency keeps pointing down."""

from __future__ import annotations

from collections.abc import Callable, Iterable

ApplicationsChangedHandler = Callable[..., None]
_changed_handlers: list[ApplicationsChangedHandler] = []


def on_applications_changed(handler: ApplicationsChangedHandler) -> ApplicationsChangedHandler:
    """Register `handler(student_ids=…)`; it runs inside the transaction of the change."""
    if handler not in _changed_handlers:
        _changed_handlers.append(handler)
    return handler


def run_applications_changed_handlers(*, student_ids: Iterable[int]) -> None:
    ids = sorted(set(student_ids))
    if not ids:
        return
    for handler in list(_changed_handlers):
        handler(student_ids=ids)
