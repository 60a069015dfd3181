"""Equal chances (issue 17) at national volume: the SBB figures of the self-scan and the webinar
coverage, per sector and per province, timed against the hand-out coverage target.

One command: `.venv/bin/python bench/equalchances.py` (options: --database-url, --companies,
--repeat, --results bench/RESULTS.md). It migrates the database (default:
postgres://postgres@127.0.0.1:5432/sk_e17a_nat), loads the national data set with
`seed_national` when it is empty (250k companies; few students and reports, which these pages do
not read; the equal-chances step adds ~40% of the companies with a praktijkopleider as scanned,
policies and webinar attendance), and then times each aggregate (both breakdowns are computed
for every page, as the suppression needs them) with the number of SQL queries.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from io import StringIO
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/sk_e17a_nat"
TARGET_S = 0.2  # as the hand-out coverage page (issue 18): ≤ 200 ms per page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--companies", type=int, default=250_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--results", type=Path)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stagekans.settings.base")
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stagekans.companies.models import Company
    from stagekans.equalchances import selectors
    from stagekans.equalchances.models import ScanResult, WebinarAttendance

    load_start = os.getloadavg()
    call_command("migrate", verbosity=0)
    if not Company.objects.exists():
        started = time.monotonic()
        call_command(
            "seed_national",
            "--companies",
            str(args.companies),
            "--vacancies",
            str(args.companies // 10),
            "--students",
            "2000",
            "--reports",
            "100",
            stdout=StringIO(),
        )
        print(f"national data set loaded in {time.monotonic() - started:.0f} s")
    sizes = (
        Company.objects.count(),
        ScanResult.objects.count(),
        WebinarAttendance.objects.count(),
    )
    print(f"{sizes[0]:,} companies, {sizes[1]:,} scan results, {sizes[2]:,} webinar attendances")

    jobs = {
        "self-scan figures per sector": lambda: selectors.scan_aggregates("sector"),
        "self-scan figures per province": lambda: selectors.scan_aggregates("province"),
        "webinar coverage per sector": lambda: selectors.training_coverage("sector"),
        "webinar coverage per province": lambda: selectors.training_coverage("province"),
    }
    rows = []
    for label, job in jobs.items():
        times = []
        queries = 0
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                job()
                times.append(time.perf_counter() - started)
            queries = len(captured.captured_queries)
        median = statistics.median(times)
        met = "yes" if median <= TARGET_S else "**no**"
        rows.append(f"| {label} | {median * 1000:,.0f} ms | {queries} | ≤ 200 ms | {met} |")
        print(rows[-1])
    load_end = os.getloadavg()
    header = (
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, PostgreSQL on the same "
        f"machine shared with other work: load average (1/5/15 min) "
        f"{' / '.join(f'{x:.2f}' for x in load_start)} at the start and "
        f"{' / '.join(f'{x:.2f}' for x in load_end)} at the end. {sizes[0]:,} companies, "
        f"{sizes[1]:,} scan results, {sizes[2]:,} webinar attendances; median of {args.repeat}."
    )
    print(header)
    if args.results:
        table = "\n".join(
            [
                "| aggregate (both breakdowns computed) | median | SQL queries | target | met |",
                "|---|---:|---:|---|---|",
                *rows,
            ]
        )
        with args.results.open("a") as out:
            out.write(
                "\n## Equal chances, company side (issue 17)\n\n"
                "Command: `.venv/bin/python bench/equalchances.py --results bench/RESULTS.md`\n\n"
                f"{header}\n\n{table}\n"
            )


if __name__ == "__main__":
    main()
