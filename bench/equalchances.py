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
import uuid
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

    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from stagekans.accounts.roles import Role
    from stagekans.accounts.two_factor import install_known_totp_device
    from stagekans.core import snapshots
    from stagekans.testing.factories import TEST_TOTP_KEY, UserFactory

    # An analyst (SBB staff: second factor required) of the bench's own making.
    tag = uuid.uuid4().hex[:10]
    analyst = UserFactory(
        role=Role.ANALYST, username=f"bench-{tag}", email=f"bench-{tag}@example.org"
    )
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(analyst)
    session = client.session
    device = install_known_totp_device(analyst, TEST_TOTP_KEY)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    pages = {
        "self-scan figures per sector (page)": "/gelijke-kansen/zelfscan/cijfers/?per=sector",
        "self-scan figures per province (page)": "/gelijke-kansen/zelfscan/cijfers/?per=provincie",
        "webinar coverage per sector (page)": "/gelijke-kansen/webinars/bereik/?per=sector",
        "webinar coverage per province (page)": "/gelijke-kansen/webinars/bereik/?per=provincie",
    }
    ids = "-".join(str(w.pk) for w in selectors.active_webinars())
    recounts = {
        "background recount: self-scan tables (sector + province)": [
            snapshots.name_of("selfscan_tables", g) for g in ("sector", "province")
        ],
        "background recount: webinar tables (sector + province)": [
            snapshots.name_of("training_tables", g, ids) for g in ("sector", "province")
        ],
    }
    rows = []
    for label, names in recounts.items():  # also makes sure the pages find fresh snapshots
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            for name in names:
                snapshots.compute(name)
            times.append(time.perf_counter() - started)
        median = statistics.median(times)
        rows.append(
            f"| {label} | {median * 1000:,.0f} ms | – | informative (every few minutes) | – |"
        )
        print(rows[-1])
    for label, url in pages.items():
        warm = client.get(url)
        assert warm.status_code == 200, (url, warm.status_code, warm.get("Location"))
        times = []
        queries = 0
        for _ in range(args.repeat * 5):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
            assert response.status_code == 200
            queries = len(captured.captured_queries)
        median = statistics.median(times)
        met = "yes" if median <= TARGET_S else "**no**"
        rows.append(f"| {label} | {median * 1000:,.0f} ms | {queries} | ≤ 200 ms | {met} |")
        print(rows[-1])
    # Checked by plain SQL that shares nothing with the selectors: the self-scan tables count
    # every company with a newest result exactly once.
    snapshot = snapshots.read("selfscan_tables", "sector")
    counted = sum(sum(row) for row in snapshot.data["total"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(DISTINCT company_id) FROM equalchances_scanresult WHERE is_latest"
        )
        expected = cursor.fetchone()[0]
    print(f"check: snapshot counts {counted:,} companies, SQL {expected:,}: {counted == expected}")
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
                "| what | median | SQL queries | target | met |",
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
