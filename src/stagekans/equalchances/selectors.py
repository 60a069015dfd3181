"""Reads of the equal-chances app, scoped per user.

A company sees its own scans, policy and training record; SBB sees sector and regional
aggregates of the scan and the training (small cells suppressed) and, at (re)assessment of a
recognition, the company's recruitment policy. Scan results of one company are never shown to
anyone outside that company.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from stagekans.companies.models import Company, Location
from stagekans.core import snapshots
from stagekans.education.models import Sector
from stagekans.equalchances import statistics
from stagekans.equalchances.models import (
    RecruitmentPolicy,
    RecruitmentStep,
    ScanAnswer,
    ScanOption,
    ScanQuestion,
    ScanResult,
    ScanStepScore,
    ScanVersion,
    Webinar,
    WebinarAttendance,
)
from stagekans.equalchances.scoring import IN_ORDER_FROM, LEVELS_LOW_TO_HIGH, ON_THE_WAY_FROM, Level
from stagekans.equalchances.workflow import ScanVersionStatus
from stagekans.geo.places import Province

GROUPINGS = ("sector", "province")
UNKNOWN = ""
LEVEL_LABELS = {
    Level.ATTENTION: _("aandacht nodig"),
    Level.ON_THE_WAY: _("op weg"),
    Level.IN_ORDER: _("op orde"),
}


def own_company(user: Any) -> Company | None:
    trainer = getattr(user, "trainer", None) if user.is_authenticated else None
    return trainer.company if trainer is not None else None


# --- self-scan: versions and a company's own results -------------------------------------


def current_version() -> ScanVersion | None:
    return ScanVersion.objects.filter(status=ScanVersionStatus.PUBLISHED).first()


def questions_of(version: ScanVersion) -> list[ScanQuestion]:
    return list(
        version.questions.prefetch_related(
            Prefetch("options", queryset=ScanOption.objects.order_by("position"))
        ).order_by("position")
    )


def results_visible_to(user: Any) -> QuerySet[ScanResult]:
    """Only the company's own trainers see its results — nobody else, SBB included."""
    company = own_company(user)
    if company is None or not user.has_perm("equalchances.take_selfscan"):
        return ScanResult.objects.none()
    return ScanResult.objects.filter(company=company).select_related("version")


@dataclass(frozen=True)
class AnsweredAdvice:
    question: ScanQuestion
    option: ScanOption
    best_points: int


@dataclass(frozen=True)
class StepReport:
    step: str
    label: str
    score: int
    maximum: int
    level: str
    answers: list[AnsweredAdvice] = field(default_factory=list)

    @property
    def percentage(self) -> int:
        return round(100 * self.score / self.maximum) if self.maximum else 100

    @property
    def level_label(self) -> str:
        return str(LEVEL_LABELS[Level(self.level)])


def result_report(result: ScanResult) -> list[StepReport]:
    """Per step of the result's own version: score, level and the advice for every answer."""
    answers = list(
        ScanAnswer.objects.filter(result=result)
        .select_related("question", "option")
        .order_by("question__position")
    )
    best = _best_points(result.version_id)
    by_step: dict[str, list[AnsweredAdvice]] = {}
    for answer in answers:
        by_step.setdefault(answer.question.step, []).append(
            AnsweredAdvice(
                question=answer.question,
                option=answer.option,
                best_points=best.get(answer.question_id, 0),
            )
        )
    labels = dict(RecruitmentStep.choices)
    return [
        StepReport(
            step=s.step,
            label=str(labels[s.step]),
            score=s.score,
            maximum=s.maximum,
            level=s.level,
            answers=by_step.get(s.step, []),
        )
        for s in sorted(
            result.step_scores.all(), key=lambda s: RecruitmentStep.values.index(s.step)
        )
    ]


def _best_points(version_id: int) -> dict[int, int]:
    best: dict[int, int] = {}
    for question_id, points in ScanOption.objects.filter(
        question__version_id=version_id
    ).values_list("question_id", "points"):
        best[question_id] = max(best.get(question_id, 0), points)
    return best


