"""Backup and restore, as docs/operations.md describes it: scripts/backup-db.sh dumps a database
with reports, cases and audit rows; scripts/restore-db.sh restores it into a fresh database,
where every row of every table is found again (compared row by row) and new rows get new ids.

PostgreSQL only (pg_dump/pg_restore); skipped without a PostgreSQL DATABASE_URL.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditLog
from stagekans.cases.models import Case
from stagekans.meldpunt import services as meldpunt_services
from stagekans.meldpunt.models import Report
from stagekans.testing import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REPO_ROOT = Path(__file__).resolve().parents[2]


def _url(database: str) -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{database}"


@pytest.fixture
def fresh_database() -> Iterator[str]:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    name = f"{connection.settings_dict['NAME']}_restore_{os.getpid()}"
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        admin.execute(drop.format(sql.Identifier(name)))


def _fingerprint(url: str) -> dict[str, tuple[int, str]]:
    """Per table: the row count and an md5 over all rows in a fixed order."""
    out = {}
    with psycopg.connect(url) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        for table in tables:
            query = sql.SQL(
                "SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') "
                "FROM {} AS t"
            ).format(sql.Identifier(table))
            count, digest = conn.execute(query).fetchone()  # type: ignore[misc]
            out[table] = (count, digest)
    return out


def _script(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(REPO_ROOT / "scripts" / name), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_a_dump_restores_every_report_case_and_audit_row(fresh_database, tmp_path):
    # Data through the real services: anonymous and logged-in reports with contact details,
    # a message, a case opened by an investigator; every step writes its audit rows.
    reports = [
        f.submit_report(
            contact=meldpunt_services.ContactDetails(name=f"Melder {i}", email=f"m{i}@example.nl")
        )
        for i in range(3)
    ]
    student = f.StudentFactory()
    reports.append(f.submit_report(acting_user=f.student_user(student)))
    meldpunt_services.post_reporter_message(
        acting_user=None, report=reports[0].report, body="Ik wil graag gebeld worden."
    )
    investigator = f.UserFactory(role=Role.SBB_INVESTIGATOR)
    case = f.investigation_case(company=f.CompanyFactory(), investigator=investigator)
    report_refs = set(Report.objects.values_list("reference", flat=True))
    case_ids = set(Case.objects.values_list("id", flat=True))
    audit_ids = set(AuditLog.objects.values_list("id", flat=True))
    assert len(report_refs) == 4 and case.id in case_ids and len(audit_ids) >= 6

    source = _url(connection.settings_dict["NAME"])
    target = _url(fresh_database)
    dump = tmp_path / "stagekans.dump"
    backup = _script("backup-db.sh", source, str(dump))
    assert backup.returncode == 0, backup.stderr
    assert dump.stat().st_size > 0

    restore = _script("restore-db.sh", str(dump), target)
    assert restore.returncode == 0, restore.stderr

    with psycopg.connect(target) as conn:
        assert {r[0] for r in conn.execute("SELECT reference FROM meldpunt_report")} == report_refs
        assert {r[0] for r in conn.execute("SELECT id FROM cases_case")} == case_ids
        assert {r[0] for r in conn.execute("SELECT id FROM audit_auditlog")} == audit_ids
        # Identity sequences come back too: the next audit row gets a new id, not a clash.
        (next_id,) = conn.execute(  # type: ignore[misc]
            "SELECT nextval(pg_get_serial_sequence('audit_auditlog', 'id'))"
        ).fetchone()
        assert next_id > max(audit_ids)
    # Every row of every table, byte for byte.
    assert _fingerprint(target) == _fingerprint(source)

    # Restoring over a database that has tables is refused (and changes nothing).
    again = _script("restore-db.sh", str(dump), target)
    assert again.returncode == 1
    assert "weigering" in again.stderr
