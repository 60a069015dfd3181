"""Insight pages: dashboards (analyst, adviescommissie), company signals (SBB adviser), the
pilot report (page and PDF), the strategy simulation and the experience surveys. Views read
precomputed, published tables; the rules live in services and selectors."""

from __future__ import annotations

import csv
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.background.models import Attribute
from stagekans.insight import outcomes, selectors
from stagekans.insight.forms import SurveyForm
from stagekans.insight.models import Breakdown, CompanySignal, Measure
from stagekans.insight.services import surveys
from stagekans.insight.simulation import SimulationParams, simulate

PERCENT_MEASURES = {Measure.PLACED_FIRST, Measure.UNPLACED_AT_START, Measure.REFUSAL_REASON}
BREAKDOWNS = [b for b in Breakdown if b != Breakdown.REASON]


def _choice(value: str, options: list[str], default: str) -> str:
    return value if value in options else default


def _filters(request: HttpRequest) -> dict[str, Any]:
    years = selectors.school_years()
    requested = request.GET.get("jaar", "")
    year = int(requested) if requested.isdigit() and int(requested) in years else None
    year = year if year is not None else (years[0] if years else None)
    attribute = _choice(request.GET.get("kenmerk", ""), list(Attribute.values), "herkomst")
    sector = _choice(request.GET.get("sector", ""), [k for k, _ in outcomes.SECTORS], "")
    region = _choice(request.GET.get("regio", ""), [k for k, _ in outcomes.REGIONS], "")
    if attribute != Attribute.HERKOMST:
        sector = region = ""  # disability and gender are published nationally only
    if sector and region:
        region = ""  # one filter at a time: sector or region (docs/insight-method.md)
    breakdown = _choice(request.GET.get("indeling", ""), [str(b) for b in BREAKDOWNS], "strategy")
    return {
        "years": years,
        "year": year,
        "attribute": attribute,
        "sector": sector,
        "region": region,
        "breakdown": breakdown,
    }


def _format(measure: str, value: float | None) -> str:
    if value is None:
        return ""
    if measure in PERCENT_MEASURES:
        return f"{value * 100:.0f}%".replace(".", ",")
    return f"{value:.1f}".replace(".", ",")


def _view_table(measure: str, payload: dict[str, Any]) -> dict[str, Any]:
    groups = [label for _code, label in payload["groups"]]
    rows = []
    bars = []
    for row in payload["rows"]:
        cells = []
        for (code, group), cell in zip(payload["groups"], row["cells"], strict=True):
            value = cell.get("value")
            shown = cell.get("n") is not None
            display = _format(measure, value) if shown else None
            ci = ""
            if shown and cell.get("low") is not None and cell.get("high") is not None:
                ci = f"{_format(measure, cell['low'])} – {_format(measure, cell['high'])}"
            cells.append(
                {
                    "group": group,
                    "code": code,
                    "shown": shown,
                    "display": display,
                    "ci": ci,
                    "n": cell.get("n"),
                    "ratio": None
                    if cell.get("ratio") is None
                    else f"{cell['ratio']:.2f}".replace(".", ","),
                    "flag": cell.get("four_fifths"),
                }
            )
            if code != 0:
                scale = 100 if measure in PERCENT_MEASURES else 1
                bars.append(
                    {
                        "label": f"{row['label']} — {group}" if row["key"] else group,
                        "value": None if not shown or value is None else round(value * scale, 1),
                    }
                )
        rows.append({"label": row["label"], "cells": cells})
    return {"groups": groups, "rows": rows, "bars": bars}


