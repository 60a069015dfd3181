"""The referral directory importer: all or nothing, clear messages per row."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.support.importer import import_directory
from stagekans.support.models import SupportOrganisation
from stagekans.testing import factories as f
from stagekans.testing.support import DIRECTORY_HEADER

GOOD = [
    "adv-utrecht,adv,Art.1 Midden Nederland,Provincie Utrecht,Utrecht;Amersfoort,UT,"
    "030 234 32 49,info@art1mn.nl,https://www.art1mn.nl,Meldpunt discriminatie",
    "crm,human_rights,College voor de Rechten van de Mens,Landelijk,,,030 888 38 88,,"
    "https://www.mensenrechten.nl,Oordeel over ongelijke behandeling",
]


def csv(*rows: str) -> str:
    return "\n".join([DIRECTORY_HEADER, *rows]) + "\n"


def test_good_file_is_imported(db):
    report = import_directory(acting_user=None, text=csv(*GOOD), source="lijst.csv")
    assert report.ok, report.errors
    assert (report.created, report.updated) == (2, 0)
    adv = SupportOrganisation.objects.get(code="adv-utrecht")
    assert adv.municipalities == ["Utrecht", "Amersfoort"]
    assert adv.province == "UT"
    assert AuditLog.objects.filter(event_type=AuditEvent.SUPPORT_DIRECTORY_IMPORTED).count() == 2
    again = import_directory(acting_user=None, text=csv(*GOOD))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


BAD_ROWS = [
    ("adv-x,adv,Naam,Regio,,UT,030 1234567,,,", "municipalities"),
    ("Adv X,adv,Naam,Regio,Utrecht,UT,030 1234567,,,", "code"),
    ("adv-x,onbekend,Naam,Regio,Utrecht,UT,030 1234567,,,", "kind"),
    ("adv-x,adv,,Regio,Utrecht,UT,030 1234567,,,", "name"),
    ("adv-x,adv,Naam,Regio,Utrecht,XX,030 1234567,,,", "province"),
    ("adv-x,adv,Naam,Regio,Utrecht,UT,,geen-mail,,", "email"),
    ("adv-x,adv,Naam,Regio,Utrecht,UT,,,ftp://x,", "website"),
    ("adv-x,adv,Naam,Regio,Utrecht,UT,bel ons,,,", "phone"),
    ("adv-x,adv,Naam,Regio,Utrecht,UT,,,,", "phone"),
    ("adv-x,adv,Naam,Regio,Utrecht,UT,030 1234567,,,,extra", "-"),
]


@pytest.mark.parametrize(("row", "column"), BAD_ROWS)
def test_a_bad_row_writes_nothing_at_all(db, row, column):
    report = import_directory(acting_user=None, text=csv(*GOOD, row))
    assert not report.ok
    assert any(e.row == 4 and e.column == column for e in report.errors), report.errors
    assert all(str(e).startswith("Rij ") for e in report.errors)
    assert "niets geïmporteerd" in report.summary()
    assert not SupportOrganisation.objects.exists()  # the two good rows are not written either


def test_duplicate_codes_and_missing_columns(db):
    report = import_directory(acting_user=None, text=csv(GOOD[0], GOOD[0]))
    assert [e.column for e in report.errors] == ["code"]
    missing = import_directory(acting_user=None, text="code,kind,name\nx,adv,Naam\n")
    assert {e.column for e in missing.errors} >= {"phone", "municipalities"}
    assert import_directory(acting_user=None, text="").errors
    assert not SupportOrganisation.objects.exists()


def test_entries_missing_from_a_new_list_become_inactive(db):
    import_directory(acting_user=None, text=csv(*GOOD))
    report = import_directory(acting_user=None, text=csv(GOOD[1]))
    assert report.deactivated == 1
    assert not SupportOrganisation.objects.get(code="adv-utrecht").active


def test_management_command(db, tmp_path):
    good = tmp_path / "goed.csv"
    good.write_text(csv(*GOOD), encoding="utf-8")
    out = StringIO()
    call_command("import_support_organisations", str(good), stdout=out)
    assert "2 nieuw" in out.getvalue()
    bad = tmp_path / "fout.csv"
    bad.write_text(csv(GOOD[0].replace("adv-utrecht", "adv-b"), BAD_ROWS[0][0]), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_support_organisations", str(bad), stderr=err)
    assert "Rij 3, kolom municipalities" in err.getvalue()
    assert not SupportOrganisation.objects.filter(code="adv-b").exists()


def test_import_page(db):
    admin = f.UserFactory(role=Role.ADMIN)
    client = Client()
    client.force_login(admin)
    upload = SimpleUploadedFile("lijst.csv", csv(*GOOD).encode(), content_type="text/csv")
    response = client.post("/steun/verwijsgids/importeren/", {"file": upload})
    assert response.status_code == 200
    assert SupportOrganisation.objects.count() == 2
    bad = SimpleUploadedFile("lijst.csv", csv(BAD_ROWS[1][0]).encode(), content_type="text/csv")
    refused = client.post("/steun/verwijsgids/importeren/", {"file": bad})
    assert refused.status_code == 400
    assert "Rij 2" in refused.content.decode() or "kleine letters" in refused.content.decode()
    assert SupportOrganisation.objects.count() == 2
    latin1 = SimpleUploadedFile("l.csv", "caf\xe9".encode("latin-1"), content_type="text/csv")
    assert client.post("/steun/verwijsgids/importeren/", {"file": latin1}).status_code == 400
