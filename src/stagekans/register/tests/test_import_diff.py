"""The staged, set-based import (issue 18): the file checks in SQL give the errors the row-by-row
checks gave, an unchanged register costs a constant number of queries, and only companies with
something to write are written."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from stagekans.audit.models import AuditLog
from stagekans.companies.models import Company, Location
from stagekans.jobs.models import JobState
from stagekans.notifications.models import OutboxMessage
from stagekans.register.importer import import_register
from stagekans.register.models import Recognition
from stagekans.register.tests.test_import import _csv, _rows
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def crebos():
    return [f.QualificationFactory().crebo, f.QualificationFactory().crebo]


def _reference_file_errors(rows: list[dict[str, str]], bad: set[int]) -> list[tuple[int, str]]:
    """The checks across rows as the importer did them row by row before issue 18: the first
    valid row of a KvK number (and of a KvK number and crebo) is the one later rows must agree
    with. `bad` are indexes of rows with an error of their own."""
    companies_seen: dict[str, tuple[tuple[str, str, str], int]] = {}
    recognitions_seen: dict[tuple[str, str], tuple[tuple[str, str], int]] = {}
    found: list[tuple[int, str]] = []
    for index, row in enumerate(rows):
        line = index + 2
        if index in bad:
            found.append((line, "postcode"))
            continue
        kvk = row["kvk_number"]
        company = (row["company_name"], row["sector"], row["size_class"])
        if kvk in companies_seen and companies_seen[kvk][0] != company:
            found.append((line, f"company_name {companies_seen[kvk][1]}"))
            continue
        key = (kvk, row["crebo"])
        recognition = (row["recognition_status"], row["valid_from"])
        if key in recognitions_seen and recognitions_seen[key][0] != recognition:
            found.append((line, f"recognition_status {recognitions_seen[key][1]}"))
            continue
        companies_seen.setdefault(kvk, (company, line))
        recognitions_seen.setdefault(key, (recognition, line))
    return found


@pytest.mark.parametrize("seed", range(6))
def test_file_conflicts_match_the_row_by_row_checks(crebos, seed):
    rng = random.Random(seed)
    start = (dt.date.today() - dt.timedelta(days=400)).isoformat()
    other = (dt.date.today() - dt.timedelta(days=300)).isoformat()
    rows = _rows(80, crebos)
    for row in rows:  # few companies, so rows meet each other often
        row["kvk_number"] = f"{60000000 + rng.randrange(8)}"
        row["company_name"] = rng.choice(["Een B.V.", "Twee B.V."])
        row["sector"] = rng.choice(["zorg", "zorg", "techniek"])
        row["crebo"] = rng.choice(crebos)
        row["recognition_status"], row["valid_from"] = rng.choice(
            [("requested", ""), ("recognised", start), ("recognised", other)]
        )
    bad = set(rng.sample(range(len(rows)), 5))
    for index in bad:
        rows[index]["postcode"] = "12345"

    report = import_register(acting_user=None, text=_csv(rows))

    def shown(error: Any) -> tuple[int, str]:
        if error.column == "postcode":
            return (error.row, "postcode")
        first = int(error.message.split("rij ")[1].split(" ")[0])
        return (error.row, f"{error.column} {first}")

    expected = _reference_file_errors(rows, bad)
    assert [shown(e) for e in report.errors] == expected
    assert any("company_name" in e for _line, e in expected)
    assert any("recognition_status" in e for _line, e in expected)
    assert Company.objects.count() == 0


def _unchanged_queries(n: int, crebo_codes: list[str]) -> int:
    text = _csv(_rows(n, crebo_codes))
    with pytest.raises(_Rollback), transaction.atomic():  # each size starts from the same state
        assert import_register(acting_user=None, text=text).ok
        with CaptureQueriesContext(connection) as queries:
            report = import_register(acting_user=None, text=text)
        assert report.ok and report.changes == 0 and report.chunks == 0
        raise _Rollback
    return len([q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]])


class _Rollback(Exception):
    pass


def test_unchanged_reimport_queries_do_not_grow_with_the_number_of_rows(crebos):
    small = _unchanged_queries(50, crebos)
    large = _unchanged_queries(500, crebos)
    assert large == small
    assert small < 25


def test_unchanged_reimport_writes_nothing_and_completes_its_job(crebos):
    text = _csv(_rows(60, crebos))
    assert import_register(acting_user=None, text=text).ok
    counts = (AuditLog.objects.count(), OutboxMessage.objects.count(), Location.objects.count())
    report = import_register(acting_user=None, text=text)
    assert report.ok and report.changes == 0
    assert report.summary().startswith("60 rijen verwerkt: 0 leerbedrijven nieuw, 0 gewijzigd")
    assert (
        AuditLog.objects.count(),
        OutboxMessage.objects.count(),
        Location.objects.count(),
    ) == counts
    job = report.job
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.done == job.total == 60


def test_only_what_changed_is_written(crebos):
    rows = _rows(40, crebos)
    assert import_register(acting_user=None, text=_csv(rows)).ok
    # In the register: a name changed elsewhere, a location removed, a recognition expired.
    Company.objects.filter(kvk_number=rows[0]["kvk_number"]).update(name="Elders gewijzigd")
    Location.objects.filter(company__kvk_number=rows[4]["kvk_number"]).delete()
    expired = Recognition.objects.get(
        company__kvk_number=rows[9]["kvk_number"], qualification__crebo=rows[9]["crebo"]
    )
    Recognition.objects.filter(pk=expired.pk).update(status="expired")
    # A house number that differs only in case is the same address (no new location).
    Location.objects.filter(company__kvk_number=rows[12]["kvk_number"]).update(house_number="7A")
    rows[12]["house_number"] = rows[13]["house_number"] = "7a"

    report = import_register(acting_user=None, text=_csv(rows))
    assert report.ok, report.errors
    assert (report.companies_updated, report.locations_created) == (1, 1)
    # rows[9] is 'requested': an expired recognition is requested again
    assert (report.recognitions_requested, report.recognitions_granted) == (1, 0)
    assert report.chunks == 1
    assert Company.objects.get(kvk_number=rows[0]["kvk_number"]).name == rows[0]["company_name"]
    expired.refresh_from_db()
    assert expired.status == "requested"
    again = import_register(acting_user=None, text=_csv(rows))
    assert again.ok and again.changes == 0
