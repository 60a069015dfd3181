"""National background jobs benchmark (issue 18): every national job on the national data set in
PostgreSQL, timed against its target.

One command: `.venv/bin/python bench/jobs.py` (options: --database-url, --redis-url,
--repeat, --results bench/RESULTS.md). It migrates the database (default: DATABASE_URL, else
postgres://postgres@127.0.0.1:5432/stagekans_bench_jobs), loads the national data set
(`seed_national`: 250k companies, ~490k recognitions, 500k students, 550k accounts, 200k
meldpunt reports) when it is empty, and then runs each job in a fresh Python process (so the
peak memory is that job's), interleaving the repetitions, and prints the median time, rows/s
and peak RSS against the target. Mail goes to a local SMTP sink in its own process
(bench/smtp_sink.py; `--sink lean`, the default, or `--sink aiosmtpd`), and every drain run is
checked against the outbox rows by plain SQL (every due row marked sent once, and the sink got
exactly one message for each, to its recipient, with distinct Message-IDs); tasks go to Redis
(not eager), whose queue length shows how many drain tasks the jobs queued. The national data
set is loaded only for jobs that read it: `--only drain` on an empty database writes the 50k
mails itself (with the product's own mail texts).

Every run writes new rows (new KvK numbers, a new hand-out version, reminders of another week),
so a repetition never measures a no-op by accident; the database grows by one import per run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/stagekans_bench_jobs"
DRAIN_MAILS = 50_000
# jobs that read nothing of the national data set (the drain writes its own mails when needed)
NO_NATIONAL_DATA = {"drain"}

# job: (label, target seconds, target peak MB or None, what the target says)
TARGETS: dict[str, tuple[str, float, float | None, str]] = {
    "import_20k": ("register import, 20k new rows", 20.0, None, "≤ 20 s"),
    "import_250k": ("register import, 250k new rows", 180.0, None, "≤ 3 min"),
    "reimport": ("re-import whole register, nothing changed", 60.0, 500.0, "≤ 60 s, ≤ 500 MB"),
    "issue": ("issue new hand-out version to all recognised companies", 120.0, None, "≤ 2 min"),
    "reminders": ("voorlichting reminders, 500k students", 120.0, 300.0, "≤ 2 min, ≤ 300 MB"),
    "drain": ("outbox drain to a local SMTP sink, 50k mails", 50.0, None, "≥ 1,000 mails/s"),
    "coverage": (
        "coverage pages (hand-outs by province/sector, voorlichting national)",
        0.2,
        None,
        "≤ 200 ms each",
    ),
    "register_list": ("register list, page 19,000 (keyset)", 0.15, None, "≤ 150 ms"),
    "statistics": ("meldpunt statistics, 4 dimensions", 0.1, None, "≤ 100 ms each"),
}
ORDER = [
    "coverage",
    "register_list",
    "statistics",
    "import_20k",
    "reimport",
    "issue",
    "reminders",
    "drain",
    "import_250k",
]


# --------------------------------------------------------------------------------- child side


def _django(env_db: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stagekans.settings.base")
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _csv_new_rows(n: int, run: int) -> str:
    """n new rows: n/2 new companies with two recognitions each (like the register)."""
    import csv
    import datetime as dt
    import io

    from stagekans.education.models import Qualification
    from stagekans.geo.models import PostcodeArea
    from stagekans.register.importer import COLUMNS

    crebos = list(Qualification.objects.order_by("crebo").values_list("crebo", flat=True))
    areas = list(PostcodeArea.objects.order_by("pc4").values_list("pc4", "place")[:2000])
    start = (dt.date.today() - dt.timedelta(days=300)).isoformat()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    # KvK numbers never used before: 20k imports from 90,000,000, 250k imports from 93,000,000
    base = (90_000_000 if n <= 20_000 else 93_000_000) + run * 150_000
    for i in range(n):
        company = i // 2
        pc4, place = areas[company % len(areas)]
        recognised = i % 3 != 0
        writer.writerow(
            [
                f"{base + company}",
                f"Benchbedrijf {run}-{company} B.V.",
                "zorg",
                "10-49",
                "Stationsplein",
                str(company % 300 + 1),
                f"{pc4} AB",
                place,
                crebos[(company + i % 2) % len(crebos)],
                "recognised" if recognised else "requested",
                start if recognised else "",
            ]
        )
    return out.getvalue()


def _enqueue_drain_mails(n: int, run: int) -> None:
    """n mails as the product writes them: half voorlichting reminders to students, half hand-out
    notices to trainers (subject, body and link rendered by the product's own functions), each
    to an address of its own (the drain check matches recipients one to one)."""
    from django.db import transaction

    from stagekans.informatiepakket.models import HandoutVersion
    from stagekans.informatiepakket.services import _delivery_mails
    from stagekans.notifications.services import enqueue_mails
    from stagekans.voorlichting.services import reminder_mail

    stamp = f"{time.time_ns():x}"
    version = HandoutVersion(title_nl="Veiligheid voor praktijkopleiders", version=3)

    def mails() -> Any:
        for i in range(n):
            if i % 2:
                yield reminder_mail(
                    email=f"student{i}.{stamp}@leerling.example.nl",
                    given_name="Sanne",
                    student_id=i,
                    version=run + 1,
                    week=stamp,
                )
            else:
                yield from _delivery_mails(
                    1_000_000 + i,
                    version,
                    [f"opleider{i}.{stamp}@bedrijf.example.nl"],
                    reminder=i % 4 == 2,
                )

    with transaction.atomic():
        assert enqueue_mails(mails()) == n


def _csv_register() -> str:
    """The whole register as it stands (first location per company), for the re-import."""
    import csv
    import io

    from django.db import connection

    from stagekans.register.importer import COLUMNS

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.kvk_number, c.name, c.sector, c.size_class, l.street, l.house_number,
                   l.postcode, l.place, q.crebo, r.status, r.valid_from
            FROM register_recognition r
            JOIN companies_company c ON c.id = r.company_id
            JOIN education_qualification q ON q.id = r.qualification_id
            JOIN LATERAL (SELECT * FROM companies_location l WHERE l.company_id = c.id
                          ORDER BY l.id LIMIT 1) l ON true
            WHERE r.status IN ('recognised', 'requested')
            ORDER BY c.id, r.id
            """
        )
        for row in cursor:
            *rest, valid_from = row
            writer.writerow([*rest, valid_from.isoformat() if valid_from else ""])
    return out.getvalue()


