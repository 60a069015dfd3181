"""Company signals: per company, do invitation and offer rates differ between students with a
Dutch herkomst (reference) and students with a migration background (Europa + buiten Europa)?

Counts come from one SQL aggregation (company × group) over the applications of the companies
that received enough of them (insight.facts.CompanyVolume); the tests run vectorised over all
companies (insight.stats); Benjamini–Hochberg controls the false discovery rate across every
test of every company. A signal is a reason for a conversation, never a measure
(docs/insight-method.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from django.db import connection

from stagekans.core.suppression import suppress
from stagekans.insight import facts, stats

FDR = 0.05
MIN_PER_GROUP = 10  # applications from each group before a company is tested
MIN_TOTAL = 30
WINDOW_DAYS = 730  # applications of the last two years


@dataclass(frozen=True)
class SignalRow:
    company_id: int
    measure: str
    table: npt.NDArray[np.int64]  # [[yes_ref, no_ref], [yes_cmp, no_cmp]]
    published: list[list[int | None]]  # the same, None = suppressed; rows (ref, cmp) × (n, yes)
    p_value: float
    q_value: float
    exact: bool
    comparison_lower: bool


@dataclass(frozen=True)
class SignalResult:
    tested_companies: int
    tests: int
    signals: list[SignalRow]


def _counts(groups_table: str) -> npt.NDArray[np.int64]:
    if connection.vendor == "postgresql":
        since = f"now() - interval '{WINDOW_DAYS} days'"
    else:
        since = f"datetime('now', '-{WINDOW_DAYS} days')"
    # Only companies with at least MIN_TOTAL applications ever (insight.facts keeps the count)
    # can have MIN_TOTAL in the window from students with a stated herkomst: the others are
    # never tested, so their applications are not read.
    sql = f"""
        SELECT a.company_id, CASE WHEN g.herkomst = 1 THEN 0 ELSE 1 END AS cmp,
               COUNT(*), COUNT(a.invited_at), COUNT(a.offered_at)
          FROM applications_application a
          JOIN {facts.VOLUME_TABLE} c ON c.company_id = a.company_id
          JOIN {groups_table} g ON g.student_id = a.student_id
         WHERE c.applications >= {MIN_TOTAL} AND g.herkomst > 0 AND a.sent_at >= {since}
         GROUP BY 1, 2
    """  # noqa: S608 - only module constants are interpolated
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    return np.array(rows, dtype=np.int64).reshape(-1, 5)


def test_companies(rows: npt.NDArray[np.int64], k: int) -> SignalResult:
    """rows: company, cmp (0 = reference), applications, invited, offered."""
    if rows.size == 0:
        return SignalResult(0, 0, [])
    companies, inverse = np.unique(rows[:, 0], return_inverse=True)
    n = np.zeros((companies.size, 2), dtype=np.int64)
    invited = np.zeros_like(n)
    offered = np.zeros_like(n)
    np.add.at(n, (inverse, rows[:, 1]), rows[:, 2])
    np.add.at(invited, (inverse, rows[:, 1]), rows[:, 3])
    np.add.at(offered, (inverse, rows[:, 1]), rows[:, 4])
    eligible = (n.min(axis=1) >= MIN_PER_GROUP) & (n.sum(axis=1) >= MIN_TOTAL)
    ids = companies[eligible]
    n, invited, offered = n[eligible], invited[eligible], offered[eligible]
    tables = {
        "invitation": np.stack([invited, n - invited], axis=2),
        "offer": np.stack([offered, n - offered], axis=2),
    }
    measures = list(tables)
    results = {m: stats.two_by_two_test(tables[m]) for m in measures}
    all_p = np.concatenate([results[m].p_value for m in measures])
    q = stats.benjamini_hochberg(all_p) if all_p.size else all_p
    signals: list[SignalRow] = []
    for index, measure in enumerate(measures):
        q_m = q[index * ids.size : (index + 1) * ids.size]
        t = tables[measure]
        for i in np.flatnonzero(q_m <= FDR):
            table = t[i]
            s = suppress(table, k)
            published: list[list[int | None]] = []
            for r in range(2):
                total = s.published_row_total(r)
                yes = s.published_cell(r, 0)
                published.append([total, yes])
            rate = table[:, 0] / table.sum(axis=1)
            signals.append(
                SignalRow(
                    company_id=int(ids[i]),
                    measure=measure,
                    table=table,
                    published=published,
                    p_value=float(results[measure].p_value[i]),
                    q_value=float(q_m[i]),
                    exact=bool(results[measure].used_fisher[i]),
                    comparison_lower=bool(rate[1] < rate[0]),
                )
            )
    return SignalResult(int(ids.size), int(all_p.size), signals)


def compute(groups_table: str, k: int) -> SignalResult:
    return test_companies(_counts(groups_table), k)
