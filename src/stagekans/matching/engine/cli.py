"""``stagekans-match``: match a round from CSV files and write the matching and its certificate.

Exit status: 0 when the certificate is valid, 1 when it is not (which would be a bug), 2 for
unusable input (the message names the offending row).
"""

from __future__ import annotations

import argparse
import secrets
import sys
from collections.abc import Sequence
from pathlib import Path

from stagekans.matching.engine.csv_io import read_round, write_assignment, write_certificate
from stagekans.matching.engine.engine import Algorithm, MatchConfig, Progress, match
from stagekans.matching.engine.errors import InputError
from stagekans.matching.engine.lottery import MAX_SEED, TieBreaking


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stagekans-match",
        description="Match students to internship placements and certify the result.",
    )
    parser.add_argument("preferences", type=Path, help="CSV: student, placement, rank, ...")
    parser.add_argument("capacities", type=Path, help="CSV: placement, capacity[, lat, lon]")
    parser.add_argument(
        "-o", "--output", type=Path, default=Path("matching.csv"), help="matching CSV to write"
    )
    parser.add_argument(
        "-c",
        "--certificate",
        type=Path,
        default=Path("certificate.json"),
        help="certificate and report JSON to write",
    )
    parser.add_argument(
        "--algorithm",
        choices=[a.value for a in Algorithm],
        default=Algorithm.STUDENT_PROPOSING.value,
    )
    parser.add_argument(
        "--tie-breaking", choices=[t.value for t in TieBreaking], default=TieBreaking.SINGLE.value
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        help="lottery seed (default: a fresh random seed, recorded in the certificate)",
    )
    parser.add_argument(
        "--improvement-cycles",
        action="store_true",
        help="run stable improvement cycles after DA (better for students, not strategy-proof)",
    )
    parser.add_argument("--students", type=Path, help="CSV: student[, crebo, lat, lon]")
    parser.add_argument("--recognitions", type=Path, help="CSV: placement, crebo")
    parser.add_argument("--max-distance-km", type=float, help="travel-distance limit")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point (registered as ``stagekans-match``)."""
    args = _parser().parse_args(argv)
    seed = secrets.randbelow(MAX_SEED + 1) if args.seed is None else args.seed
    try:
        config = MatchConfig(
            algorithm=Algorithm(args.algorithm),
            tie_breaking=TieBreaking(args.tie_breaking),
            seed=seed,
            improvement_cycles=args.improvement_cycles,
        )
    except ValueError as exc:
        print(f"stagekans-match: {exc}", file=sys.stderr)
        return 2

    def show(progress: Progress) -> None:
        if args.quiet:
            return
        fraction = "" if progress.fraction is None else f" {progress.fraction:6.1%}"
        print(f"[{progress.phase}]{fraction} {progress.message}", file=sys.stderr, flush=True)

    try:
        show(Progress("read", f"reading {args.preferences} and {args.capacities}"))
        instance = read_round(
            args.preferences,
            args.capacities,
            students=args.students,
            recognitions=args.recognitions,
            max_distance_km=args.max_distance_km,
        )
        result = match(instance, config, progress=show)
    except (InputError, OSError) as exc:
        print(f"stagekans-match: {exc}", file=sys.stderr)
        return 2
    write_assignment(result, args.output)
    write_certificate(result, args.certificate)
    report = result.report
    if not args.quiet:
        print(
            f"placed {report.n_placed} of {report.n_students} students "
            f"(seed {seed}); wrote {args.output} and {args.certificate}",
            file=sys.stderr,
        )
    if not result.certificate.valid:
        print("stagekans-match: the certificate is INVALID", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
