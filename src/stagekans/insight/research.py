"""k-anonymity for research extracts (pure, no Django)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class KAnonymityResult:
    kept: list[Sequence[Any]]
    withheld: int
    smallest_class: int  # among the kept rows (0 if none)


def k_anonymise(
    rows: Sequence[Sequence[Any]], quasi_identifiers: Sequence[int], k: int
) -> KAnonymityResult:
    """Withhold every row whose combination of quasi-identifiers occurs fewer than k times."""
    if k < 2:
        raise ValueError("k must be at least 2")
    key = [tuple(row[i] for i in quasi_identifiers) for row in rows]
    sizes = Counter(key)
    kept = [row for row, kk in zip(rows, key, strict=True) if sizes[kk] >= k]
    kept_sizes = [n for n in sizes.values() if n >= k]
    return KAnonymityResult(kept, len(rows) - len(kept), min(kept_sizes) if kept_sizes else 0)
