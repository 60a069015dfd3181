"""Strategy simulation (pure numpy + the matching engine, no Django).

A cohort of students looks for an internship in two ways:

* **open application**: each student applies to the companies on her list one at a time, best
  first; a company accepts with probability sigmoid(base + talent_weight·talent − bias) while it
  has room, where `bias` applies only to students with a non-western background and only at the
  share of companies that is biased;
* **school-led blind matching**: companies judge anonymised profiles (no origin), so they accept
  with sigmoid(base + talent_weight·talent); the school matches everyone at once with the
  engine's school-led algorithm (most students placed, then the best ranks), then a second round
  for who is left.

`base` and `bias` are calibrated (unless given) so that open application reproduces ROA (2018):
68% of students with a western and 48% with a non-western background placed at the first
application. Talent has the same distribution in both groups: every gap is the bias. Everything
is drawn from one seed, so a run is reproducible from its parameters.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from stagekans.matching.engine import Algorithm, Instance, MatchConfig, match

TARGET_WESTERN = 0.68
TARGET_NON_WESTERN = 0.48


@dataclass(frozen=True)
class SimulationParams:
    students: int = 6000
    non_western_share: float = 0.30
    companies: int = 1500
    mean_capacity: float = 5.0  # places per company; total ≈ 1.25 × students by default
    list_length: int = 8  # applications a student sends / places she ranks
    talent_weight: float = 1.0
    biased_company_share: float = 0.6
    base: float | None = None  # calibrated when None
    bias: float | None = None  # calibrated when None
    blind_rounds: int = 2
    seed: int = 2018

    def __post_init__(self) -> None:
        if self.students < 10 or self.companies < 2:
            raise ValueError("a cohort needs at least 10 students and 2 companies")
        if not 0 < self.non_western_share < 1:
            raise ValueError("non_western_share must lie strictly between 0 and 1")
        if not 0 < self.biased_company_share <= 1:
            raise ValueError("biased_company_share must lie in (0, 1]")
        if not 1 <= self.list_length <= min(self.companies, 50):
            raise ValueError("list_length must lie in 1..min(companies, 50)")
        if self.mean_capacity <= 0:
            raise ValueError("mean_capacity must be positive")


@dataclass(frozen=True)
class GroupOutcome:
    students: int
    first_try: float
    placed: float
    unplaced: float
    mean_rank: float  # 1 = the student's first choice, among placed students


@dataclass(frozen=True)
class StrategyOutcome:
    western: GroupOutcome
    non_western: GroupOutcome

    @property
    def gap(self) -> float:
        """Difference in first-try placement, western minus non-western (fraction)."""
        return self.western.first_try - self.non_western.first_try


@dataclass(frozen=True)
class SimulationResult:
    params: SimulationParams
    open_application: StrategyOutcome
    blind_matching: StrategyOutcome
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "params": asdict(self.params),
            "open_application": asdict(self.open_application),
            "blind_matching": asdict(self.blind_matching),
            "gap_open": self.open_application.gap,
            "gap_blind": self.blind_matching.gap,
        }


@dataclass(frozen=True)
class _Cohort:
    non_western: npt.NDArray[np.bool_]
    talent: npt.NDArray[np.float64]
    prefs: npt.NDArray[np.int64]  # (students, list_length) company indices, best first
    capacity: npt.NDArray[np.int64]
    biased: npt.NDArray[np.bool_]
    u_open: npt.NDArray[np.float64]  # (students, list_length) uniforms of the open decisions
    u_blind: npt.NDArray[np.float64]
    order: npt.NDArray[np.int64]  # arrival order of applications within a round
    noise: npt.NDArray[np.float64]  # company's judgement noise in blind ranking


def _cohort(p: SimulationParams) -> _Cohort:
    rng = np.random.default_rng(p.seed)
    non_western = rng.random(p.students) < p.non_western_share
    talent = rng.standard_normal(p.students)
    # Popularity differs between companies (some are sought after); lists without repeats.
    popularity = rng.lognormal(0.0, 0.5, p.companies)
    keys = np.log(rng.random((p.students, p.companies))) / popularity[None, :]
    prefs = np.argsort(-keys, axis=1)[:, : p.list_length].astype(np.int64)
    capacity = 1 + rng.poisson(p.mean_capacity - 1, p.companies).astype(np.int64)
    biased = rng.random(p.companies) < p.biased_company_share
    return _Cohort(
        non_western=non_western,
        talent=talent,
        prefs=prefs,
        capacity=capacity,
        biased=biased,
        u_open=rng.random((p.students, p.list_length)),
        u_blind=rng.random((p.students, p.list_length)),
        order=rng.permutation(p.students).astype(np.int64),
        noise=rng.standard_normal(p.students),
    )


def _sigmoid(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return 1.0 / (1.0 + np.exp(-x))


def _open_application(
    p: SimulationParams, c: _Cohort, base: float, bias: float, rounds: int | None = None
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Round r: every unplaced student applies to company prefs[:, r]. Returns the round in
    which each student was placed (-1: unplaced) and her company (-1)."""
    n = p.students
    placed_round = np.full(n, -1, dtype=np.int64)
    placed_company = np.full(n, -1, dtype=np.int64)
    room = c.capacity.copy()
    for r in range(rounds if rounds is not None else p.list_length):
        applicants = c.order[placed_round[c.order] < 0]
        if applicants.size == 0:
            break
        company = c.prefs[applicants, r]
        penalty = np.where(c.non_western[applicants] & c.biased[company], bias, 0.0)
        chance = _sigmoid(base + p.talent_weight * c.talent[applicants] - penalty)
        willing = c.u_open[applicants, r] < chance
        who, where = applicants[willing], company[willing]
        # First come, first served within the company's remaining room.
        sort = np.argsort(where, kind="stable")
        who, where = who[sort], where[sort]
        starts = np.r_[0, np.flatnonzero(np.diff(where)) + 1]
        counts = np.diff(np.r_[starts, where.size])
        position = np.arange(where.size) - np.repeat(starts, counts)
        accepted = position < room[where]
        placed_round[who[accepted]] = r
        placed_company[who[accepted]] = where[accepted]
        np.subtract.at(room, where[accepted], 1)
    return placed_round, placed_company


