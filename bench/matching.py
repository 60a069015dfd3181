#!/usr/bin/env python
"""Benchmark the Stagekans matching engine, alone and against the PyPI ``matching`` package.

One command, from the repository root (about five to ten minutes on two cores)::

    PYTHONPATH=src .venv/bin/python bench/matching.py --results bench/RESULTS.md

It prints a Markdown report and, with ``--results``, replaces the "## Matching engine" section of
that file (other sections are left alone). Three parts:

* the national case alone, in a fresh subprocess so its peak memory is not polluted: 500,000
  students x 10 preferences, end to end (array input -> validated, matched, certified);
* the same instances fed to ``matching`` 1.4.3 (``HospitalResident``, resident-optimal) at 1k,
  10k and 100k students, for students ranking 10 of n/5 companies with capacity 5-10 and a scarce
  variant with n/10 companies; its input checks and stability check are quadratic, so they only
  run up to 10k, and at 100k the solver is called with the checks skipped. Both assignments are
  compared student by student;
* school-led assignment (min-cost flow) at school scale.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import threading
import time
import tracemalloc
import warnings
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
# This file is itself called matching.py: drop its directory from the path so that ``import
# matching`` finds the PyPI package, and make the engine importable without an install.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from stagekans.matching.engine import (  # noqa: E402
    Algorithm,
    Instance,
    MatchConfig,
    MatchResult,
    TieBreaking,
    match,
)
from stagekans.matching.engine.synthetic import random_instance  # noqa: E402

COMMAND = "PYTHONPATH=src .venv/bin/python bench/matching.py --results bench/RESULTS.md"
SECTION = "## Matching engine"
NATIONAL_STUDENTS = 500_000
NATIONAL_TARGET_S = 1.5
NATIONAL_TARGET_BYTES = 1 << 30
SPEEDUP_TARGET = 100.0
VARIANTS = {"standard": 5, "scarce": 10}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f", {int(line.split()[1]) / 2**20:.0f} GiB RAM"
    except OSError:
        pass
    versions = ", ".join(
        f"{name} {metadata.version(name)}" for name in ("numpy", "scipy", "matching")
    )
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, {versions}"
    )


def best_of(repeat: int, run: Callable[[], MatchResult]) -> tuple[float, MatchResult]:
    best, result = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        outcome = run()
        elapsed = time.perf_counter() - start
        if elapsed < best:
            best, result = elapsed, outcome
    assert result is not None
    return best, result


def traced_peak(run: Callable[[], object]) -> int:
    """Peak bytes allocated while ``run`` executes (numpy reports its buffers to tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


# ---------------------------------------------------------------------------------------------
# National case (runs in a subprocess)


def national_cases(n: int) -> list[tuple[str, Callable[[], Instance], MatchConfig]]:
    return [
        (
            "strict company ranks, n/5 companies",
            lambda: random_instance(n, n // 5, seed=2026),
            MatchConfig(seed=1),
        ),
        (
            "strict company ranks, n/10 companies (scarce)",
            lambda: random_instance(n, n // 10, seed=2027),
            MatchConfig(seed=1),
        ),
        (
            "accept-only companies, STB lottery",
            lambda: random_instance(n, n // 5, ranked=False, seed=2028),
            MatchConfig(seed=1, tie_breaking=TieBreaking.SINGLE),
        ),
        (
            "accept-only companies, MTB lottery",
            lambda: random_instance(n, n // 5, ranked=False, seed=2028),
            MatchConfig(seed=1, tie_breaking=TieBreaking.MULTIPLE),
        ),
        (
            "3 priority classes, n/10, STB + improvement cycles",
            lambda: random_instance(n, n // 10, rank_levels=3, seed=2029),
            MatchConfig(seed=1, improvement_cycles=True),
        ),
    ]


def run_national(n: int, repeat: int) -> dict[str, Any]:
    rows = []
    for name, build, config in national_cases(n):
        instance = build()
        seconds, result = best_of(repeat, partial(match, instance, config))
        peak = traced_peak(partial(match, instance, config))
        rows.append(
            {
                "case": name,
                "students": instance.n_students,
                "placements": instance.n_placements,
                "preferences": instance.n_preferences,
                "seconds": seconds,
                "timings": result.timings,
                "rounds": result.rounds,
                "placed": result.report.n_placed,
                "moves": result.improvement_moves,
                "valid": result.certificate.valid,
                "peak_bytes": peak,
                "fingerprint": result.output_fingerprint()[:16],
            }
        )
        del instance, result
        gc.collect()
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"students": n, "rows": rows, "maxrss_bytes": maxrss}


# ---------------------------------------------------------------------------------------------
# Comparison with the ``matching`` package


def to_dictionaries(
    instance: Instance,
) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, int]]:
    """The same round in ``matching``'s input format (hospitals rank exactly their applicants)."""
    ptr, placement, rank = instance.pref_ptr, instance.pref_placement, instance.company_rank
    assert rank is not None
    residents = {
        f"s{s}": [f"p{p}" for p in placement[ptr[s] : ptr[s + 1]].tolist()]
        for s in range(instance.n_students)
    }
    pair_student = instance.pair_student()
    order = np.lexsort((rank, placement))
    hospitals: dict[str, list[str]] = {}
    for p, s in zip(placement[order].tolist(), pair_student[order].tolist(), strict=True):
        hospitals.setdefault(f"p{p}", []).append(f"s{s}")
    capacities = {h: int(instance.capacity[int(h[1:])]) for h in hospitals}
    return residents, hospitals, capacities


def _assignment(solution: dict[Any, list[Any]], n_students: int) -> np.ndarray[Any, Any]:
    assignment = np.full(n_students, -1, dtype=np.int64)
    for hospital, residents in solution.items():
        for resident in residents:
            assignment[int(resident.name[1:])] = int(hospital.name[1:])
    return assignment


def run_matching(instance: Instance, checked: bool) -> dict[str, Any]:
    """Time ``matching`` on ``instance``; checked runs include input and stability checks.

    ``HospitalResident`` deep-copies the linked player graph recursively, so checked runs execute
    in a thread with a large stack and a raised recursion limit.
    """
    from matching.algorithms import hospital_resident
    from matching.games import HospitalResident
    from matching.games.hospital_resident import _make_players

    start = time.perf_counter()
    residents, hospitals, capacities = to_dictionaries(instance)
    out: dict[str, Any] = {"dictionaries": time.perf_counter() - start, "checked": checked}

    def work() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            start = time.perf_counter()
            if checked:
                game = HospitalResident.create_from_dictionaries(residents, hospitals, capacities)
                out["construct"] = time.perf_counter() - start
                start = time.perf_counter()
                solution = game.solve(optimal="resident")
                out["solve"] = time.perf_counter() - start
                start = time.perf_counter()
                out["stable"] = game.check_stability()
                out["stability_check"] = time.perf_counter() - start
            else:
                players, places = _make_players(residents, hospitals, capacities)
                out["construct"] = time.perf_counter() - start
                start = time.perf_counter()
                solution = hospital_resident(players, places, optimal="resident")
                out["solve"] = time.perf_counter() - start
            out["assignment"] = _assignment(solution, instance.n_students)

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1_000_000)
    threading.stack_size(1 << 30)
    try:
        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
    finally:
        threading.stack_size(0)
        sys.setrecursionlimit(limit)
    if "assignment" not in out:
        raise RuntimeError("the matching package run failed")
    return out


def run_comparison(sizes: list[int]) -> list[dict[str, Any]]:
    rows = []
    for n in sizes:
        for variant, divisor in VARIANTS.items():
            instance = random_instance(n, n // divisor, seed=n + divisor)
            repeat = 7 if n <= 10_000 else 5
            seconds, result = best_of(repeat, partial(match, instance))
            checked = n <= 10_000
            print(
                f"  matching {n} {variant} ({'checked' if checked else 'unchecked'})...",
                file=sys.stderr,
                flush=True,
            )
            theirs = run_matching(instance, checked)
            identical = bool(np.array_equal(theirs.pop("assignment"), result.assignment))
            rows.append(
                {
                    "students": n,
                    "variant": variant,
                    "placements": instance.n_placements,
                    "ours": seconds,
                    "ours_timings": result.timings,
                    "ours_certify": result.timings["certify"],
                    "valid": result.certificate.valid,
                    "placed": result.report.n_placed,
                    "identical": identical,
                    **{f"matching_{k}": v for k, v in theirs.items()},
                }
            )
            print(f"  {rows[-1]}", file=sys.stderr, flush=True)
    return rows


def run_school_led(sizes: list[int]) -> list[dict[str, Any]]:
    rows = []
    for n in sizes:
        for variant, divisor in VARIANTS.items():
            instance = random_instance(n, n // divisor, seed=n + divisor + 1)
            config = MatchConfig(algorithm=Algorithm.SCHOOL_LED)
            seconds, result = best_of(3, partial(match, instance, config))
            stable = match(instance, replace(config, algorithm=Algorithm.STUDENT_PROPOSING))
            rows.append(
                {
                    "students": n,
                    "variant": variant,
                    "seconds": seconds,
                    "placed": result.report.n_placed,
                    "mean_rank": result.report.mean_rank,
                    "da_placed": stable.report.n_placed,
                    "da_mean_rank": stable.report.mean_rank,
                    "valid": result.certificate.valid,
                    "blocking_pairs": result.certificate.blocking_pairs,
                }
            )
    return rows


# ---------------------------------------------------------------------------------------------
# Report


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms" if seconds < 1 else f"{seconds:,.2f} s"


def _s(seconds: float | None) -> str:
    return "–" if seconds is None else _ms(seconds)


def render(
    national: dict[str, Any],
    comparison: list[dict[str, Any]],
    school: list[dict[str, Any]],
    started: dt.datetime,
    elapsed: float,
    loads: tuple[float, float],
) -> str:
    lines = [
        SECTION,
        "",
        f"Command (from the repository root): `{COMMAND}`",
        "",
        f"Measured {started:%Y-%m-%d %H:%M} UTC on: {machine()}. The machine is shared with other "
        "work, so every engine figure is the best of several runs; the whole benchmark took "
        f"{elapsed / 60:.1f} minutes, with a one-minute load average of {loads[0]:.1f} at the "
        f"start and {loads[1]:.1f} at the end.",
        "",
        f"### National case: {national['students']:,} students × 10 preferences",
        "",
        "End to end = array input → validated, lottery drawn, matched, certified (capacity, mutual "
        "acceptability, blocking pairs) and reported. Best of 3, in a fresh process. Peak memory "
        "is what tracemalloc saw allocated during one `match()` call (numpy reports its buffers "
        "to tracemalloc); the input arrays themselves are not included.",
        "",
        "| case | placements | end to end | validate | lottery | match | improve | certify "
        "| rounds | placed | peak memory | certificate |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in national["rows"]:
        t = row["timings"]
        lines.append(
            f"| {row['case']} | {row['placements']:,} | **{_ms(row['seconds'])}** "
            f"| {_ms(t['validate'])} | {_ms(t['lottery'])} | {_ms(t['match'])} "
            f"| {_ms(t['improve']) if 'improve' in t else '–'} | {_ms(t['certify'])} "
            f"| {row['rounds']} | {row['placed']:,}"
            + (f" ({row['moves']:,} moved by cycles)" if row["moves"] else "")
            + f" | {row['peak_bytes'] / 2**20:,.0f} MiB"
            + f" | {'valid' if row['valid'] else 'INVALID'} |"
        )
    main_row = national["rows"][0]
    met_time = main_row["seconds"] <= NATIONAL_TARGET_S
    met_memory = main_row["peak_bytes"] <= NATIONAL_TARGET_BYTES
    lines += [
        "",
        f"Target for the national case (first row): ≤ {NATIONAL_TARGET_S} s and ≤ 1 GB peak → "
        f"**{_ms(main_row['seconds'])}, {main_row['peak_bytes'] / 2**20:,.0f} MiB: "
        f"{'met' if met_time and met_memory else 'NOT met'}**. "
        f"Peak RSS of the whole benchmark subprocess (Python, numpy, instance generation and all "
        f"five cases) was {national['maxrss_bytes'] / 2**20:,.0f} MiB.",
        "",
        "### Against `matching` 1.4.3 (HospitalResident, resident-optimal)",
        "",
        "Students rank 10 distinct companies chosen uniformly; capacities uniform in 5–10; each "
        "company ranks its applicants in a uniformly random strict order. *standard*: n/5 "
        "companies; *scarce*: n/10 companies. Ours is end to end as above (best of 5–7). For "
        "`matching`: *dicts* converts the same arrays into its dictionary input; *construct* is "
        "`HospitalResident.create_from_dictionaries` with its input checks (≤ 10k) or just "
        "building the players with the checks skipped (100k); *solve* is the algorithm; *stability "
        "check* is `check_stability()` (≤ 10k only). *Identical* compares both assignments "
        "student by student.",
        "",
        "| students | variant | ours end to end | ours certificate | matching dicts "
        "| matching construct | matching solve | matching stability check | identical "
        "| speed-up (construct + solve) | speed-up (dicts + construct + solve) "
        "| speed-up (solve only) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for row in comparison:
        construct_solve = row["matching_construct"] + row["matching_solve"]
        lines.append(
            f"| {row['students']:,} | {row['variant']} | **{_ms(row['ours'])}** "
            f"| {_ms(row['ours_certify'])} | {_s(row['matching_dictionaries'])} "
            f"| {_s(row['matching_construct'])}"
            + (" (checks)" if row["matching_checked"] else " (no checks)")
            + f" | {_s(row['matching_solve'])} | {_s(row.get('matching_stability_check'))} "
            f"| {'yes' if row['identical'] else '**NO**'} "
            f"| {construct_solve / row['ours']:,.0f}× "
            f"| {(construct_solve + row['matching_dictionaries']) / row['ours']:,.0f}× "
            f"| {row['matching_solve'] / row['ours']:,.0f}× |"
        )
    at_100k = [row for row in comparison if row["students"] == 100_000]
    if at_100k:
        ratios = ", ".join(
            f"{row['variant']} "
            f"{(row['matching_construct'] + row['matching_solve']) / row['ours']:,.0f}×"
            for row in at_100k
        )
        lines += [
            "",
            f"Target ≥ {SPEEDUP_TARGET:.0f}× at 100k (construct + solve, checks skipped, against "
            f"our full validated and certified pipeline): {ratios}.",
        ]
    lines += [
        "",
        "### School-led assignment (min-cost flow, HiGHS)",
        "",
        "Maximum number placed, then minimum sum of preference ranks; not stable, not "
        "strategy-proof. Compared with student-proposing DA on the same instance. Best of 3.",
        "",
        "| students | variant | end to end | placed | mean rank | DA placed | DA mean rank "
        "| blocking pairs (informational) | certificate |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in school:
        lines.append(
            f"| {row['students']:,} | {row['variant']} | {_ms(row['seconds'])} | {row['placed']:,} "
            f"| {row['mean_rank']:.3f} | {row['da_placed']:,} | {row['da_mean_rank']:.3f} "
            f"| {row['blocking_pairs']:,} | {'valid' if row['valid'] else 'INVALID'} |"
        )
    lines.append("")
    return "\n".join(lines)


def write_section(path: Path, text: str) -> None:
    """Replace (or append) the "## Matching engine" section, leaving the rest of the file alone."""
    existing = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    lines = existing.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == SECTION)
    except StopIteration:
        body = existing.rstrip("\n") + "\n\n" + text
    else:
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines)
        )
        before = "\n".join(lines[:start]).rstrip("\n")
        after = "\n".join(lines[end:])
        body = (before + "\n\n" if before else "") + text + ("\n" + after if after else "")
    path.write_text(body.rstrip("\n") + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, help="Markdown file whose section to replace")
    parser.add_argument(
        "--quick", action="store_true", help="small sizes only (a smoke test, not for RESULTS.md)"
    )
    parser.add_argument("--national-json", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.national_json:
        print(json.dumps(run_national(args.national_json, repeat=1 if args.quick else 3)))
        return 0

    started = dt.datetime.now(dt.UTC)
    load_at_start = os.getloadavg()[0]
    clock = time.perf_counter()
    print("national case (subprocess)...", file=sys.stderr, flush=True)
    environment = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    national_students = 50_000 if args.quick else NATIONAL_STUDENTS
    completed = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--national-json", str(national_students)]
        + (["--quick"] if args.quick else []),
        check=True,
        capture_output=True,
        text=True,
        env=environment,
    )
    national = json.loads(completed.stdout)
    print("comparison with matching...", file=sys.stderr, flush=True)
    comparison = run_comparison([1_000] if args.quick else [1_000, 10_000, 100_000])
    print("school-led...", file=sys.stderr, flush=True)
    school = run_school_led([1_000] if args.quick else [1_000, 5_000])
    loads = (load_at_start, os.getloadavg()[0])
    text = render(national, comparison, school, started, time.perf_counter() - clock, loads)
    print(text)
    if args.results is not None:
        write_section(args.results, text)
    failures = [row for row in national["rows"] if not row["valid"]]
    failures += [row for row in comparison if not (row["valid"] and row["identical"])]
    failures += [row for row in school if not row["valid"]]
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
