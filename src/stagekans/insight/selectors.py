"""Reads of insight: only precomputed, published tables (one indexed row per chart)."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, QuerySet

from stagekans.insight.models import (
    CompanySignal,
    OutcomeTable,
    RecomputeRun,
    ResearchProject,
    SurveyParty,
    SurveyResponse,
)


def current_run() -> RecomputeRun | None:
    return RecomputeRun.objects.filter(is_current=True).first()


def school_years() -> list[int]:
    run = current_run()
    if run is None:
        return []
    return sorted(
        set(run.tables.values_list("school_year", flat=True).distinct().order_by()), reverse=True
    )


def outcome_table(
    *,
    measure: str,
    attribute: str,
    school_year: int,
    breakdown: str,
    sector: str = "",
    region: str = "",
) -> dict[str, Any] | None:
    row = (
        OutcomeTable.objects.filter(
            run__is_current=True,
            measure=measure,
            attribute=attribute,
            school_year=school_year,
            sector=sector,
            region=region,
            breakdown=breakdown,
        )
        .values_list("payload", flat=True)
        .first()
    )
    return row


def outcome_tables(
    *, attribute: str, school_year: int, breakdown: str, sector: str = "", region: str = ""
) -> dict[str, dict[str, Any]]:
    """Every measure of one breakdown in one query (a dashboard page)."""
    rows = OutcomeTable.objects.filter(
        run__is_current=True,
        attribute=attribute,
        school_year=school_year,
        sector=sector,
        region=region,
        breakdown__in=[breakdown, "reason"],
    ).values_list("measure", "payload")
    return dict(rows)


def signals_for_adviser() -> QuerySet[CompanySignal]:
    return (
        CompanySignal.objects.filter(run__is_current=True, signalled=True)
        .select_related("company")
        .order_by("q_value", "company__name")
    )


def report_counts_by_company(company_ids: list[int]) -> dict[int, int]:
    """Meldpunt reports about these companies (counts only)."""
    from stagekans.meldpunt.models import Report

    rows = (
        Report.objects.filter(company_id__in=company_ids)
        .values("company_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r["company_id"]: r["n"] for r in rows}


def survey_summary(school_year: int | None) -> list[dict[str, Any]]:
    """Mean Likert scores and counts per strategy × party (suppressed by the caller)."""
    rows = SurveyResponse.objects.all()
    if school_year is not None:
        rows = rows.filter(school_year=school_year)
    values: Any = (
        rows.values("strategy", "party")
        .annotate(n=Count("pk"), fair=Avg("q_fair"), fit=Avg("q_fit"), process=Avg("q_process"))
        .order_by("strategy", "party")
    )
    return list(values)


def survey_years() -> list[int]:
    return sorted(
        set(SurveyResponse.objects.values_list("school_year", flat=True).distinct().order_by()),
        reverse=True,
    )


def open_surveys_for(user: Any) -> list[tuple[Any, str]]:
    """Placements the user may give feedback on, with the party she answers as (not answered)."""
    from stagekans.placements.models import Placement

    options: list[tuple[Any, str]] = []
    student = getattr(user, "student", None)
    staff = getattr(user, "school_staff", None)
    trainer = getattr(user, "trainer", None)
    checks: list[tuple[QuerySet[Placement], str]] = []
    if student is not None:
        checks.append((Placement.objects.filter(student=student), SurveyParty.STUDENT))
    if staff is not None:
        checks.append((Placement.objects.filter(school_id=staff.school_id), SurveyParty.SCHOOL))
    if trainer is not None:
        checks.append(
            (Placement.objects.filter(company_id=trainer.company_id), SurveyParty.COMPANY)
        )
    for placements, party in checks:
        answered = SurveyResponse.objects.filter(party=party).values("placement_id")
        for placement in (
            placements.exclude(pk__in=answered)
            .exclude(status="cancelled")
            .select_related("company", "student")
            .order_by("-start_date")[:50]
        ):
            options.append((placement, str(party)))
    return options


def projects() -> QuerySet[ResearchProject]:
    return ResearchProject.objects.prefetch_related("releases")