@dataclass(frozen=True)
class ProgressPoint:
    label: str
    value: int
    result: ScanResult


def progress_of(company: Company) -> list[ProgressPoint]:
    """The company's results, oldest first, as the total score in % (for the progress chart)."""
    results = ScanResult.objects.filter(company=company).select_related("version")
    return [
        ProgressPoint(
            label=_("%(d)s (versie %(v)s)")
            % {"d": timezone.localtime(r.completed_at).strftime("%d-%m-%Y"), "v": r.version.number},
            value=r.percentage,
            result=r,
        )
        for r in results.order_by("completed_at", "id")
    ]


@dataclass(frozen=True)
class RefusalFigures:
    """The company's own applications: how many refusals came with a written explanation."""

    rejected: int
    with_explanation: int
    answered: int
    received: int

    @property
    def explained_percentage(self) -> int | None:
        return round(100 * self.with_explanation / self.rejected) if self.rejected else None

    @property
    def answered_percentage(self) -> int | None:
        return round(100 * self.answered / self.received) if self.received else None


def refusal_figures(company: Company) -> RefusalFigures:
    """From the company's own applications (one query): answered = invited, offered, rejected
    or otherwise decided; a refusal always has a reason category, the explanation is the
    written text next to it."""
    from stagekans.applications.models import Application

    row = Application.objects.filter(company=company).aggregate(
        received=Count("pk"),
        rejected=Count("pk", filter=Q(status="rejected")),
        with_explanation=Count("pk", filter=Q(status="rejected") & ~Q(rejection_text="")),
        answered=Count("pk", filter=~Q(status__in=["sent", "seen", "withdrawn"])),
    )
    return RefusalFigures(
        rejected=row["rejected"],
        with_explanation=row["with_explanation"],
        answered=row["answered"],
        received=row["received"],
    )


# --- group keys: a company's sector, or the province of its first location ---------------


def _group_labels(grouping: str) -> list[tuple[str, str]]:
    choices = Sector.choices if grouping == "sector" else Province.choices
    return [(str(k), str(v)) for k, v in choices] + [(UNKNOWN, _("onbekend"))]


def _first_province(company_ref: str) -> Subquery:
    return Subquery(
        Location.objects.filter(company_id=OuterRef(company_ref))
        .order_by("id")
        .values("province")[:1]
    )


def _group_expression(grouping: str, company_prefix: str) -> Any:
    if grouping == "sector":
        return F(f"{company_prefix}sector" if company_prefix else "sector")
    return _first_province(f"{company_prefix}id" if company_prefix else "id")


# --- self-scan aggregates (SBB) ----------------------------------------------------------

NOT_ASKED = "not_asked"
SCAN_ROWS = [*[level.value for level in LEVELS_LOW_TO_HIGH], NOT_ASKED]
TOTAL = "total"


@dataclass(frozen=True)
class GroupScanRow:
    key: str
    label: str
    companies: int | None
    steps: list[statistics.PublishedCell]  # "op orde" per step
    total: statistics.PublishedCell  # total score "op orde"


@dataclass(frozen=True)
class ScanAggregates:
    grouping: str
    steps: list[tuple[str, str]]
    rows: list[GroupScanRow]
    national_companies: int | None
    national_in_order: dict[str, int | None]
    computed_at: dt.datetime | None = None  # when the counts behind it were taken

    def national_percentage(self, step: str) -> float | None:
        count = self.national_in_order.get(step)
        if count is None or not self.national_companies:
            return None
        return round(100 * count / self.national_companies, 1)


