#!/usr/bin/env python
"""Insight at national scale (issue 13): full recompute of outcomes and company signals over
2,000,000 applications and 250,000 companies, and the dashboard pages from precomputed results.

One command (PostgreSQL; a dedicated database, created and migrated when missing)::

    .venv/bin/python bench/insight.py [--database-url postgres://postgres@127.0.0.1:5432/sk_i13_bench]

It loads the national data set when the database is empty (`seed_national --reports 0`: 250k
companies, 300k vacancies, 500k students), then adds set-based in SQL (INSERT … SELECT over
generate_series, seeded) up to 2,000,000 applications (a database that already has some, e.g.
1.5M from seed_national, is topped up to 2M, never duplicated), rebuilds the student-year facts
set-based (they are kept by the services, which this bulk insert bypasses) and, with COPY, adds a
voluntary herkomst for 60% of the students. Then it times `recompute` (outcome tables with every
filter + company signals with BH) --repeat times, and 200 dashboard requests (Django test client,
analyst, varied filters), printing the medians, the p95 and the targets (≤ 5 s; p95 ≤ 200 ms)
with the load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/sk_i13_bench"
APPLICATIONS = 2_000_000
TARGET_RECOMPUTE = 5.0
TARGET_P95_MS = 200.0


def _setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stagekans.settings.dev")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def _ensure_database(database_url: str) -> None:
    name = database_url.rsplit("/", 1)[1]
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    exists = subprocess.run(
        ["psql", admin, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],  # noqa: S608
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["psql", admin, "-c", f"CREATE DATABASE {name}"], check=True)
    env = {**os.environ, "DATABASE_URL": database_url}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], check=True, env=env, cwd=ROOT)
    subprocess.run(
        [*manage, "seed_national", "--if-empty", "--reports", "0"], check=True, env=env, cwd=ROOT
    )


def _seed_insight() -> None:
    from django.db import connection, transaction

    from stagekans.applications.models import Application
    from stagekans.background.models import BackgroundStatement
    from stagekans.background.pseudonym import pseudonym
    from stagekans.background.selectors import _key
    from stagekans.insight import facts
    from stagekans.insight.models import StudentYear

    have = Application.objects.count()
    if have < APPLICATIONS:
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.13)")
            cursor.execute(
                "CREATE TEMP TABLE bs AS SELECT row_number() OVER (ORDER BY id) rn, id, school_id "
                "FROM education_student"
            )
            cursor.execute(
                "CREATE TEMP TABLE bv AS SELECT row_number() OVER (ORDER BY id) rn, id, "
                "company_id FROM stagemarkt_vacancy"
            )
            cursor.execute("SELECT count(*) FROM bs")
            n_students = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM bv")
            n_vacancies = cursor.fetchone()[0]
            # Skewed towards some vacancies (random()^3), so many companies get enough
            # applications to be tested; outcomes: 55% invited, 30% offered (and accepted).
            cursor.execute(
                f"""
                INSERT INTO applications_application
                    (student_id, vacancy_id, company_id, school_id, motivation, competences,
                     availability, cv, status, sent_at, invited_at, offered_at, decided_at,
                     rejection_reason, rejection_text, close_reason)
                SELECT s.id, v.id, v.company_id, s.school_id, 'Motivatie', '', '', '',
                       CASE WHEN x.r < 0.30 THEN 'accepted' ELSE 'rejected' END,
                       x.sent, CASE WHEN x.r < 0.55 THEN x.sent + interval '3 days' END,
                       CASE WHEN x.r < 0.30 THEN x.sent + interval '8 days' END,
                       x.sent + interval '14 days',
                       CASE WHEN x.r < 0.30 THEN ''
                            ELSE (ARRAY['qualification', 'competences', 'availability',
                                        'distance', 'language', 'capacity',
                                        'other_candidate'])[1 + floor(x.r2 * 7)::int]
                       END, '', ''
                  FROM (SELECT g, 1 + floor(random() * {n_students})::bigint AS sr,
                               1 + floor(power(random(), 3) * {n_vacancies})::bigint AS vr,
                               random() AS r, random() AS r2,
                               now() - (random() * interval '600 days') AS sent
                          FROM generate_series(1, {APPLICATIONS - have}) g) x
                  JOIN bs s ON s.rn = x.sr
                  JOIN bv v ON v.rn = x.vr
                """  # noqa: S608 - bench: integers only
            )
            cursor.execute("ANALYZE applications_application")
        print(f"  {APPLICATIONS - have} applications in {time.perf_counter() - started:.1f} s")
    if have < APPLICATIONS or not StudentYear.objects.exists():
        # Written past the services: the student-year facts are rebuilt set-based, as
        # `manage.py rebuild_insight_facts` does (one range here).
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM education_student")
            facts.rebuild(0, cursor.fetchone()[0])
            facts.rebuild_volumes()
        facts.analyze()
        print(
            f"  student-year facts rebuilt ({StudentYear.objects.count():,}) in "
            f"{time.perf_counter() - started:.1f} s"
        )
    if not BackgroundStatement.objects.exists():
        started = time.perf_counter()
        key = _key()
        values = ["nl"] * 6 + ["eu", "europe_other", "africa", "asia"]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT id FROM education_student ORDER BY id")
            ids = [r[0] for r in cursor.fetchall()]
            with cursor.cursor.copy(
                "COPY background_backgroundstatement (pseudonym, attribute, value, consented_at, "
                "consent_text_version) FROM STDIN"
            ) as copy:
                for sid in ids:
                    if sid % 10 < 6:
                        copy.write_row(
                            (pseudonym(key, sid), "herkomst", values[(sid * 7) % 10], "now", 1)
                        )
            cursor.execute("ANALYZE background_backgroundstatement")
        print(
            f"  background for 60% of {len(ids)} students in {time.perf_counter() - started:.1f} s"
        )


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get("INSIGHT_BENCH_DB", DEFAULT_DB))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dashboard-only", action="store_true")
    args = parser.parse_args()
    _ensure_database(args.database_url)
    _setup(args.database_url)
    _seed_insight()

    from django.test import Client

    from stagekans.accounts.roles import Role
    from stagekans.accounts.services import create_user
    from stagekans.applications.models import Application
    from stagekans.companies.models import Company
    from stagekans.insight.services.recompute import recompute

    print(
        f"data: {Application.objects.count():,} applications, {Company.objects.count():,} "
        f"companies; load average before: {_load()}"
    )
    times = []
    for i in range(args.repeat if not args.dashboard_only else 0):
        started = time.perf_counter()
        run = recompute(acting_user=None)
        times.append(time.perf_counter() - started)
        print(
            f"  recompute {i + 1}: {times[-1]:.2f} s ({run.student_years:,} student-years, "
            f"{run.tables.count():,} tables, {run.companies_tested:,} companies tested, "
            f"{run.signals} signals); load {_load()}"
        )
    median = statistics.median(times) if times else float("nan")
    print(
        f"RECOMPUTE median {median:.2f} s (target ≤ {TARGET_RECOMPUTE:.0f} s): "
        f"{'met' if median <= TARGET_RECOMPUTE else 'NOT met'}"
    )

    from stagekans.accounts.models import User

    analyst = User.objects.filter(username="bench-analist").first() or create_user(
        acting_user=None,
        username="bench-analist",
        email="bench-analist@example.nl",
        password="Bench-wachtwoord-2026",  # noqa: S106 - bench account
        role=Role.ANALYST,
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(analyst)
    # The analyst is staff: mark the session as verified by a TOTP device, as the tests do.
    from django_otp import DEVICE_ID_SESSION_KEY

    from stagekans.testing.factories import totp_device

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(analyst).persistent_id
    session.save()
    urls = []
    sectors = ["", "zorg", "techniek", "ict"]
    regions = ["", "NH", "ZH", "UT"]
    for i in range(200):
        breakdown = ["strategy", "sector", "region", "level", "total"][i % 5]
        urls.append(
            f"/inzicht/?indeling={breakdown}&sector={sectors[i % 4]}&regio={regions[(i // 4) % 4]}"
        )
    client.get(urls[0])
    latencies = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        latencies.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    latencies.sort()
    p95 = latencies[int(0.95 * len(latencies)) - 1]
    print(
        f"DASHBOARD p95 {p95:.0f} ms, median {statistics.median(latencies):.0f} ms over "
        f"{len(latencies)} requests (target p95 ≤ {TARGET_P95_MS:.0f} ms): "
        f"{'met' if p95 <= TARGET_P95_MS else 'NOT met'}; load {_load()}"
    )


if __name__ == "__main__":
    main()
