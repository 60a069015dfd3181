"""CSV import: validate every row first, write all or nothing, idempotent."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from stagekans.audit.models import AuditLog
from stagekans.companies.models import Company, Location
from stagekans.geo.models import PostcodeArea
from stagekans.register.importer import COLUMNS, import_register
from stagekans.register.models import Recognition, RecognitionStatusChange
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db

PLACES = [("Utrecht", "3511"), ("Amsterdam", "1012"), ("Rotterdam", "3011"), ("Zwolle", "8011")]


def _rows(n: int, crebos: list[str]) -> list[dict[str, str]]:
    start = (dt.date.today() - dt.timedelta(days=400)).isoformat()
    rows = []
    for i in range(n):
        company = i // 2  # two rows (qualifications) per company, at one location
        place, pc4 = PLACES[company % len(PLACES)]
        rows.append(
            {
                "kvk_number": f"{60000000 + company}",
                "company_name": f"Importbedrijf {company} B.V.",
                "sector": "zorg",
                "size_class": "10-49",
                "street": "Stationsplein",
                "house_number": str(company % 200 + 1),
                "postcode": f"{pc4} AB",
                "place": place,
                "crebo": crebos[i % 2],
                "recognition_status": "recognised" if i % 3 else "requested",
                "valid_from": start if i % 3 else "",
            }
        )
    return rows


def _csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _counts():
    return (
        Company.objects.count(),
        Location.objects.count(),
        Recognition.objects.count(),
        RecognitionStatusChange.objects.count(),
        AuditLog.objects.count(),
        PostcodeArea.objects.count(),
    )


@pytest.fixture
def crebos():
    return [f.QualificationFactory().crebo, f.QualificationFactory().crebo]


def test_one_bad_row_among_1000_writes_nothing(crebos):
    rows = _rows(1000, crebos)
    rows[736]["postcode"] = "12345"  # line 738 in the file (header is line 1)
    before = _counts()
    report = import_register(acting_user=None, text=_csv(rows), source="erkenningen.csv")
    assert _counts() == before
    assert not report.ok
    assert report.rows == 1000
    assert [(e.row, e.column) for e in report.errors] == [(738, "postcode")]
    message = str(report.errors[0])
    assert message.startswith("Rij 738, kolom postcode: De postcode is ongeldig")
    assert "Er is niets geïmporteerd" in report.summary()


def test_every_error_is_reported_with_row_column_and_dutch_reason(crebos):
    rows = _rows(6, crebos)
    rows[0]["kvk_number"] = "1234"
    rows[1]["crebo"] = "99999"
    rows[2]["sector"] = "ruimtevaart"
    rows[3]["recognition_status"] = "recognised"
    rows[3]["valid_from"] = "31-12-2025"
    rows[4]["recognition_status"] = "erkend"
    rows[5]["company_name"] = ""
    report = import_register(acting_user=None, text=_csv(rows))
    found = {(e.row, e.column) for e in report.errors}
    assert found == {
        (2, "kvk_number"),
        (3, "crebo"),
        (4, "sector"),
        (5, "valid_from"),
        (6, "recognition_status"),
        (7, "company_name"),
    }
    texts = " ".join(e.message for e in report.errors)
    for dutch in ("8 cijfers", "geen kwalificatie", "Onbekende sector", "JJJJ-MM-DD", "verplicht"):
        assert dutch in texts
    assert Company.objects.count() == 0


def test_summary_counts_errors_and_rows_with_correct_plurals(crebos):
    """Not "fout(en) … in 1 rijen": one bad row with two errors reads "2 fouten … in 1 rij"."""
    rows = _rows(3, crebos)
    report = import_register(acting_user=None, text=_csv(rows[:1]))
    assert report.summary().startswith("1 rij verwerkt:")
    rows[1]["kvk_number"] = "1234"
    rows[1]["sector"] = "ruimtevaart"
    report = import_register(acting_user=None, text=_csv(rows))
    assert report.summary() == "Er is niets geïmporteerd: 2 fouten gevonden in 1 rij."
    rows[2]["crebo"] = "99999"
    report = import_register(acting_user=None, text=_csv(rows))
    assert report.summary() == "Er is niets geïmporteerd: 3 fouten gevonden in 2 rijen."


def test_missing_column_and_inconsistent_company(crebos):
    report = import_register(acting_user=None, text="kvk_number,company_name\n12345678,X\n")
    assert {e.column for e in report.errors} >= {"crebo", "valid_from"}
    assert all(e.row == 1 for e in report.errors)
    rows = _rows(2, crebos)
    rows[1]["company_name"] = "Andere naam"
    report = import_register(acting_user=None, text=_csv(rows))
    assert [(e.row, e.column) for e in report.errors] == [(3, "company_name")]


def test_valid_file_is_imported_through_the_services(crebos):
    rows = _rows(40, crebos)
    report = import_register(acting_user=None, text=_csv(rows), source="a.csv")
    assert report.ok, report.errors
    assert report.companies_created == 20 == Company.objects.count()
    assert report.locations_created == 20 == Location.objects.count()
    assert Recognition.objects.count() == 40
    recognised = Recognition.objects.filter(status="recognised")
    assert recognised.count() == report.recognitions_granted == 26
    first = recognised.first()
    assert first.publication_consent is True
    assert first.assessments.count() == 1
    assert AuditLog.objects.filter(event_type="company.created").count() == 20


def test_reimporting_the_same_file_changes_nothing(crebos):
    text = _csv(_rows(60, crebos))
    first = import_register(acting_user=None, text=text)
    assert first.ok and first.changes > 0
    before = _counts()
    for _ in range(2):
        again = import_register(acting_user=None, text=text)
        assert again.ok, again.errors
        assert again.changes == 0
        assert _counts() == before


def test_import_does_not_overturn_decisions(crebos, officers):
    rows = _rows(2, crebos)
    assert import_register(acting_user=None, text=_csv(rows)).ok
    changed = [dict(rows[1], valid_from=dt.date.today().isoformat())]
    report = import_register(acting_user=None, text=_csv(changed))
    assert [(e.row, e.column) for e in report.errors] == [(2, "recognition_status")]
    assert "wijzigt geen genomen besluiten" in report.errors[0].message


def test_requested_then_recognised_grants(crebos):
    rows = _rows(1, crebos)  # row 0 is 'requested'
    assert import_register(acting_user=None, text=_csv(rows)).recognitions_requested == 1
    rows[0]["recognition_status"] = "recognised"
    rows[0]["valid_from"] = dt.date.today().isoformat()
    report = import_register(acting_user=None, text=_csv(rows))
    assert report.ok and report.recognitions_granted == 1 and report.recognitions_requested == 0
    assert Recognition.objects.get().status == "recognised"


def test_management_command(tmp_path, crebos, capsys):
    good = tmp_path / "goed.csv"
    good.write_text(_csv(_rows(4, crebos)), encoding="utf-8")
    call_command("import_register", str(good))
    assert "4 rijen verwerkt" in capsys.readouterr().out
    rows = _rows(4, crebos)
    rows[2]["postcode"] = "abc"
    bad = tmp_path / "fout.csv"
    bad.write_text(_csv(rows), encoding="utf-8")
    with pytest.raises(CommandError, match="niets geïmporteerd"):
        call_command("import_register", str(bad))
    assert "Rij 4, kolom postcode" in capsys.readouterr().err


def test_upload_page_queues_the_file_and_shows_errors_and_progress(
    crebos, officers, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from stagekans.jobs.models import BackgroundJob
    from stagekans.register.import_jobs import UPLOAD_JOB

    client = Client()
    client.force_login(officers[0])
    rows = _rows(4, crebos)
    rows[1]["crebo"] = "1"
    bad = SimpleUploadedFile("fout.csv", _csv(rows).encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/erkenningen/import/", {"file": bad})
    assert response.status_code == 303
    upload = BackgroundJob.objects.get(kind=UPLOAD_JOB)
    assert response["Location"].endswith(f"?taak={upload.pk}")
    body = client.get(response["Location"]).content.decode()
    assert "Er is niets geïmporteerd" in body and "precies 5 cijfers" in body
    assert Company.objects.count() == 0
    assert upload.started_by == officers[0]

    good = SimpleUploadedFile("goed.csv", _csv(_rows(4, crebos)).encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/erkenningen/import/", {"file": good})
    assert response.status_code == 303
    assert Company.objects.count() == 2
    body = client.get(response["Location"]).content.decode()
    assert "4 rijen verwerkt" in body
    latin = SimpleUploadedFile("x.csv", "naam,café\n".encode("latin-1"), content_type="text/csv")
    response = client.post("/erkenningen/import/", {"file": latin})
    assert response.status_code == 400 and "geen UTF-8" in response.content.decode()


def test_a_queued_import_runs_once_and_keeps_no_file(crebos, officers):
    """The page shows 'being checked' and polls until a worker ran it; a second delivery of
    the task (acks_late after a crash) does nothing; the stored upload is removed."""
    from django.test import Client

    from stagekans.core.storage import private_storage
    from stagekans.jobs.models import JobState
    from stagekans.register.import_jobs import queue_import, run_queued_import

    upload = queue_import(acting_user=officers[0], text=_csv(_rows(4, crebos)), source="r.csv")
    name = upload.cursor["file"]
    assert private_storage().exists(name)
    client = Client()
    client.force_login(officers[0])
    waiting = client.get(f"/erkenningen/import/?taak={upload.pk}", headers={"HX-Request": "true"})
    html = waiting.content.decode()
    assert "wordt gecontroleerd" in html and 'hx-trigger="every 2s"' in html
    assert Company.objects.count() == 0  # nothing is written before a worker runs it

    job = run_queued_import(job_id=upload.pk)
    assert job is not None and job.state == JobState.DONE
    assert job.result["rows"] == 4 and job.result["ok"] is True
    assert Company.objects.count() == 2
    assert not private_storage().exists(name)
    assert run_queued_import(job_id=upload.pk) is None  # redelivery: nothing happens
    assert Company.objects.count() == 2
    done = client.get(f"/erkenningen/import/?taak={upload.pk}", headers={"HX-Request": "true"})
    assert "every 2s" not in done.content.decode()


@pytest.mark.parametrize(
    ("column", "value", "fragment"),
    [
        ("street", "S" * 300, "hoogstens 200 tekens"),
        ("house_number", "1" * 25, "hoogstens 20 tekens"),
        ("place", "P" * 150, "hoogstens 100 tekens"),
        ("company_name", "Bedrijf\x00", "ongeldig teken"),
    ],
)
def test_overlong_or_nul_cells_are_row_errors_not_crashes(crebos, column, value, fragment):
    rows = _rows(5, crebos)
    rows[3][column] = value
    before = _counts()
    report = import_register(acting_user=None, text=_csv(rows))
    assert not report.ok
    messages = [str(e) for e in report.errors]
    assert any(f"Rij 5, kolom {column}" in m and fragment in m for m in messages), messages
    assert _counts() == before


def test_a_cell_beyond_the_csv_field_limit_is_reported(crebos):
    rows = _rows(3, crebos)
    rows[1]["street"] = "x" * 200_000
    before = _counts()
    report = import_register(acting_user=None, text=_csv(rows))
    assert not report.ok
    assert "geen geldige CSV" in str(report.errors[0])
    assert _counts() == before
