"""``stagekans-match``: match a round from CSV files and write the matching and its certificate.

Exit status (each failure has its own, so a script can tell them apart):

* 0: matched, certificate valid;
* 1: matched, but the certificate is invalid (a bug in the engine; the files are still written so
  that it can be investigated);
* 2: unusable arguments or input (the message names the file, line and column);
* 3: an output file cannot be written (checked before matching; nothing is half-written because
  both files are written to temporary names first and then renamed);
* 4: an unexpected internal error (with a traceback on stderr).
"""

from __future__ import annotations

import argparse
import math
import secrets
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from stagekans.matching.engine.csv_io import (
    OutputError,
    check_writable,
    read_round,
    write_outputs,
)
from stagekans.matching.engine.engine import Algorithm, MatchConfig, Progress, match
from stagekans.matching.engine.errors import InputError
from stagekans.matching.engine.lottery import MAX_SEED, TieBreaking

EXIT_OK = 0
EXIT_CERTIFICATE_INVALID = 1
EXIT_BAD_INPUT = 2
EXIT_OUTPUT = 3
EXIT_INTERNAL = 4


def _distance(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(
            f"{text!r}: the limit must be a finite number of kilometres >= 0"
        )
    return value


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
    parser.add_argument("--max-distance-km", type=_distance, help="travel-distance limit")
    parser.add_argument(
        "--encoding",
        help="text encoding of the CSV files (default: UTF-8, or UTF-16 when the file starts "
        "with a byte-order mark); e.g. cp1252 for files saved by older Excel versions",
    )
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
        return EXIT_BAD_INPUT

    def show(progress: Progress) -> None:
        if args.quiet:
            return
        fraction = "" if progress.fraction is None else f" {progress.fraction:6.1%}"
        print(f"[{progress.phase}]{fraction} {progress.message}", file=sys.stderr, flush=True)

    try:
        return _run(args, config, seed, show)
    except Exception:
        traceback.print_exc()
        print("stagekans-match: internal error (please report it)", file=sys.stderr)
        return EXIT_INTERNAL


def _run(
    args: argparse.Namespace,
    config: MatchConfig,
    seed: int,
    show: Callable[[Progress], None],
) -> int:
    try:
        check_writable(args.output, args.certificate)
    except OutputError as exc:
        print(f"stagekans-match: {exc}", file=sys.stderr)
        return EXIT_OUTPUT
    try:
        show(Progress("read", f"reading {args.preferences} and {args.capacities}"))
        instance = read_round(
            args.preferences,
            args.capacities,
            students=args.students,
            recognitions=args.recognitions,
            max_distance_km=args.max_distance_km,
            encoding=args.encoding,
        )
        result = match(instance, config, progress=show)
    except (InputError, FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        print(f"stagekans-match: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        write_outputs(result, args.output, args.certificate)
    except OutputError as exc:
        print(f"stagekans-match: {exc}", file=sys.stderr)
        return EXIT_OUTPUT
    report = result.report
    if not args.quiet:
        print(
            f"placed {report.n_placed} of {report.n_students} students "
            f"(seed {seed}); wrote {args.output} and {args.certificate}",
            file=sys.stderr,
        )
    if not result.certificate.valid:
        print("stagekans-match: the certificate is INVALID", file=sys.stderr)
        return EXIT_CERTIFICATE_INVALID
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