@login_required
@permission_required("insight.view_insight_dashboard", raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    f = _filters(request)
    run = selectors.current_run()
    tables: dict[str, dict[str, Any]] = {}
    if f["year"] is not None:
        tables = selectors.outcome_tables(
            attribute=f["attribute"],
            school_year=f["year"],
            breakdown=f["breakdown"],
            sector=f["sector"],
            region=f["region"],
        )
    if request.GET.get("formaat") == "csv":
        measure = _choice(request.GET.get("maat", ""), list(tables), "")
        if not measure:
            raise Http404
        return _csv(request, measure, tables[measure], f)
    sections = []
    for measure in Measure:
        payload = tables.get(measure)
        if payload is not None:
            sections.append(
                {
                    "measure": str(measure),
                    "label": measure.label,
                    "unit": "%" if measure in PERCENT_MEASURES else "",
                    "table": _view_table(measure, payload),
                }
            )
    return render(
        request,
        "insight/dashboard.html",
        {
            **f,
            "run": run,
            "sections": sections,
            "attributes": Attribute.choices,
            "sectors": outcomes.SECTORS,
            "regions": outcomes.REGIONS,
            "breakdowns": [(str(b), b.label) for b in BREAKDOWNS],
            "k": settings.INSIGHT_SUPPRESSION_THRESHOLD,
            "query": request.GET.urlencode(),
        },
    )


def _csv(request: HttpRequest, measure: str, payload: dict[str, Any], f: dict[str, Any]) -> Any:
    hidden = _("afgeschermd")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="inzicht-{measure}-{f["year"]}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            _("rij"),
            _("groep"),
            _("n"),
            _("aantal"),
            _("waarde"),
            _("95%-interval laag"),
            _("95%-interval hoog"),
            _("verhouding tot referentie"),
            _("vier-vijfde-regel"),
        ]
    )
    for row in payload["rows"]:
        for (_code, group), cell in zip(payload["groups"], row["cells"], strict=True):
            if cell.get("n") is None:
                writer.writerow([row["label"], group, hidden, hidden, hidden, "", "", "", ""])
                continue
            writer.writerow(
                [
                    row["label"],
                    group,
                    cell["n"],
                    "" if cell.get("numerator") is None else cell["numerator"],
                    "" if cell.get("value") is None else round(cell["value"], 4),
                    "" if cell.get("low") is None else round(cell["low"], 4),
                    "" if cell.get("high") is None else round(cell["high"], 4),
                    "" if cell.get("ratio") is None else round(cell["ratio"], 3),
                    {True: _("ja"), False: _("nee")}.get(cell.get("four_fifths"), ""),
                ]
            )
    with transaction.atomic():
        record(
            actor=request.user,
            event=AuditEvent.INSIGHT_EXPORTED,
            obj=None,
            details={"measure": measure, "year": f["year"], "attribute": f["attribute"]},
        )
    return response


@login_required
@permission_required("insight.recompute_insight", raise_exception=True)
@require_POST
def recompute_now(request: HttpRequest) -> HttpResponse:
    from stagekans.insight.tasks import recompute_task

    transaction.on_commit(recompute_task.delay)
    messages.success(request, _("De cijfers worden opnieuw berekend."))
    return redirect("insight:dashboard")


# --- company signals (SBB adviser) --------------------------------------------------------------


@login_required
@permission_required("insight.view_company_signals", raise_exception=True)
def signal_list(request: HttpRequest) -> HttpResponse:
    signals = list(selectors.signals_for_adviser()[:200])
    reports = selectors.report_counts_by_company([s.company_id for s in signals])
    with transaction.atomic():
        record(
            actor=request.user,
            event=AuditEvent.INSIGHT_SIGNALS_VIEWED,
            obj=None,
            details={"signals": [s.pk for s in signals]},
        )
    return render(
        request,
        "insight/signals.html",
        {
            "signals": [(s, reports.get(s.company_id, 0)) for s in signals],
            "run": selectors.current_run(),
        },
    )


@login_required
@permission_required("insight.view_company_signals", raise_exception=True)
def signal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    signal = get_object_or_404(
        CompanySignal.objects.select_related("company"), pk=pk, run__is_current=True
    )
    reports = selectors.report_counts_by_company([signal.company_id]).get(signal.company_id, 0)
    with transaction.atomic():
        record(
            actor=request.user,
            event=AuditEvent.INSIGHT_SIGNAL_VIEWED,
            obj=signal,
            details={"company_id": signal.company_id, "measure": signal.measure},
        )
    return render(
        request,
        "insight/signal_detail.html",
        {"signal": signal, "reports": reports, "k": settings.INSIGHT_SUPPRESSION_THRESHOLD},
    )


# --- pilot report ----------


def _pilot(request: HttpRequest) -> dict[str, Any]:
    years = sorted(set(selectors.school_years()) | set(selectors.survey_years()), reverse=True)
    requested = request.GET.get("jaar", "")
    year = int(requested) if requested.isdigit() and int(requested) in years else None
    year = year if year is not None else (years[0] if years else None)
    k = settings.INSIGHT_SUPPRESSION_THRESHOLD
    measures = []
    if year is not None:
        tables = selectors.outcome_tables(
            attribute="herkomst", school_year=year, breakdown=Breakdown.STRATEGY
        )
        for measure in (
            Measure.PLACED_FIRST,
            Measure.APPS_PER_PLACEMENT,
            Measure.DAYS_TO_PLACEMENT,
            Measure.UNPLACED_AT_START,
        ):
            if measure in tables:
                measures.append(
                    {"label": measure.label, "table": _view_table(measure, tables[measure])}
                )
    survey = surveys.published_summary(year, k)
    return {"years": years, "year": year, "measures": measures, "survey": survey, "k": k}


