"""Test helpers for the equal-chances app, built through its services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from stagekans.equalchances import selectors, services
from stagekans.equalchances.models import ScanQuestion, ScanResult, ScanVersion


def answers_for(
    version: ScanVersion, pick: Callable[[ScanQuestion], int] | int = 0
) -> dict[int, int]:
    """question id → option id, choosing the option at position `pick` (or pick(question))."""
    chosen: dict[int, int] = {}
    for question in selectors.questions_of(version):
        options = list(question.options.all())
        index = pick(question) if callable(pick) else pick
        chosen[question.pk] = options[min(index, len(options) - 1)].pk
    return chosen


def fill_scan(
    *,
    user: Any,
    pick: Callable[[ScanQuestion], int] | int = 0,
    version: ScanVersion | None = None,
    completed_at: dt.datetime | None = None,
) -> ScanResult:
    version = version or selectors.current_version()
    assert version is not None
    return services.submit_scan(
        acting_user=user,
        company=user.trainer.company,
        version=version,
        answers=answers_for(version, pick),
        completed_at=completed_at,
    )


POLICY_ANSWERS: services.PolicyAnswers = {
    "covers_interns": True,
    "criteria_in_advance": True,
    "anonymised_selection": True,
    "structured_interviews": False,
    "multiple_assessors": True,
    "written_refusal_reasons": False,
    "complaint_route": (
        "Mail naar vertrouwenspersoon@bedrijf.nl of het Meldpunt stagediscriminatie."
    ),
    "responsible": "Hoofd HR",
    "notes": "",
}
