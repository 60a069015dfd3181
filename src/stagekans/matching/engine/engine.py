"""Entry point that runs one matching round end to end: validate, draw, match, certify, report.

A round records its configuration (algorithm, tie-breaking, seed, improvement cycles) next to the
result, together with the properties that configuration guarantees, so the school and the students
can see whether the outcome is stable and whether honest ranking was safe.
"""

from __future__ import annotations

import enum
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from stagekans.matching.engine._types import IntArray, U32Array
from stagekans.matching.engine.certificate import (
    Certificate,
    Report,
    StabilityStandard,
    UnplacedReason,
    build_report,
    certify,
    unplaced_reasons,
)
from stagekans.matching.engine.deferred_acceptance import company_proposing, student_proposing
from stagekans.matching.engine.improvement_cycles import improve
from stagekans.matching.engine.instance import Instance, as_int_array
from stagekans.matching.engine.lottery import (
    MAX_SEED,
    TieBreaking,
    multiple_lottery,
    priority_keys,
    single_lottery,
)
from stagekans.matching.engine.prepare import Prepared, prepare
from stagekans.matching.engine.school_led import school_led


class Algorithm(enum.StrEnum):
    STUDENT_PROPOSING = "student-proposing"
    COMPANY_PROPOSING = "company-proposing"
    SCHOOL_LED = "school-led"


@dataclass(frozen=True)
class Guarantees:
    """What a configuration promises; shown to the school when it picks a strategy."""

    stable: bool
    stability_standard: StabilityStandard
    strategy_proof_for_students: bool
    description: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "stable": self.stable,
            "stability_standard": self.stability_standard.value,
            "strategy_proof_for_students": self.strategy_proof_for_students,
            "description": self.description,
        }


