"""What other apps must do, in the same transaction, when placements of students are made or
their period or status changes. Placements know nothing of the apps that listen (insight keeps
its student-year facts here), so the dependency keeps pointing down."""

from __future__ import annotations

from collections.abc import Callable, Iterable

PlacementsChangedHandler = Callable[..., None]
_changed_handlers: list[PlacementsChangedHandler] = []


def on_placements_changed(handler: PlacementsChangedHandler) -> PlacementsChangedHandler:
    """Register `handler(student_ids=…)`; it runs inside the transaction of the change."""
    if handler not in _changed_handlers:
        _changed_handlers.append(handler)
    return handler


def run_placements_changed_handlers(*, student_ids: Iterable[int]) -> None:
    ids = sorted(set(student_ids))
    if not ids:
        return
    for handler in list(_changed_handlers):
        handler(student_ids=ids)
