"""What other apps must do, in the same transaction, when a vacancy closes (filled or
withdrawn). Stagemarkt knows nothing of the apps that listen (applications close their open
applications here), so the dependency keeps pointing down."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

VacancyClosedHandler = Callable[..., None]
_vacancy_closed_handlers: list[VacancyClosedHandler] = []


def on_vacancy_closed(handler: VacancyClosedHandler) -> VacancyClosedHandler:
    """Register `handler(vacancy=…, status=…, reason=…, acting_user=…)`; it runs inside the
    transaction that moved the vacancy to filled or withdrawn (the vacancy row is locked)."""
    if handler not in _vacancy_closed_handlers:
        _vacancy_closed_handlers.append(handler)
    return handler


def run_vacancy_closed_handlers(
    *, vacancy: Any, status: str, reason: str, acting_user: Any
) -> None:
    for handler in list(_vacancy_closed_handlers):
        handler(vacancy=vacancy, status=status, reason=reason, acting_user=acting_user)


VacancyChangedHandler = Callable[..., None]
_vacancy_changed_handlers: list[VacancyChangedHandler] = []


def on_vacancy_changed(handler: VacancyChangedHandler) -> VacancyChangedHandler:
    """Register `handler(vacancy=…, fields=…)`; it runs inside the transaction that changed the
    content of the vacancy (`fields`: the names of the fields that changed)."""
    if handler not in _vacancy_changed_handlers:
        _vacancy_changed_handlers.append(handler)
    return handler


def run_vacancy_changed_handlers(*, vacancy: Any, fields: list[str]) -> None:
    for handler in list(_vacancy_changed_handlers):
        handler(vacancy=vacancy, fields=fields)