@dataclass(frozen=True)
class MatchConfig:
    """How a round is matched.

    ``sequential_below`` and ``dense_priority_keys`` only trade speed; every value gives the same
    matching (the tests rely on that to cross-check the fast paths).
    """

    algorithm: Algorithm = Algorithm.STUDENT_PROPOSING
    tie_breaking: TieBreaking = TieBreaking.SINGLE
    seed: int = 0
    improvement_cycles: bool = False
    sequential_below: int = 32
    dense_priority_keys: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.seed <= MAX_SEED:
            raise ValueError(f"seed must lie in 0..{MAX_SEED}")
        if self.improvement_cycles and self.algorithm is not Algorithm.STUDENT_PROPOSING:
            raise ValueError("improvement cycles are defined on top of student-proposing DA")

    @property
    def guarantees(self) -> Guarantees:
        if self.algorithm is Algorithm.SCHOOL_LED:
            return Guarantees(
                stable=False,
                stability_standard=StabilityStandard.WEAK,
                strategy_proof_for_students=False,
                description=(
                    "School-led: places as many students as possible, then minimises the sum of "
                    "their preference ranks. Not stable and not strategy-proof."
                ),
            )
        if self.algorithm is Algorithm.COMPANY_PROPOSING:
            return Guarantees(
                stable=True,
                stability_standard=StabilityStandard.STRICT,
                strategy_proof_for_students=False,
                description=(
                    "Company-proposing deferred acceptance: stable, best stable outcome for the "
                    "companies and worst for the students; students may gain by misreporting."
                ),
            )
        if self.improvement_cycles:
            return Guarantees(
                stable=True,
                stability_standard=StabilityStandard.WEAK,
                strategy_proof_for_students=False,
                description=(
                    "Student-proposing deferred acceptance with lottery tie-breaking followed by "
                    "stable improvement cycles: stable and not dominated by any other stable "
                    "matching for the students, but not strategy-proof."
                ),
            )
        return Guarantees(
            stable=True,
            stability_standard=StabilityStandard.STRICT,
            strategy_proof_for_students=True,
            description=(
                "Student-proposing deferred acceptance: stable, best stable outcome for every "
                "student given the lottery, and ranking honestly is always safe."
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "algorithm": self.algorithm.value,
            "tie_breaking": self.tie_breaking.value,
            "seed": self.seed,
            "improvement_cycles": self.improvement_cycles,
        }


@dataclass(frozen=True)
class Progress:
    """A progress message; ``fraction`` is a rough 0..1 estimate when one is available."""

    phase: str
    message: str
    fraction: float | None = None


ProgressCallback = Callable[[Progress], None]


@dataclass(frozen=True, eq=False)
class MatchResult:
    """A matching with its certificate, report, lottery and the configuration that produced it.

    ``lottery`` is per student for STB and per prepared preference (aligned with
    ``prepared.source_pair``) for MTB; it can be regenerated from the seed, but storing it lets an
    auditor check a tie-break without running any code.
    """

    config: MatchConfig
    prepared: Prepared
    assignment: IntArray
    assigned_pair: IntArray
    unplaced_reason: IntArray
    lottery: U32Array
    certificate: Certificate
    report: Report
    rounds: int
    proposals: int
    improvement_moves: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def instance(self) -> Instance:
        return self.prepared.instance

    @property
    def assigned_rank(self) -> IntArray:
        """0-based position of each student's placement in her submitted list, -1 if unplaced."""
        ranks = np.full(self.prepared.n_students, -1, dtype=np.int64)
        placed = self.assigned_pair >= 0
        ranks[placed] = self.prepared.submitted_rank(self.assigned_pair[placed])
        return ranks

    def output_fingerprint(self) -> str:
        """SHA-256 of the assignment, to compare runs across machines at a glance."""
        return hashlib.sha256(
            np.ascontiguousarray(self.assignment, dtype="<i8").tobytes()
        ).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable summary (without per-student arrays)."""
        return {
            "config": self.config.to_dict(),
            "guarantees": self.config.guarantees.to_dict(),
            "certificate": self.certificate.to_dict(),
            "report": self.report.to_dict(),
            "rounds": self.rounds,
            "proposals": self.proposals,
            "improvement_moves": self.improvement_moves,
            "input_fingerprint": self.instance.fingerprint(),
            "output_fingerprint": self.output_fingerprint(),
            "timings_s": {name: round(value, 6) for name, value in self.timings.items()},
        }


def draw_lottery(prepared: Prepared, config: MatchConfig) -> tuple[U32Array, U32Array]:
    """The recorded lottery and its value per prepared preference."""
    if config.tie_breaking is TieBreaking.SINGLE:
        per_student = single_lottery(prepared.n_students, config.seed)
        return per_student, per_student[prepared.student]
    per_pair = multiple_lottery(
        prepared.student, prepared.placement, prepared.n_placements, config.seed
    )
    return per_pair, per_pair


def strict_priority(
    prepared: Prepared, config: MatchConfig, lottery: U32Array, pair_lottery: U32Array
) -> IntArray:
    """Priority keys (company rank, then lottery) per prepared preference; see ``priority_keys``."""
    single = config.tie_breaking is TieBreaking.SINGLE
    return priority_keys(
        prepared.placement,
        prepared.company_rank,
        pair_lottery,
        prepared.n_placements,
        dense=config.dense_priority_keys,
        student=prepared.student if single else None,
        student_lottery=lottery if single else None,
    )


def match(
    instance: Instance,
    config: MatchConfig | None = None,
    *,
    progress: ProgressCallback | None = None,
) -> MatchResult:
    """Validate ``instance``, match it as ``config`` says, and certify the result."""
    config = config or MatchConfig()
    timings: dict[str, float] = {}

    def report_progress(phase: str, message: str, fraction: float | None = None) -> None:
        if progress is not None:
            progress(Progress(phase, message, fraction))

    clock = time.perf_counter()
    report_progress("validate", "validating input", 0.0)
    prepared = prepare(instance)
    timings["validate"] = time.perf_counter() - clock

    clock = time.perf_counter()
    lottery, pair_lottery = draw_lottery(prepared, config)
    key = strict_priority(prepared, config, lottery, pair_lottery)
    del pair_lottery
    timings["lottery"] = time.perf_counter() - clock

    clock = time.perf_counter()
    proposers = max(int((np.diff(prepared.ptr) > 0).sum()), 1)

    def on_round(round_number: int, still_free: int, proposals: int) -> None:
        report_progress(
            "match",
            f"round {round_number}: {still_free} still proposing, {proposals} proposals",
            1.0 - still_free / proposers,
        )

    report_progress("match", f"matching {prepared.n_students} students ({config.algorithm})", 0.0)
    rounds = proposals = 0
    if config.algorithm is Algorithm.SCHOOL_LED:
        assigned_pair = school_led(prepared).assigned_pair
    elif config.algorithm is Algorithm.COMPANY_PROPOSING:
        outcome = company_proposing(prepared, key, on_round=on_round)
        assigned_pair, rounds, proposals = outcome.assigned_pair, outcome.rounds, outcome.proposals
    else:
        outcome = student_proposing(
            prepared, key, on_round=on_round, sequential_below=config.sequential_below
        )
        assigned_pair, rounds, proposals = outcome.assigned_pair, outcome.rounds, outcome.proposals
    timings["match"] = time.perf_counter() - clock

    moves = 0
    if config.improvement_cycles:
        clock = time.perf_counter()
        report_progress("improve", "looking for stable improvement cycles")
        improved = improve(
            prepared,
            assigned_pair,
            on_pass=lambda number, moved: report_progress(
                "improve", f"pass {number}: {moved} students moved"
            ),
        )
        assigned_pair, moves = improved.assigned_pair, improved.students_moved
        timings["improve"] = time.perf_counter() - clock

    clock = time.perf_counter()
    report_progress("certify", "checking capacities, acceptability and blocking pairs")
    assignment = np.full(prepared.n_students, -1, dtype=np.int64)
    placed = assigned_pair >= 0
    assignment[placed] = prepared.placement[assigned_pair[placed]]
    guarantees = config.guarantees
    standard = guarantees.stability_standard
    certificate, certified_pair = certify(
        prepared,
        assignment,
        key if standard is StabilityStandard.STRICT else prepared.company_rank,
        standard=standard,
        stability_required=guarantees.stable,
    )
    reasons = unplaced_reasons(prepared, certified_pair)
    report = build_report(prepared, certified_pair, reasons)
    timings["certify"] = time.perf_counter() - clock
    report_progress(
        "done",
        f"{report.n_placed} of {report.n_students} placed; certificate "
        + ("valid" if certificate.valid else "INVALID"),
        1.0,
    )
    return MatchResult(
        config=config,
        prepared=prepared,
        assignment=assignment,
        assigned_pair=certified_pair,
        unplaced_reason=reasons,
        lottery=lottery,
        certificate=certificate,
        report=report,
        rounds=rounds,
        proposals=proposals,
        improvement_moves=moves,
        timings=timings,
    )


def recertify(instance: Instance, assignment: npt.ArrayLike, config: MatchConfig) -> Certificate:
    """Re-check a stored assignment against its instance and configuration, e.g. in an audit."""
    prepared = prepare(instance)
    lottery, pair_lottery = draw_lottery(prepared, config)
    standard = config.guarantees.stability_standard
    priority = (
        strict_priority(prepared, config, lottery, pair_lottery)
        if standard is StabilityStandard.STRICT
        else prepared.company_rank
    )
    certificate, _ = certify(
        prepared,
        as_int_array("assignment", assignment),
        priority,
        standard=standard,
        stability_required=config.guarantees.stable,
    )
    return certificate


__all__ = [
    "Algorithm",
    "Guarantees",
    "MatchConfig",
    "MatchResult",
    "Progress",
    "ProgressCallback",
    "UnplacedReason",
    "draw_lottery",
    "match",
    "recertify",
]
