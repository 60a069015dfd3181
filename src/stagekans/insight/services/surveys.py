"""Experience surveys after a placement: one answer per party, anonymous to the other parties;
published only as suppressed aggregates."""

from __future__ import annotations

from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.core.suppression import suppress
from stagekans.insight import selectors
from stagekans.insight.models import SurveyParty, SurveyResponse
from stagekans.placements.workflow import PlacementSource


def _school_year(placement: Any) -> int:
    start = placement.start_date
    return start.year if start.month >= 8 else start.year - 1


def answer_survey(
    *,
    acting_user: Any,
    placement: Any,
    party: str,
    q_fair: int,
    q_fit: int,
    q_process: int,
    open_answer: str = "",
) -> SurveyResponse:
    allowed = {(p.pk, role) for p, role in selectors.open_surveys_for(acting_user)}
    if (placement.pk, party) not in allowed:
        raise ValidationError(_("U kunt deze vragenlijst niet (meer) invullen."))
    for value in (q_fair, q_fit, q_process):
        if value not in range(1, 6):
            raise ValidationError(_("Kies een antwoord van 1 tot 5."))
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                placement=placement,
                party=SurveyParty(party),
                strategy=placement.source,
                school_year=_school_year(placement),
                q_fair=q_fair,
                q_fit=q_fit,
                q_process=q_process,
                open_answer=open_answer.strip(),
            )
            # The audit row says that someone answered, not what: answers stay anonymous.
            record(
                actor=acting_user,
                event=AuditEvent.INSIGHT_SURVEY_ANSWERED,
                obj=None,
                details={"party": party},
            )
    except IntegrityError as exc:
        raise ValidationError(_("Deze vragenlijst is al ingevuld.")) from exc
    return response


def published_summary(school_year: int | None, k: int) -> dict[str, Any]:
    """Counts per strategy × party through core.suppression; means only for published counts."""
    rows = selectors.survey_summary(school_year)
    strategies = [str(s) for s in PlacementSource.values]
    parties = [str(p) for p in SurveyParty.values]
    counts = np.zeros((len(strategies), len(parties)), dtype=np.int64)
    means: dict[tuple[int, int], dict[str, float]] = {}
    for row in rows:
        if row["strategy"] in strategies and row["party"] in parties:
            i, j = strategies.index(row["strategy"]), parties.index(row["party"])
            counts[i, j] = row["n"]
            means[(i, j)] = {"fair": row["fair"], "fit": row["fit"], "process": row["process"]}
    s = suppress(counts, k)
    table = []
    for i, strategy in enumerate(strategies):
        cells = []
        for j, _party in enumerate(parties):
            n = s.published_cell(i, j)
            m = means.get((i, j)) if n else None
            cells.append(
                {
                    "n": n,
                    "fair": None if m is None else round(m["fair"], 1),
                    "fit": None if m is None else round(m["fit"], 1),
                    "process": None if m is None else round(m["process"], 1),
                }
            )
        table.append(
            {
                "strategy": str(PlacementSource(strategy).label),
                "cells": cells,
                "total": s.published_row_total(i),
            }
        )
    return {
        "parties": [str(SurveyParty(p).label) for p in parties],
        "rows": table,
        "grand_total": s.published_grand_total(),
    }