def _scan_tables(grouping: str) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """Count tables (level × group) of the companies' newest results: one per step, plus the
    total score. Two GROUP BY queries, whatever the number of companies."""
    groups = _group_labels(grouping)
    columns = statistics.column_index([k for k, _l in groups])
    group_expr = _group_expression(grouping, "result__company__")
    tables: dict[str, Any] = {
        step: statistics.empty_table(len(SCAN_ROWS), len(groups)) for step in RecruitmentStep.values
    }
    tables[TOTAL] = statistics.empty_table(len(SCAN_ROWS), len(groups))
    row_index = {key: i for i, key in enumerate(SCAN_ROWS)}
    per_step: Any = (
        ScanStepScore.objects.filter(result__is_latest=True)
        .annotate(group=group_expr)
        .values("group", "step", "level")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in per_step:
        column = columns.get(row["group"] or UNKNOWN, columns[UNKNOWN])
        tables[row["step"]][row_index[row["level"]], column] += row["n"]
    # scoring.level_of in SQL, in integers: 100 × score against the threshold × maximum.
    total_level = Case(
        When(score100__gte=F("maximum") * IN_ORDER_FROM, then=Value(2)),
        When(score100__gte=F("maximum") * ON_THE_WAY_FROM, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    group_expr = _group_expression(grouping, "company__")
    per_group: Any = (
        ScanResult.objects.filter(is_latest=True)
        .annotate(score100=F("score") * 100)
        .annotate(group=group_expr, total_level=total_level)
        .values("group", "total_level")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in per_group:
        column = columns.get(row["group"] or UNKNOWN, columns[UNKNOWN])
        tables[TOTAL][row["total_level"], column] += row["n"]
    # Steps a company's version did not ask count as "not asked", so every table counts every
    # company once and the tables share their group totals.
    companies = tables[TOTAL].sum(axis=0)
    for step in RecruitmentStep.values:
        tables[step][row_index[NOT_ASKED]] += companies - tables[step].sum(axis=0)
    return groups, tables


def _tables_to_data(tables: dict[str, Any]) -> dict[str, list[list[int]]]:
    return {name: table.tolist() for name, table in tables.items()}


def _tables_from_data(data: dict[str, list[list[int]]]) -> dict[str, Any]:
    return {name: np.array(rows, dtype=np.int64) for name, rows in data.items()}


def _scan_tables_data(grouping: str) -> dict[str, list[list[int]]]:
    """Snapshot family: the unpublished count tables (counts of companies, no names); they are
    suppressed when read, like the live tables."""
    return _tables_to_data(_scan_tables(grouping)[1])


snapshots.define("selfscan_tables", _scan_tables_data)


def scan_aggregates(grouping: str, k: int = statistics.SUPPRESSION_K) -> ScanAggregates:
    """Share of companies whose newest scan is "op orde", per step and per group; suppressed.
    Counted in the background at national volume (core/snapshots.py); the result says when."""
    if grouping not in GROUPINGS:
        raise ValueError(f"unknown grouping {grouping}")
    other = "province" if grouping == "sector" else "sector"
    mine = snapshots.read("selfscan_tables", grouping)
    theirs = snapshots.read("selfscan_tables", other)
    aggregates = assemble_scan_aggregates(
        grouping,
        _group_labels(grouping),
        _tables_from_data(mine.data),
        _tables_from_data(theirs.data),
        k,
    )
    return replace(aggregates, computed_at=min(mine.computed_at, theirs.computed_at))


def assemble_scan_aggregates(
    grouping: str,
    groups: list[tuple[str, str]],
    tables: dict[str, Any],
    other_tables: dict[str, Any],
    k: int,
) -> ScanAggregates:
    """The published form of the count tables (no database): only suppressed values leave."""
    family = statistics.publish_family(tables, k)
    other_family = statistics.publish_family(other_tables, k)
    in_order = SCAN_ROWS.index(Level.IN_ORDER.value)
    rows = []
    for column, (key, label) in enumerate(groups):
        if not tables[TOTAL][:, column].sum():
            continue
        rows.append(
            GroupScanRow(
                key=key,
                label=label,
                companies=family[TOTAL].published_column_total(column),
                steps=[
                    statistics.cell(family[step], in_order, column)
                    for step in RecruitmentStep.values
                ],
                total=statistics.cell(family[TOTAL], in_order, column),
            )
        )
    return ScanAggregates(
        grouping=grouping,
        steps=[(str(k_), str(v)) for k_, v in RecruitmentStep.choices],
        rows=rows,
        national_companies=statistics.published_in_both(family[TOTAL], other_family[TOTAL]),
        national_in_order={
            name: statistics.published_in_both(family[name], other_family[name], in_order)
            for name in [*RecruitmentStep.values, TOTAL]
        },
    )


# --- recruitment policy --------------------------------------------------------------------


def current_policy(company: Company) -> RecruitmentPolicy | None:
    return (
        RecruitmentPolicy.objects.filter(company=company)
        .order_by("-recorded_at", "-id")
        .select_related("recorded_by")
        .first()
    )


def policies_visible_to(user: Any) -> QuerySet[RecruitmentPolicy]:
    qs = RecruitmentPolicy.objects.select_related("company", "recorded_by")
    if not user.is_authenticated:
        return qs.none()
    if user.has_perm("equalchances.view_recruitment_policy"):
        return qs
    company = own_company(user)
    if company is not None and user.has_perm("equalchances.record_recruitment_policy"):
        return qs.filter(company=company)
    return qs.none()


def policy_expires_before(today: dt.date | None = None) -> dt.date:
    """A policy recorded before this day is older than one recognition period."""
    from stagekans.register.services import RECOGNITION_PERIOD_YEARS

    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - RECOGNITION_PERIOD_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - RECOGNITION_PERIOD_YEARS, day=28)


@dataclass(frozen=True)
class PolicyStatus:
    policy: RecruitmentPolicy | None
    reminder: str  # empty when the policy is present and recent

    @property
    def is_outdated(self) -> bool:
        return self.policy is not None and bool(self.reminder)


def policy_status(company: Company, today: dt.date | None = None) -> PolicyStatus:
    policy = current_policy(company)
    if policy is None:
        return PolicyStatus(
            policy=None,
            reminder=_(
                "Dit leerbedrijf heeft nog geen wervingsbeleid voor gelijke kansen vastgelegd. "
                "Vraag ernaar bij deze beoordeling."
            ),
        )
    if timezone.localtime(policy.recorded_at).date() < policy_expires_before(today):
        return PolicyStatus(
            policy=policy,
            reminder=_(
                "Het wervingsbeleid is ouder dan een erkenningsperiode (vier jaar). Vraag het "
                "leerbedrijf het beleid te herzien en opnieuw vast te leggen."
            ),
        )
    return PolicyStatus(policy=policy, reminder="")


# --- training record -----------------------------------------------------------------------


def active_webinars() -> list[Webinar]:
    return list(Webinar.objects.filter(active=True).order_by("position", "title"))


def all_webinars() -> QuerySet[Webinar]:
    """Every webinar, offered or not (for SBB, who maintains them)."""
    return Webinar.objects.order_by("position", "title")


def attendances_visible_to(user: Any) -> QuerySet[WebinarAttendance]:
    qs = WebinarAttendance.objects.select_related("trainer__user", "webinar", "company")
    if not user.is_authenticated:
        return qs.none()
    if user.has_perm("equalchances.register_training"):
        return qs
    company = own_company(user)
    if company is not None and user.has_perm("equalchances.record_own_training"):
        return qs.filter(company=company)
    return qs.none()


@dataclass(frozen=True)
class CoverageGroup:
    key: str
    label: str
    recognised: int | None
    webinars: list[statistics.PublishedCell]


@dataclass(frozen=True)
class TrainingCoverage:
    grouping: str
    webinars: list[Webinar]
    rows: list[CoverageGroup]
    national_recognised: int | None
    national_followed: list[int | None]
    computed_at: dt.datetime | None = None  # when the counts behind it were taken

    def national_percentage(self, index: int) -> float | None:
        count = self.national_followed[index]
        if count is None or not self.national_recognised:
            return None
        return round(100 * count / self.national_recognised, 1)


FOLLOWED, NOT_FOLLOWED = 0, 1


def _training_tables(
    grouping: str, webinars: list[Webinar]
) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """(followed, not followed) × group per webinar, over validly recognised companies: one
    GROUP BY query with a COUNT … FILTER (EXISTS …) per webinar."""
    from stagekans.register.selectors import valid_recognitions

    groups = _group_labels(grouping)
    columns = statistics.column_index([k for k, _l in groups])
    tables = {str(w.pk): statistics.empty_table(2, len(groups)) for w in webinars}
    followed = {
        f"w{w.pk}": Count(
            "pk",
            filter=Exists(
                WebinarAttendance.objects.filter(company_id=OuterRef("pk"), webinar_id=w.pk)
            ),
        )
        for w in webinars
    }
    rows: Any = (
        Company.objects.filter(pk__in=valid_recognitions().values("company_id"))
        .annotate(group=_group_expression(grouping, ""))
        .values("group")
        .annotate(n=Count("pk"), **followed)
        .order_by()
    )
    for row in rows:
        column = columns.get(row["group"] or UNKNOWN, columns[UNKNOWN])
        for w in webinars:
            table = tables[str(w.pk)]
            table[FOLLOWED, column] += row[f"w{w.pk}"]
            table[NOT_FOLLOWED, column] += row["n"] - row[f"w{w.pk}"]
    return groups, tables


def _training_tables_data(grouping: str, webinar_ids: str) -> dict[str, list[list[int]]]:
    """Snapshot family: the unpublished coverage tables for these webinars (ids joined by
    '-', so a changed list of webinars is a new snapshot)."""
    webinars = [Webinar(pk=int(i)) for i in webinar_ids.split("-") if i]  # only pk is used
    return _tables_to_data(_training_tables(grouping, webinars)[1])


snapshots.define("training_tables", _training_tables_data)


def training_coverage(grouping: str, k: int = statistics.SUPPRESSION_K) -> TrainingCoverage:
    """% of recognised companies with at least one praktijkopleider who followed each webinar,
    per sector or province; suppressed. Counted in the background at national volume
    (core/snapshots.py); the result says when."""
    if grouping not in GROUPINGS:
        raise ValueError(f"unknown grouping {grouping}")
    webinars = active_webinars()
    other = "province" if grouping == "sector" else "sector"
    ids = "-".join(str(w.pk) for w in webinars)
    mine = snapshots.read("training_tables", grouping, ids)
    theirs = snapshots.read("training_tables", other, ids)
    coverage = assemble_training_coverage(
        grouping,
        webinars,
        _group_labels(grouping),
        _tables_from_data(mine.data),
        _tables_from_data(theirs.data),
        k,
    )
    return replace(coverage, computed_at=min(mine.computed_at, theirs.computed_at))


def assemble_training_coverage(
    grouping: str,
    webinars: list[Any],
    groups: list[tuple[str, str]],
    tables: dict[str, Any],
    other_tables: dict[str, Any],
    k: int,
) -> TrainingCoverage:
    """The published form of the coverage tables (no database): only suppressed values leave."""
    family = statistics.publish_family(tables, k)
    other_family = statistics.publish_family(other_tables, k)
    first = str(webinars[0].pk) if webinars else None
    rows = []
    for column, (key, label) in enumerate(groups):
        if first is None or not tables[first][:, column].sum():
            continue
        rows.append(
            CoverageGroup(
                key=key,
                label=label,
                recognised=family[first].published_column_total(column),
                webinars=[statistics.cell(family[str(w.pk)], FOLLOWED, column) for w in webinars],
            )
        )
    return TrainingCoverage(
        grouping=grouping,
        webinars=webinars,
        rows=rows,
        national_recognised=(
            statistics.published_in_both(family[first], other_family[first]) if first else None
        ),
        national_followed=[
            statistics.published_in_both(family[str(w.pk)], other_family[str(w.pk)], FOLLOWED)
            for w in webinars
        ],
    )