def child(job: str, run: int) -> dict[str, Any]:
    _django("")
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    result: dict[str, Any] = {"job": job, "run": run}
    if job == "drain_mails":  # before the drain, in a process of its own (not in its peak RSS)
        from stagekans.notifications.models import OutboxMessage

        owed = OutboxMessage.objects.filter(sent_at__isnull=True).count()
        if owed < DRAIN_MAILS:  # a database without the national jobs' mails: write our own
            _enqueue_drain_mails(DRAIN_MAILS - owed, run)
        result["written"] = max(DRAIN_MAILS - owed, 0)
        # Autovacuum is off on the shared benchmark server; without this every run drains a
        # table with the dead rows of all earlier runs (and the "before" and "after" code would
        # be measured on different tables). Production has autovacuum on.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE notifications_outboxmessage")
    if job in ("import_20k", "import_250k", "reimport"):
        from stagekans.register.importer import import_register

        text = (
            _csv_register()
            if job == "reimport"
            else _csv_new_rows(20_000 if job == "import_20k" else 250_000, run)
        )
        rows = text.count("\n") - 1
        started = time.perf_counter()
        report = import_register(acting_user=None, text=text, source=f"bench-{job}-{run}.csv")
        seconds = time.perf_counter() - started
        assert report.ok, [str(e) for e in report.errors[:5]]
        result.update(rows=rows, seconds=seconds, changes=report.changes, detail=report.summary())
    elif job == "issue":
        from stagekans.informatiepakket import services
        from stagekans.informatiepakket.models import HandoutKind, HandoutVersion
        from stagekans.informatiepakket.selectors import recognised_company_ids

        kind = HandoutKind.values[run % 2]
        latest = HandoutVersion.objects.filter(kind=kind).order_by("-version").first()
        version = HandoutVersion.objects.create(
            kind=kind,
            version=(latest.version if latest else 0) + 1,
            title_nl=f"Benchversie {run}",
            body_nl="Tekst.",
            title_en=f"Bench version {run}",
            body_en="Text.",
            issue_target=recognised_company_ids().count(),
        )
        started = time.perf_counter()
        written = services.issue_version_in_batches(version_id=version.pk)
        seconds = time.perf_counter() - started
        result.update(rows=written, seconds=seconds)
    elif job == "reminders":
        from stagekans.voorlichting import services as voorlichting

        now = timezone.now() + dt.timedelta(days=7 * (run + 1))
        started = time.perf_counter()
        written = voorlichting.send_reminders(now=now)
        seconds = time.perf_counter() - started
        result.update(rows=written, seconds=seconds)
    elif job == "drain":
        from stagekans.notifications import services as outbox
        from stagekans.notifications.models import OutboxMessage

        # only this run's 50k mails are due; everything older waits
        OutboxMessage.objects.filter(sent_at__isnull=True).update(
            next_attempt_at=timezone.now() + dt.timedelta(days=3650)
        )
        ids = list(
            OutboxMessage.objects.filter(sent_at__isnull=True)
            .order_by("id")
            .values_list("id", flat=True)[:DRAIN_MAILS]
        )
        OutboxMessage.objects.filter(id__in=ids).update(next_attempt_at=timezone.now())
        started = time.perf_counter()
        sent = outbox.drain()
        seconds = time.perf_counter() - started
        result.update(rows=sent, seconds=seconds, due=len(ids), due_ids=ids)
    elif job == "coverage":
        # What the two national coverage pages do per view: read the precomputed figures
        # (core/snapshots.py) and render the page's template. The recount itself runs in the
        # background every few minutes; its time is reported beside it (informative).
        from django.db import connection as db
        from django.template.loader import render_to_string
        from django.utils import timezone as tz

        from stagekans.core import snapshots
        from stagekans.informatiepakket import selectors
        from stagekans.voorlichting import selectors as voorlichting

        version = selectors.current_versions()[0]
        timings: dict[str, float] = {}
        for group_by in ("province", "sector"):
            name = snapshots.name_of("handout_coverage", version.pk, group_by)
            started = time.perf_counter()
            snapshots.compute(name)
            timings[f"{group_by} recount (background)"] = time.perf_counter() - started
            samples = []
            for _ in range(15):
                started = time.perf_counter()
                rows, snap = selectors.coverage_snapshot(version, group_by)
                total = selectors.coverage_total(rows)
                render_to_string(
                    "informatiepakket/coverage.html",
                    {
                        "tables": [{"version": version, "rows": rows, "total": total}],
                        "group_by": group_by,
                        "computed_at": snap.computed_at,
                    },
                )
                samples.append(time.perf_counter() - started)
            timings[group_by] = statistics.median(samples)
            result[f"{group_by}_companies"] = total.recognised
        # checked against a count that shares no code with the selectors
        with db.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(DISTINCT company_id) FROM register_recognition "
                "WHERE status = 'recognised' AND valid_from <= %s "
                "AND (valid_until IS NULL OR valid_until > %s)",
                [tz.localdate(), tz.localdate()],
            )
            independent = cursor.fetchone()[0]
        result["independent_recognised"] = independent
        result["checked"] = (
            independent == result["province_companies"] == result["sector_companies"]
        )
        started = time.perf_counter()
        text = voorlichting.current_text()
        snapshots.compute(snapshots.name_of("voorlichting_coverage", text.pk if text else 0))
        timings["voorlichting recount (background)"] = time.perf_counter() - started
        samples = []
        for _ in range(15):
            started = time.perf_counter()
            voorlichting.national_coverage_snapshot()
            samples.append(time.perf_counter() - started)
        timings["voorlichting"] = statistics.median(samples)
        result.update(
            seconds=max(timings["province"], timings["sector"], timings["voorlichting"]),
            timings=timings,
        )
    elif job == "register_list":
        from django.http import QueryDict

        from stagekans.core.keyset import _encode, keyset_page
        from stagekans.register import selectors
        from stagekans.register.models import Recognition

        qs = Recognition.objects.select_related("company", "qualification")
        total = qs.count()
        offset = min(19_000 * 25 - 26, total - 30)
        row = (
            qs.order_by(*selectors.RECOGNITION_LIST_ORDER)
            .values_list(*selectors.RECOGNITION_LIST_ORDER)[offset : offset + 1]
            .get()
        )
        params = QueryDict(mutable=True)
        params.update({"after": _encode(list(row)), "page": "19000"})
        samples = []
        for _ in range(7):
            started = time.perf_counter()
            page = keyset_page(qs, ordering=selectors.RECOGNITION_LIST_ORDER, params=params)
            samples.append(time.perf_counter() - started)
        started = time.perf_counter()
        list(qs.order_by(*selectors.RECOGNITION_LIST_ORDER)[offset : offset + 25])
        result.update(
            seconds=statistics.median(samples),
            rows=len(page.object_list),
            total=total,
            offset_query_informative=time.perf_counter() - started,
        )
    elif job == "statistics":
        from stagekans.meldpunt import selectors
        from stagekans.meldpunt.models import Report

        year = timezone.localdate().year - 1
        timings = {}
        for dimension in ("ground", "phase", "sector", "province"):
            samples = []
            for _ in range(5):
                started = time.perf_counter()
                table = selectors.report_counts(dimension, year=year)
                samples.append(time.perf_counter() - started)
            timings[dimension] = statistics.median(samples)
        result.update(
            seconds=max(timings.values()),
            timings=timings,
            reports=Report.objects.count(),
            counted_in_year=int(table.counts.sum()),
        )
    result["peak_mb"] = _peak_mb()
    result["queries_note"] = connection.vendor
    return result