@login_required
@permission_required("insight.view_insight_dashboard", raise_exception=True)
def pilot_report(request: HttpRequest) -> HttpResponse:
    context = _pilot(request)
    if request.GET.get("formaat") == "pdf":
        from stagekans.insight.pdf import pilot_report_pdf

        pdf = pilot_report_pdf(context)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="pilotrapport-{context["year"]}.pdf"'
        )
        with transaction.atomic():
            record(
                actor=request.user,
                event=AuditEvent.INSIGHT_EXPORTED,
                obj=None,
                details={"report": "pilot", "year": context["year"]},
            )
        return response
    return render(request, "insight/pilot_report.html", context)


# --- simulation ----------


@login_required
@permission_required("insight.view_insight_dashboard", raise_exception=True)
def simulation(request: HttpRequest) -> HttpResponse:
    defaults = SimulationParams()
    error = ""
    try:
        share = float(request.GET.get("bevooroordeeld", defaults.biased_company_share))
        seed = int(request.GET.get("seed", defaults.seed))
        params = SimulationParams(biased_company_share=share, seed=seed)
    except (ValueError, TypeError):
        error = _("Kies een aandeel tussen 0 en 1 en een geheel getal als seed.")
        params = defaults
    key = f"insight-simulation:{params.biased_company_share}:{params.seed}"
    result = cache.get(key)
    if result is None:
        result = simulate(params).as_dict()
        cache.set(key, result, 60 * 60)
    rows = []
    for strategy, label in (
        ("open_application", _("Open sollicitatie")),
        ("blind_matching", _("Blind matchen door de school")),
    ):
        for group, group_label in (
            ("western", _("westerse achtergrond")),
            ("non_western", _("niet-westerse achtergrond")),
        ):
            o = result[strategy][group]
            rows.append(
                {
                    "strategy": label,
                    "group": group_label,
                    "students": o["students"],
                    "first_try": round(o["first_try"] * 100, 1),
                    "placed": round(o["placed"] * 100, 1),
                    "unplaced": round(o["unplaced"] * 100, 1),
                    "mean_rank": round(o["mean_rank"], 2),
                }
            )
    bars = [{"label": f"{r['strategy']} — {r['group']}", "value": r["first_try"]} for r in rows]
    return render(
        request,
        "insight/simulation.html",
        {
            "result": result,
            "rows": rows,
            "bars": bars,
            "error": error,
            "gap_open": round(result["gap_open"] * 100, 1),
            "gap_blind": round(result["gap_blind"] * 100, 1),
        },
    )


# --- surveys ----------


@login_required
@permission_required("insight.answer_survey", raise_exception=True)
def survey_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "insight/survey_list.html", {"open": selectors.open_surveys_for(request.user)}
    )


@login_required
@permission_required("insight.answer_survey", raise_exception=True)
def survey_answer(request: HttpRequest, placement: int, party: str) -> HttpResponse:
    options = {(p.pk, role): p for p, role in selectors.open_surveys_for(request.user)}
    found = options.get((placement, party))
    if found is None:
        raise Http404
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            surveys.answer_survey(
                acting_user=request.user, placement=found, party=party, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Dank je wel voor je antwoorden."))
            return redirect("insight:surveys")
    return render(request, "insight/survey_form.html", {"form": form, "placement": found})


# --- research extracts ----------


@login_required
@permission_required("insight.manage_research_extracts", raise_exception=True)
def research(request: HttpRequest) -> HttpResponse:
    from stagekans.insight.forms import ResearchProjectForm
    from stagekans.insight.services import research as research_services

    form = ResearchProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            research_services.register_project(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Het onderzoeksproject is vastgelegd."))
            return redirect("insight:research")
    return render(
        request, "insight/research.html", {"form": form, "projects": selectors.projects()}
    )


@login_required
@permission_required("insight.manage_research_extracts", raise_exception=True)
@require_POST
def research_extract(request: HttpRequest, pk: int) -> HttpResponse:
    from stagekans.insight.models import ResearchProject
    from stagekans.insight.services import research as research_services

    project = get_object_or_404(ResearchProject, pk=pk)
    try:
        content = research_services.release_extract(acting_user=request.user, project=project)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("insight:research")
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="onderzoeksbestand-{project.pk}.csv"'
    return response