def _first_try_rates(
    p: SimulationParams, c: _Cohort, base: float, bias: float
) -> tuple[float, float]:
    placed_round, _ = _open_application(p, c, base, bias, rounds=1)
    first = placed_round == 0
    return float(first[~c.non_western].mean()), float(first[c.non_western].mean())


def _bisect(f: Any, low: float, high: float, target: float, increasing: bool) -> float:
    for _ in range(50):
        mid = (low + high) / 2
        value = f(mid)
        if (value < target) == increasing:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def calibrate(p: SimulationParams, c: _Cohort | None = None) -> tuple[float, float]:
    """(base, bias) so that open application gives the ROA first-try rates for this cohort."""
    c = c or _cohort(p)
    base = p.base if p.base is not None else 0.0
    bias = p.bias if p.bias is not None else 0.0
    for _ in range(4):
        if p.base is None:
            base = _bisect(
                lambda b, bias=bias: _first_try_rates(p, c, b, bias)[0],
                -6.0,
                6.0,
                TARGET_WESTERN,
                True,
            )
        if p.bias is None:
            bias = _bisect(
                lambda x, base=base: _first_try_rates(p, c, base, x)[1],
                0.0,
                12.0,
                TARGET_NON_WESTERN,
                False,
            )
    return base, bias


def _blind_matching(
    p: SimulationParams, c: _Cohort, base: float
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """School-led matching rounds on anonymised profiles. Returns the round of placement per
    student (-1: unplaced) and the rank (0-based) of her company in her list."""
    n, length = p.students, p.list_length
    acceptable_all = c.u_blind < _sigmoid(base + p.talent_weight * c.talent)[:, None]
    # The company ranks on the anonymised profile: talent as judged, with noise, never origin.
    judged = -(c.talent + 0.5 * c.noise)
    company_rank_all = np.broadcast_to(
        np.argsort(np.argsort(judged)).astype(np.int64)[:, None], (n, length)
    )
    placed_round = np.full(n, -1, dtype=np.int64)
    placed_rank = np.full(n, -1, dtype=np.int64)
    room = c.capacity.copy()
    for r in range(p.blind_rounds):
        students = np.flatnonzero(placed_round < 0)
        if students.size == 0:
            break
        mask = acceptable_all[students] & (room[c.prefs[students]] > 0)
        lengths = mask.sum(axis=1)
        ptr = np.r_[0, np.cumsum(lengths)].astype(np.int64)
        instance = Instance.from_csr(
            ptr,
            c.prefs[students][mask],
            room,
            company_rank=company_rank_all[students][mask],
        )
        result = match(instance, MatchConfig(algorithm=Algorithm.SCHOOL_LED, seed=p.seed))
        assignment = result.assignment
        got = assignment >= 0
        chosen = students[got]
        companies = assignment[got]
        placed_round[chosen] = r
        placed_rank[chosen] = np.argmax(c.prefs[chosen] == companies[:, None], axis=1)
        np.subtract.at(room, companies, 1)
    return placed_round, placed_rank


def _outcome(
    mask: npt.NDArray[np.bool_], placed_round: npt.NDArray[np.int64], rank: npt.NDArray[np.int64]
) -> GroupOutcome:
    placed = placed_round[mask] >= 0
    ranks = rank[mask][placed]
    return GroupOutcome(
        students=int(mask.sum()),
        first_try=float((placed_round[mask] == 0).mean()),
        placed=float(placed.mean()),
        unplaced=float(1.0 - placed.mean()),
        mean_rank=float(ranks.mean() + 1) if ranks.size else float("nan"),
    )


def simulate(params: SimulationParams | None = None) -> SimulationResult:
    p = params or SimulationParams()
    c = _cohort(p)
    base, bias = calibrate(p, c)
    p = replace(p, base=base, bias=bias)
    open_round, _open_company = _open_application(p, c, base, bias)
    blind_round, blind_rank = _blind_matching(p, c, base)
    western, non_western = ~c.non_western, c.non_western
    # In open application the student applies in list order: the round is her company's rank.
    return SimulationResult(
        params=p,
        open_application=StrategyOutcome(
            western=_outcome(western, open_round, open_round),
            non_western=_outcome(non_western, open_round, open_round),
        ),
        blind_matching=StrategyOutcome(
            western=_outcome(western, blind_round, blind_rank),
            non_western=_outcome(non_western, blind_round, blind_rank),
        ),
    )
