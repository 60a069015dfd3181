"""School-led assignment: the school places students directly.

The school maximises the number of students placed and, among those assignments, minimises the sum
of the students' preference ranks, using only eligible preferences the company accepted. That is a
min-cost flow on the sparse student-placement graph; its constraint matrix is the incidence matrix
of a bipartite graph, which is totally unimodular, so every vertex of the LP is integral and HiGHS
(interior point with crossover, or dual simplex) returns an integral optimum without any integer
programming. The solution is checked for integrality and feasibility before it is used.

The two objectives are combined lexicographically with one big-M weight: every placed student
earns ``B`` more than any possible difference in rank sums, so no rank improvement can ever pay for
leaving a student unplaced. The result is *not* stable (a company can prefer an unplaced student to
one it got) and *not* strategy-proof (a student can gain by misreporting); rounds that use it must
say so, and the certificate does not require stability.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_array

from stagekans.matching.engine._types import IntArray
from stagekans.matching.engine.prepare import Prepared

#: How far the LP solution may stray from an integer before we refuse to trust it.
_INTEGRALITY_TOLERANCE = 1e-6


class SolverError(RuntimeError):
    """The LP solver failed or returned a fractional solution (which the theory rules out)."""


@dataclass(frozen=True)
class SchoolLedOutcome:
    assigned_pair: IntArray
    placed: int
    rank_sum: int


def school_led(prepared: Prepared) -> SchoolLedOutcome:
    """Maximum-cardinality, then minimum-rank-sum assignment over the prepared pairs."""
    n_students, n_placements, n_pairs = prepared.n_students, prepared.n_placements, prepared.n_pairs
    assigned = np.full(n_students, -1, dtype=np.int64)
    if n_pairs == 0:
        return SchoolLedOutcome(assigned, 0, 0)
    rank = prepared.submitted_rank()
    big = n_students * int(rank.max()) + 1
    cost = rank.astype(np.float64) - float(big)
    rows = np.concatenate((prepared.student, n_students + prepared.placement))
    columns = np.concatenate((np.arange(n_pairs), np.arange(n_pairs)))
    constraints = csr_array(
        (np.ones(2 * n_pairs), (rows, columns)), shape=(n_students + n_placements, n_pairs)
    )
    limits = np.concatenate((np.ones(n_students), prepared.capacity.astype(np.float64)))
    rounded = None
    # Interior point with crossover is several times faster here and ends on a vertex; should it
    # ever stop short of an integral vertex, dual simplex is guaranteed to end on one.
    for method in ("highs-ipm", "highs-ds"):
        result = linprog(cost, A_ub=constraints, b_ub=limits, bounds=(0.0, 1.0), method=method)
        if result.status != 0 or result.x is None:
            raise SolverError(f"min-cost flow failed: {result.message}")
        flow = np.asarray(result.x, dtype=np.float64)
        if float(np.abs(flow - np.rint(flow)).max()) <= _INTEGRALITY_TOLERANCE:
            rounded = np.rint(flow)
            break
    if rounded is None:
        raise SolverError("the min-cost flow solution is fractional")
    chosen = np.flatnonzero(rounded > 0.5).astype(np.int64)
    per_student = np.bincount(prepared.student[chosen], minlength=n_students)
    per_placement = np.bincount(prepared.placement[chosen], minlength=n_placements)
    if int(per_student.max(initial=0)) > 1 or bool((per_placement > prepared.capacity).any()):
        raise SolverError("the min-cost flow solution violates its constraints")
    assigned[prepared.student[chosen]] = chosen
    return SchoolLedOutcome(assigned, int(chosen.size), int(rank[chosen].sum()))
