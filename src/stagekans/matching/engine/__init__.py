"""Stagekans matching engine: two-sided matching of students to internship placements.

Pure Python on numpy/scipy arrays, with no Django import, so the web rounds, the command line and
the benchmarks all run the same code. Start with :func:`match` on an :class:`Instance`.
"""

from stagekans.matching.engine.certificate import (
    Certificate,
    Report,
    StabilityStandard,
    UnplacedReason,
)
from stagekans.matching.engine.engine import (
    Algorithm,
    Guarantees,
    MatchConfig,
    MatchResult,
    Progress,
    ProgressCallback,
    match,
    recertify,
)
from stagekans.matching.engine.errors import InputError
from stagekans.matching.engine.instance import Instance, with_company_lists
from stagekans.matching.engine.lottery import TieBreaking

__all__ = [
    "Algorithm",
    "Certificate",
    "Guarantees",
    "InputError",
    "Instance",
    "MatchConfig",
    "MatchResult",
    "Progress",
    "ProgressCallback",
    "Report",
    "StabilityStandard",
    "TieBreaking",
    "UnplacedReason",
    "match",
    "recertify",
    "with_company_lists",
]
