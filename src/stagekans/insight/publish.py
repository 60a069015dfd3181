"""From count tables to published tables (pure numpy, no Django): every count goes through
core.suppression (primary + secondary, jointly for tables that share their totals), rates get
Wilson intervals, the ratio to the reference group and the four-fifths flag.

A binary measure (placed at first attempt: yes/no) is suppressed as one table per breakdown with
the rows of the breakdown and the columns group × {yes, no}; a rate and its n are published only
when both the yes and the no count are. The tables of one measure, year and filter broken down
in different ways share their column totals, so they are suppressed with suppress_jointly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from stagekans.core.suppression import SuppressedTable, suppress, suppress_jointly
from stagekans.insight import stats


@dataclass(frozen=True)
class CountTable:
    """Counts of people per breakdown row × group, split by outcome (yes / no)."""

    breakdown: str
    keys: list[str]
    labels: list[str]
    yes: npt.NDArray[np.int64]  # (rows, groups)
    no: npt.NDArray[np.int64]
    sums: dict[str, npt.NDArray[np.float64]] = field(default_factory=dict)  # per cell extras


def _interleave(table: CountTable) -> npt.NDArray[np.int64]:
    rows, groups = table.yes.shape
    full = np.zeros((rows, 2 * groups), dtype=np.int64)
    full[:, 0::2] = table.yes
    full[:, 1::2] = table.no
    return full


def _num(value: float) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def suppress_binary(tables: list[CountTable], k: int) -> list[SuppressedTable]:
    return suppress_jointly([_interleave(t) for t in tables], k)


def _visible(s: SuppressedTable) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Per (row, group): is the yes count published, are both yes and no published."""
    yes_visible = ~s.hidden_cells[:, 0::2]
    both = yes_visible & ~s.hidden_cells[:, 1::2]
    return yes_visible, both


def _ratio(values: npt.NDArray[np.float64], shown: npt.NDArray[np.bool_], reference: int | None):
    if reference is None:
        return np.full(values.shape, np.nan)
    ref = np.where(shown[:, reference], values[:, reference], np.nan)
    return stats.impact_ratio(values, ref[:, None])


def _payload(
    table: CountTable,
    groups: list[tuple[int, str]],
    n: npt.NDArray[Any],
    numerator: npt.NDArray[Any] | None,
    value: npt.NDArray[np.float64],
    low: npt.NDArray[np.float64],
    high: npt.NDArray[np.float64],
    shown: npt.NDArray[np.bool_],
    reference: int | None,
    flag: bool,
) -> dict[str, Any]:
    ratio = _ratio(value, shown, reference)
    flags = stats.four_fifths_flag(ratio)
    rows = []
    for i, (key, label) in enumerate(zip(table.keys, table.labels, strict=True)):
        cells: list[dict[str, Any]] = []
        for j in range(len(groups)):
            if not shown[i, j]:
                cells.append({"n": None, "numerator": None, "value": None})
                continue
            ratio_ij = _num(float(ratio[i, j]))
            cells.append(
                {
                    "n": int(n[i, j]),
                    "numerator": None if numerator is None else int(numerator[i, j]),
                    "value": _num(float(value[i, j])),
                    "low": _num(float(low[i, j])),
                    "high": _num(float(high[i, j])),
                    "ratio": None if j == reference else ratio_ij,
                    "four_fifths": bool(flags[i, j])
                    if flag and j != reference and ratio_ij
                    else None,
                }
            )
        rows.append({"key": key, "label": label, "cells": cells})
    return {
        "groups": [[code, label] for code, label in groups],
        "reference": reference,
        "rows": rows,
    }


def rate_payloads(
    tables: list[CountTable],
    groups: list[tuple[int, str]],
    reference: int | None,
    k: int,
    *,
    four_fifths: bool,
) -> list[dict[str, Any]]:
    """A proportion (yes / (yes + no)) per cell, for tables suppressed jointly."""
    out = []
    for table, s in zip(tables, suppress_binary(tables, k), strict=True):
        _yes_visible, both = _visible(s)
        n = table.yes + table.no
        shown = both
        low, high = stats.wilson_interval(table.yes, n)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(n > 0, table.yes / np.maximum(n, 1), np.nan)
        out.append(
            _payload(table, groups, n, table.yes, value, low, high, shown, reference, four_fifths)
        )
    return out


def placed_payloads(
    tables: list[CountTable], groups: list[tuple[int, str]], reference: int | None, k: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Applications per placement and mean days to placement, from tables whose yes = placed.
    Published where the number placed is published (and not zero)."""
    per_placement, days = [], []
    for table, s in zip(tables, suppress_binary(tables, k), strict=True):
        yes_visible, _both = _visible(s)
        placed = table.yes
        shown = yes_visible
        apps = table.sums["applications"]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio_value = np.where(placed > 0, apps / np.maximum(placed, 1), np.nan)
        nan = np.full(placed.shape, np.nan)
        per_placement.append(
            _payload(
                table,
                groups,
                placed,
                apps.astype(np.int64),
                ratio_value,
                nan,
                nan,
                shown,
                reference,
                False,
            )
        )
        mean, low, high = stats.mean_interval(table.sums["days"], table.sums["days_sq"], placed)
        days.append(_payload(table, groups, placed, None, mean, low, high, shown, reference, False))
    return per_placement, days


def share_payload(
    keys: list[str],
    labels: list[str],
    counts: npt.NDArray[np.int64],
    groups: list[tuple[int, str]],
    reference: int | None,
    k: int,
) -> dict[str, Any]:
    """Rows (e.g. refusal reasons) × groups: each count and its share of the group's column."""
    s = suppress(counts, k)
    totals = counts.sum(axis=0)
    shown = ~s.hidden_cells & ~s.hidden_column_totals[None, :] & (totals[None, :] > 0)
    column = np.broadcast_to(totals[None, :], counts.shape)
    low, high = stats.wilson_interval(counts, column)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(column > 0, counts / np.maximum(column, 1), np.nan)
    table = CountTable("reason", keys, labels, counts, np.zeros_like(counts))
    payload = _payload(table, groups, column, counts, value, low, high, shown, reference, False)
    payload["column_totals"] = [
        None if s.hidden_column_totals[j] else int(totals[j]) for j in range(len(groups))
    ]
    return payload
