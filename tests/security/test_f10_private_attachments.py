"""Finding 10 (issue 10): attachments have random storage names in private storage, have no
URL, and leave only through the permission-checked, audited view; /media/ serves nothing in any
setting; files stored under the old guessable names are moved by a data migration."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, clear_url_caches, resolve

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.core.migration_helpers import move_to_private_storage
from stagekans.core.storage import RANDOM_NAME, private_storage
from stagekans.meldpunt.models import ReportAttachment
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF"


@pytest.fixture
def attachment():
    report = f.submit_report(attachments=[SimpleUploadedFile("mijn-naam.pdf", PDF)]).report
    return report.attachments.get()


def test_storage_name_is_random_and_says_nothing_about_the_report(attachment):
    name = str(attachment.file.name)
    assert RANDOM_NAME.match(name), name
    assert attachment.report.reference not in name
    assert "bijlage" not in name and "mijn-naam" not in name and "meldpunt" not in name
    assert private_storage().exists(name)
    assert not default_storage.exists(name)  # not in MEDIA_ROOT
    other = f.submit_report(attachments=[SimpleUploadedFile("b.pdf", PDF)]).report
    assert other.attachments.get().file.name != name


def test_private_files_have_no_url(attachment):
    with pytest.raises(ValueError, match="no URL"):
        attachment.file.url  # noqa: B018


@pytest.mark.parametrize("debug", [True, False])
def test_media_is_never_served_by_the_urlconf(debug, attachment):
    import stagekans.urls

    settings.DEBUG = debug
    try:
        clear_url_caches()
        importlib.reload(stagekans.urls)
        for path in (
            f"{settings.MEDIA_URL}{attachment.file.name}",
            f"{settings.MEDIA_URL}meldpunt/{attachment.report.reference}/bijlage-1.pdf",
        ):
            with pytest.raises(Resolver404):
                resolve(path)
            assert Client().get(path).status_code == 404
    finally:
        settings.DEBUG = False
        importlib.reload(stagekans.urls)
        clear_url_caches()


def test_private_root_lies_outside_media_and_static():
    private = Path(settings.PRIVATE_FILES_ROOT).resolve()
    for public in (settings.MEDIA_ROOT, settings.STATIC_ROOT):
        public_path = Path(public).resolve()
        assert private != public_path and public_path not in private.parents


@pytest.mark.parametrize("module", ["dev", "production"])
def test_settings_refuse_private_files_inside_media(module, tmp_path):
    env = {
        **os.environ,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_FILES_ROOT": str(tmp_path / "media" / "private"),
        "DJANGO_SECRET_KEY": "x" * 60,
        "CELERY_BROKER_URL": "redis://127.0.0.1:1/0",
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import stagekans.settings.{module}"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "PRIVATE_FILES_ROOT must lie outside" in result.stderr


def test_only_the_permission_checked_view_serves_it_and_audits(attachment):
    url = f"/meldpunt/meldingen/{attachment.report.reference}/bijlagen/{attachment.pk}/"
    resolve(url)
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/account/" in anonymous["Location"]
    student = Client()
    student.force_login(f.student_user(f.StudentFactory()))
    assert student.get(url).status_code == 403
    staff = Client()
    staff.force_login(f.UserFactory(role=Role.MELDPUNT))
    other = f.submit_report().report
    assert (
        staff.get(f"/meldpunt/meldingen/{other.reference}/bijlagen/{attachment.pk}/").status_code
        == 404
    )
    response = staff.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    disposition = response["Content-Disposition"]
    assert f"melding-{attachment.report.reference}-bijlage-{attachment.pk}.pdf" in disposition
    assert AuditLog.objects.filter(
        event_type=AuditEvent.REPORT_ATTACHMENT_VIEWED.value, object_id=str(attachment.report.pk)
    ).exists()


def test_data_migration_moves_old_guessable_files(attachment):
    old_name = default_storage.save(
        f"meldpunt/{attachment.report.reference}/bijlage-1.pdf", ContentFile(PDF)
    )
    ReportAttachment.objects.filter(pk=attachment.pk).update(file=old_name)

    assert move_to_private_storage(ReportAttachment) == 1

    attachment.refresh_from_db()
    assert RANDOM_NAME.match(str(attachment.file.name))
    assert not default_storage.exists(old_name)
    with attachment.file.open("rb") as handle:
        assert handle.read() == PDF
    assert move_to_private_storage(ReportAttachment) == 0  # idempotent
