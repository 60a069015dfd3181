"""Applications benchmark (issue 11): the school coordinator's overview "Sollicitaties van mijn
studenten" at national volume (1.5 million applications with their status histories).

One command: `.venv/bin/python bench/applications.py` (options: --database-url, --requests,
--results bench/RESULTS.md). It migrates the database (default: DATABASE_URL, else
postgres://postgres@127.0.0.1:5432/stagekans_bench), loads the national data set
(`seed_national`) when it has no vacancies, or only the applications step when it has vacancies
but no applications, and then requests the overview in-process (Django test client, the real
URL, middleware, view, selectors and template; settings `stagekans.settings.base`, DEBUG off)
as the coordinators of 20 schools: the first page, each status filter and the next page by
keyset. It prints p50 / p95 / max against the target p95 ≤ 200 ms.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/stagekans_bench"
TARGET_P95_MS = 200.0


def _setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "stagekans.settings.base"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()


def _ensure_data(database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url}
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput"], cwd=REPO, env=env, check=True)
    from stagekans.applications.models import Application
    from stagekans.stagemarkt.models import Vacancy

    if not Vacancy.objects.exists():
        subprocess.run([*manage, "seed_national"], cwd=REPO, env=env, check=True)
    elif not Application.objects.exists():
        from stagekans.applications.national import ApplicationsBuilder

        ApplicationsBuilder(seed=2021, progress=print).build()
    # A bulk load leaves the visibility map empty: without VACUUM every count reads the heap
    # (an index-only count of one school's ~25,000 rows went from ~160 ms to ~3 ms).
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("applications_application", "applications_applicationstatuschange"):
            cursor.execute(f"VACUUM ANALYZE {table}")


def _load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--results", help="append a Markdown section to this file")
    args = parser.parse_args()
    _setup(args.database_url)
    import logging

    logging.getLogger("stagekans.request").setLevel(logging.WARNING)
    _ensure_data(args.database_url)

    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from stagekans.applications.models import Application
    from stagekans.applications.workflow import ApplicationStatus
    from stagekans.core.keyset import keyset_page
    from stagekans.education.models import SchoolStaff

    total = Application.objects.count()
    staff = list(SchoolStaff.objects.select_related("user", "school").order_by("school_id", "pk"))
    by_school = {}
    for member in staff:
        by_school.setdefault(member.school_id, member)
    coordinators = list(by_school.values())[:20]
    url = reverse("applications:school_overview")
    rng = random.Random(11)
    statuses = ["", *ApplicationStatus.values]
    clients = []
    from django_otp import DEVICE_ID_SESSION_KEY

    from stagekans.testing.factories import totp_device

    for member in coordinators:
        client = Client()
        client.force_login(member.user)
        # staff need a verified second factor: a TOTP device of the test kind, as in the tests
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = totp_device(member.user).persistent_id
        session.save()
        clients.append((client, member))
    # warm-up: one request per coordinator (connections, template cache)
    for client, _member in clients:
        assert client.get(url).status_code == 200
    load_before = _load()
    timings: list[float] = []
    for _ in range(args.requests):
        client, member = rng.choice(clients)
        status = rng.choice(statuses)
        query = f"?status={status}" if status else ""
        if rng.random() < 0.3:  # the next page, by keyset token, as the page's link gives it
            qs = Application.objects.filter(school_id=member.school_id)
            if status:
                qs = qs.filter(status=status)
            page = keyset_page(qs, ordering=("-id",), params={}, per_page=25)
            query = f"?{page.next_query}" + (f"&status={status}" if status else "")
        started = time.perf_counter()
        response = client.get(url + query)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    load_after = _load()
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]
    per_school = total / max(len(by_school), 1)
    met = "**met**" if p95 <= TARGET_P95_MS else "**not met**"
    lines = [
        f"applications in the database: {total:,} ({len(by_school)} schools, "
        f"~{per_school:,.0f} per school); PostgreSQL {connection.pg_version}",
        f"requests: {len(timings)} over {len(coordinators)} coordinators",
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms "
        f"(target p95 ≤ {TARGET_P95_MS:.0f} ms: {met})",
        f"load average (1/5/15 min) {load_before} before, {load_after} after; "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    ]
    print("\n".join(lines))
    if args.results:
        with open(args.results, "a", encoding="utf-8") as out:
            out.write(
                "\n## Applications: the coordinator's overview at national volume (issue 11)\n\n"
                "Command: `.venv/bin/python bench/applications.py --database-url "
                f"<url> --requests {args.requests}`\n\n"
                f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.\n\n"
                + "\n".join(f"- {line}" for line in lines)
                + "\n"
            )


if __name__ == "__main__":
    main()
