"""Issue 9, defect 7: a student reads back on "Mijn meldingen" what they reported — text,
grounds, attachments (through a permission-checked view), status and the messages with the
meldpunt — and replies there."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from stagekans.accounts.roles import Role
from stagekans.meldpunt import services
from stagekans.meldpunt.models import MessageSender
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db
TEXT = "Bij het gesprek vroeg de manager of ik tijdens de ramadan wel kon werken."
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_student_reads_back_text_attachments_status_and_messages_and_replies():
    user = f.student_user(f.StudentFactory())
    report = f.submit_report(
        acting_user=user,
        what_happened=TEXT,
        attachments=[SimpleUploadedFile("mail.pdf", PDF, "application/pdf")],
    ).report
    meldpunt = f.UserFactory(role=Role.MELDPUNT)
    services.start_triage(acting_user=meldpunt, report=report)
    services.send_message_to_reporter(
        acting_user=meldpunt, report=report, body="Dank voor je melding. Mogen we je bellen?"
    )
    client = _client(user)
    page = client.get(f"/meldpunt/mijn-meldingen/{report.reference}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert TEXT in html
    assert "Afkomst" in html or "afkomst" in html  # the ground the factory reports
    assert "Mogen we je bellen?" in html
    assert 'data-testid="status"' in html and str(report.get_status_display()) in html
    attachment = report.attachments.get()
    link = f"/meldpunt/mijn-meldingen/{report.reference}/bijlagen/{attachment.pk}/"
    assert link in html
    download = client.get(link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    # Someone else — another student, or the student's own school — never gets the file.
    assert _client(f.student_user(f.StudentFactory())).get(link).status_code == 404
    assert _client(f.UserFactory(role=Role.ANALYST)).get(link).status_code == 403
    # The reply lands in the thread.
    reply = client.post(
        f"/meldpunt/mijn-meldingen/{report.reference}/", {"body": "Ja, na 16 uur graag."}
    )
    assert reply.status_code == 302
    assert report.messages.filter(sender=MessageSender.REPORTER).get().body == (
        "Ja, na 16 uur graag."
    )


def test_follow_with_code_shows_the_text_but_no_file_links():
    submitted = f.submit_report(
        what_happened=TEXT, attachments=[SimpleUploadedFile("mail.pdf", PDF, "application/pdf")]
    )
    client = Client()
    client.post("/meldpunt/volgen/", {"code": submitted.receipt_code})
    html = client.get("/meldpunt/volgen/melding/").content.decode()
    assert TEXT in html
    assert "Bijlage 1" in html and "/bijlagen/" not in html