# -------------------------------------------------------------------------------- parent side


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _check_drain(database_url: str, outcome: dict[str, Any], report: dict[str, Any]) -> str:
    """The drain's result checked without its code: the outbox rows that were due (plain SQL)
    against what the SMTP sink received. Returns "" when they agree, else what differs."""
    from collections import Counter

    import psycopg

    due_ids = outcome.pop("due_ids")
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            'SELECT "to", sent_at IS NOT NULL, attempts FROM notifications_outboxmessage '
            "WHERE id = ANY(%s)",
            [due_ids],
        ).fetchall()
    problems = []
    if len(rows) != len(due_ids):
        problems.append(f"{len(due_ids) - len(rows)} due rows missing")
    if not all(sent for _to, sent, _a in rows):
        problems.append(f"{sum(not sent for _to, sent, _a in rows)} due rows not marked sent")
    if any(attempts != 1 for _to, _s, attempts in rows):
        problems.append("a row was attempted more than once")
    if report["messages"] != len(due_ids):
        problems.append(f"sink received {report['messages']} messages for {len(due_ids)} due")
    expected = Counter(to for to, _s, _a in rows)
    got = Counter(r for rcpts in report["recipients"] for r in rcpts)
    if got != expected:
        problems.append(
            f"recipients differ: {sum((expected - got).values())} missing, "
            f"{sum((got - expected).values())} unexpected or twice"
        )
    ids = report["message_ids"]
    if len(set(ids)) != len(ids) or "" in ids:
        problems.append("Message-IDs missing or repeated")
    outcome["checked"] = {
        "due_rows": len(due_ids),
        "rows_marked_sent": sum(sent for _to, sent, _a in rows),
        "sink_messages": report["messages"],
        "sink_distinct_message_ids": len(set(ids)),
        "sink_recipients_match_rows": got == expected,
        "sink_megabytes": round(report["octets"] / 1e6, 1),
        "ok": not problems,
    }
    return "; ".join(problems)


