"""Coordinator's compliance overview and begeleider's "Mijn stagiairs" at national volume
(issue 11): target p95 ≤ 200 ms per page.

One command (database seeded with `seed_national`, which loads 250k placements):

    DATABASE_URL=postgres://… .venv/bin/python bench/placements_overviews.py [--requests 60]

Requests go through the whole Django stack in process (middleware, session, second-factor
check, view, SQL, template) with Django's test client, logged in as: the staff member of the
school with the most running POKs (compliance page, and its CSV), and the begeleiders with the
most supervisees ("Mijn stagiairs", first page and a later page). Each page is warmed up
once, then timed `--requests` times; p50/p95 and queries per request are printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stagekans.settings.base")
TARGET_P95_MS = 200.0


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django_otp import DEVICE_ID_SESSION_KEY

    from stagekans.accounts.two_factor import install_known_totp_device
    from stagekans.education.models import SchoolStaff
    from stagekans.placements.models import Placement
    from stagekans.testing.factories import TEST_TOTP_KEY

    def client_for(staff: SchoolStaff) -> Client:
        client = Client()
        client.force_login(staff.user)
        device = staff.user.totpdevice_set.filter(confirmed=True).first() or (
            install_known_totp_device(staff.user, TEST_TOTP_KEY)
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    total = Placement.objects.count()
    school_id = (
        Placement.objects.filter(status="active")
        .values("school_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()["school_id"]
    )
    coordinator = SchoolStaff.objects.filter(school_id=school_id).order_by("id").first()
    busiest = list(
        Placement.objects.filter(status__in=["planned", "active"], supervisor__isnull=False)
        .values("supervisor_id")
        .annotate(n=Count("id"))
        .order_by("-n")[:3]
    )
    print(f"database: {connection.settings_dict['NAME']}; placements: {total:,}")
    running_at_school = Placement.objects.filter(school_id=school_id, status="active").count()
    print(
        f"school {school_id}: {running_at_school:,} running POKs; begeleiders with "
        f"{', '.join(str(b['n']) for b in busiest)} supervisees"
    )
    pages: list[tuple[str, Client, str]] = [
        ("naleving (coordinator)", client_for(coordinator), "/stages/naleving/"),
        ("naleving CSV", client_for(coordinator), "/stages/naleving/?formaat=csv"),
    ]
    for row in busiest:
        staff = SchoolStaff.objects.select_related("user").get(pk=row["supervisor_id"])
        pages.append((f"mijn stagiairs ({row['n']})", client_for(staff), "/stages/mijn-stagiairs/"))
    staff = SchoolStaff.objects.select_related("user").get(pk=busiest[0]["supervisor_id"])
    pages.append(("mijn stagiairs, page 2", client_for(staff), "/stages/mijn-stagiairs/?page=2"))
    load = os.getloadavg()
    print(f"load average at start: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")
    worst = 0.0
    # Timed with DEBUG off, as in production (DEBUG keeps every query's SQL text); the query
    # count comes from one extra request under CaptureQueriesContext.
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
        for label, client, url in pages:
            assert client.get(url).status_code == 200, url  # warm up
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200, url
            queries = len(captured.captured_queries)
            times = []
            for _ in range(args.requests):
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
            p95 = _p95(times)
            worst = max(worst, p95)
            print(
                f"{label:32s} p50 {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms   "
                f"{queries} queries",
                flush=True,
            )
    load = os.getloadavg()
    print(f"load average at end: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")
    met = "met" if worst <= TARGET_P95_MS else "NOT met"
    print(f"worst p95 {worst:.1f} ms; target p95 ≤ {TARGET_P95_MS:.0f} ms: {met}")


if __name__ == "__main__":
    main()