def loadavg() -> str:
    return " / ".join(f"{v:.2f}" for v in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_DB)
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", ""))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--repeat-slow", type=int, default=1, help="runs of import_250k")
    parser.add_argument("--only", nargs="*", default=ORDER)
    parser.add_argument("--results", default="")
    parser.add_argument(
        "--sink",
        choices=["lean", "aiosmtpd"],
        default="lean",
        help="SMTP sink process (bench/smtp_sink.py): the lean asyncio one or aiosmtpd",
    )
    parser.add_argument("--child", default="")
    parser.add_argument("--run", type=int, default=0)
    args = parser.parse_args()

    if args.child:
        print("RESULT " + json.dumps(child(args.child, args.run), default=str), flush=True)
        return

    if not args.database_url.startswith("postgres"):
        sys.exit("bench/jobs.py needs PostgreSQL (--database-url postgres://…)")
    import psycopg

    base, _slash, name = args.database_url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "stagekans.settings.base",
        "DATABASE_URL": args.database_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(REPO / "src"),
    }
    if args.redis_url:  # tasks go to a real broker (not eager): count the drain tasks queued
        env["CELERY_BROKER_URL"] = args.redis_url
        env["CACHE_URL"] = args.redis_url
    else:
        env["CELERY_BROKER_URL"] = "memory://"
    subprocess.run([PYTHON, "manage.py", "migrate", "-v", "0"], cwd=REPO, env=env, check=True)
    seeded = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c",
         "from stagekans.education.models import Student; print(Student.objects.count())"],
        cwd=REPO, env=env, check=True, capture_output=True, text=True,
    ).stdout.strip().splitlines()[-1]  # fmt: skip
    if int(seeded) == 0 and not set(args.only) <= NO_NATIONAL_DATA:
        started = time.monotonic()
        subprocess.run([PYTHON, "manage.py", "seed_national"], cwd=REPO, env=env, check=True)
        print(f"national data set loaded in {time.monotonic() - started:.0f} s", flush=True)

    sink = subprocess.Popen(
        [PYTHON, str(REPO / "bench" / "smtp_sink.py"), str(port), "--kind", args.sink],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert sink.stdout is not None and sink.stdout.readline().strip() == "ready"
    machine = (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
        f"Linux {platform.release()}; Python {platform.python_version()}"
    )
    load_start = loadavg()
    print(
        f"machine: {machine}; load average (1/5/15 min) at start: {load_start}; "
        f"SMTP sink: {args.sink}",
        flush=True,
    )
    results: dict[str, list[dict[str, Any]]] = {job: [] for job in args.only}
    try:
        for run in range(args.repeat):
            for job in [j for j in ORDER if j in args.only]:
                if job == "import_250k" and run >= args.repeat_slow:
                    continue
                if job == "drain":
                    subprocess.run(
                        [PYTHON, str(Path(__file__)), "--child", "drain_mails", "--run", str(run)],
                        cwd=REPO, env=env, check=True, capture_output=True,
                    )  # fmt: skip
                if args.redis_url:
                    import redis

                    queue = redis.Redis.from_url(args.redis_url)
                    queue.delete("celery")
                load = os.getloadavg()[0]
                proc = subprocess.run(
                    [PYTHON, str(Path(__file__)), "--child", job, "--run", str(run)],
                    cwd=REPO, env=env, capture_output=True, text=True,
                )  # fmt: skip
                line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
                if proc.returncode or line is None:
                    print(proc.stdout[-3000:], proc.stderr[-3000:], file=sys.stderr)
                    raise SystemExit(f"job {job} failed")
                outcome = json.loads(line[len("RESULT ") :])
                outcome["load"] = load
                assert sink.stdin is not None and sink.stdout is not None
                sink.stdin.write("report\n")
                sink.stdin.flush()
                report = json.loads(sink.stdout.readline())
                if job == "drain":
                    problems = _check_drain(args.database_url, outcome, report)
                    if problems:
                        raise SystemExit(f"drain check failed: {problems}")
                if args.redis_url:
                    outcome["drain_tasks_queued"] = int(queue.llen("celery"))
                    queue.delete("celery")
                results[job].append(outcome)
                rate = (
                    f"{outcome['rows'] / outcome['seconds']:,.0f} rows/s"
                    if outcome.get("rows")
                    else ""
                )
                print(
                    f"run {run + 1} {job:14s} {outcome['seconds']:9.3f} s  {rate:>16s}  "
                    f"peak {outcome['peak_mb']:6.0f} MB  load {load:.2f}  "
                    + (
                        f"drain tasks queued {outcome['drain_tasks_queued']}"
                        if "drain_tasks_queued" in outcome
                        else ""
                    )
                    + (f"  checked {outcome['checked']}" if "checked" in outcome else ""),
                    flush=True,
                )
    finally:
        assert sink.stdin is not None
        sink.stdin.close()
        sink.wait(timeout=10)
    load_end = loadavg()
    lines = [
        "| job | runs | median time | rows | rows/s | peak RSS | target | met |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for job in [j for j in ORDER if j in args.only]:
        runs = results[job]
        if not runs:
            continue
        label, target_s, target_mb, target_text = TARGETS[job]
        seconds = statistics.median(r["seconds"] for r in runs)
        rows = int(statistics.median(r.get("rows", 0) for r in runs))
        peak = max(r["peak_mb"] for r in runs)
        if job == "drain":
            met = rows / seconds >= 1000 if seconds else False
        else:
            met = seconds <= target_s and (target_mb is None or peak <= target_mb)
        shown = f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"
        lines.append(
            f"| {label} | {len(runs)} | {shown} | {rows:,} | "
            f"{(rows / seconds if rows and seconds else 0):,.0f} | {peak:.0f} MB | "
            f"{target_text} | {'yes' if met else '**no**'} |"
        )
    table = "\n".join(lines)
    print(table)
    details = {job: runs for job, runs in results.items() if runs}
    if args.results:
        command = "PYTHONPATH=src .venv/bin/python bench/jobs.py " + " ".join(
            a for a in sys.argv[1:] if not a.startswith("postgres")
        )
        with open(args.results, "a", encoding="utf-8") as out:
            out.write(
                f"\n## National background jobs (issue 18)\n\nCommand: `{command}`\n\n"
                f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on: {machine}; "
                f"SMTP sink: {args.sink}. "
                f"PostgreSQL on the same machine, shared with seven other engineers: load "
                f"average (1/5/15 min) {load_start} at the start and {load_end} at the end. "
                f"Each job runs in a fresh process (peak RSS = that whole process, Django "
                f"included); runs are interleaved; times are medians.\n\n{table}\n\n"
                "<details><summary>per-run figures</summary>\n\n```json\n"
                f"{json.dumps(details, indent=1, default=str)}\n```\n</details>\n"
            )


if __name__ == "__main__":
    main()
