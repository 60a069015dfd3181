"""Intake: anonymous and logged-in reports, receipt code, confirmation mail, bad input, EXIF."""

from __future__ import annotations

import datetime as dt
import io
import logging

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from PIL import Image

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.meldpunt.models import (
    Report,
    ReportAttachment,
    ReporterContact,
    ReportGround,
    ReportStatusChange,
)
from stagekans.meldpunt.workflow import ReportStatus
from stagekans.notifications.models import OutboxMessage
from stagekans.notifications.services import send_due
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db
URL = "/meldpunt/"
ADDRESS = "203.0.113.77"


def form_data(**overrides):
    data = {
        "reporter_role": "student",
        "what_happened": "De manager zei dat ze liever geen stagiair met een hoofddoek wilden.",
        "occurred_on": (dt.date.today() - dt.timedelta(days=2)).isoformat(),
        "phase": "recruitment",
        "grounds": ["religion", "sex"],
        "company_name": "Kapsalon Knip & Go",
        "follow_up": "investigation",
        "contact_email": "melder@example.nl",
        "verstuur": "1",
    }
    data.update(overrides)
    return data


def anonymous() -> Client:
    return Client(REMOTE_ADDR=ADDRESS)


def nothing_stored():
    assert Report.objects.count() == 0
    assert ReportGround.objects.count() == 0
    assert ReporterContact.objects.count() == 0
    assert ReportAttachment.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_form_renders_for_anonymous_visitor():
    response = anonymous().get(URL)
    assert response.status_code == 200
    assert "Discriminatie bij je stage melden" in response.content.decode()


def test_anonymous_report_gets_code_shown_once_and_stored_hashed(caplog):
    caplog.set_level(logging.DEBUG)
    response = anonymous().post(URL, form_data())
    assert response.status_code == 201
    report = Report.objects.get()
    code = response.context["receipt_code"]
    digits = code.replace("-", "")
    assert len(digits) == 22 and digits.isdigit()
    assert digits.startswith(report.reference)
    secret = digits[6:]
    assert report.receipt_code_hash.startswith("$argon2")
    assert secret not in report.receipt_code_hash
    assert code in response.content.decode()
    # Reply due in 3 working days, first history row, grounds, contact kept apart.
    assert report.status == ReportStatus.RECEIVED
    assert report.reply_due_on > dt.date.today()
    assert set(report.grounds.values_list("ground", flat=True)) == {"religion", "sex"}
    assert report.contact.email == "melder@example.nl"
    assert report.reporter_user is None
    assert ReportStatusChange.objects.filter(report=report, to_status="received").exists()
    # Confirmation mail in the outbox, in the same transaction; the code is never mailed.
    outbox = OutboxMessage.objects.get()
    assert outbox.to == "melder@example.nl"
    assert report.reference in outbox.subject
    assert secret not in outbox.body
    assert send_due() == 1  # what the drain task does after commit
    assert mail.outbox[0].to == ["melder@example.nl"]
    assert secret not in mail.outbox[0].body
    # Neither the code nor the address is stored or logged anywhere.
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - test over own tables
            dump = repr(cursor.fetchall())
            assert ADDRESS not in dump, table
            assert secret not in dump, table
    assert ADDRESS not in caplog.text
    assert secret not in caplog.text
    audit = AuditLog.objects.get(event_type=AuditEvent.REPORT_SUBMITTED)
    assert audit.actor is None and audit.details["channel"] == "anonymous"


def test_logged_in_student_report_has_no_code_and_shows_in_my_reports():
    student = f.StudentFactory()
    user = f.student_user(student)
    client = Client()
    client.force_login(user)
    data = form_data()
    data.pop("contact_email")
    response = client.post(URL, data)
    assert response.status_code == 201
    assert response.context["receipt_code"] is None
    report = Report.objects.get()
    assert report.reporter_user == user
    assert report.school == student.school
    assert report.receipt_code_hash == ""
    assert OutboxMessage.objects.get().to == user.email
    listing = client.get("/meldpunt/mijn-meldingen/")
    assert report.reference in listing.content.decode()
    assert client.get(f"/meldpunt/mijn-meldingen/{report.reference}/").status_code == 200
    other = Client()
    other.force_login(f.student_user(f.StudentFactory()))
    assert other.get(f"/meldpunt/mijn-meldingen/{report.reference}/").status_code == 404


def test_school_staff_reports_on_behalf_of_own_student_only():
    student = f.StudentFactory()
    other_student = f.StudentFactory()
    staff = f.school_staff_user(student.school)
    client = Client()
    client.force_login(staff)
    base = form_data(reporter_role="school_staff")
    refused = client.post(URL, {**base, "on_behalf_of": other_student.pk})
    assert refused.status_code == 400
    assert Report.objects.count() == 0
    response = client.post(URL, {**base, "on_behalf_of": student.pk})
    assert response.status_code == 201
    report = Report.objects.get()
    assert report.on_behalf_of == student and report.reporter_user == staff
    # A student cannot claim the staff role.
    student_client = Client()
    student_client.force_login(f.student_user(f.StudentFactory()))
    assert student_client.post(URL, {**base, "on_behalf_of": student.pk}).status_code == 400
    assert Report.objects.count() == 1


def test_company_chosen_from_register_by_search():
    recognition = f.RecognitionFactory(company__name="Zorggroep Zonnehuis B.V.")
    client = anonymous()
    search = client.post(URL, form_data(company_search="zonnehuis", zoek_bedrijf="1"))
    assert search.status_code == 200
    assert "Zorggroep Zonnehuis B.V." in search.content.decode()
    assert Report.objects.count() == 0
    data = form_data(company_search="zonnehuis", company=str(recognition.company.pk))
    data.pop("company_name")
    response = client.post(URL, data)
    assert response.status_code == 201
    report = Report.objects.get()
    assert report.company == recognition.company
    assert report.sector == recognition.company.sector


# --- bad input: clear Dutch message, nothing stored --------------------------------------------


def test_empty_form_is_refused_with_dutch_messages():
    response = anonymous().post(URL, {"verstuur": "1"})
    assert response.status_code == 400
    html = response.content.decode()
    for message in [
        "Wat is er gebeurd: beschrijf kort wat er is gebeurd.",
        "Wanneer: vul de datum in",
        "Discriminatiegrond: kies ten minste één grond.",
        "Wie meldt: kies wie de melding doet.",
        "Bedrijf: kies een bedrijf uit het register of vul de naam van het bedrijf in.",
    ]:
        assert message in html
    nothing_stored()


def test_one_megabyte_of_text_is_refused():
    response = anonymous().post(URL, form_data(what_happened="a" * 1_000_000))
    assert response.status_code == 400
    assert "Wat is er gebeurd: gebruik hoogstens 10000 tekens" in response.content.decode()
    nothing_stored()


def test_future_date_is_refused():
    future = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    response = anonymous().post(URL, form_data(occurred_on=future))
    assert response.status_code == 400
    assert "Wanneer: de datum ligt in de toekomst." in response.content.decode()
    nothing_stored()


def test_script_tags_are_stored_as_text_and_escaped_on_output():
    script = "<script>alert('x')</script> en <b>vet</b>"
    response = anonymous().post(URL, form_data(what_happened=script))
    assert response.status_code == 201
    report = Report.objects.get()
    assert report.what_happened == script
    staff = Client()
    staff.force_login(f.UserFactory(role=Role.MELDPUNT))
    html = staff.get(f"/meldpunt/meldingen/{report.reference}/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_wrong_file_type_is_refused_by_content_not_name():
    fake_pdf = SimpleUploadedFile("bewijs.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = anonymous().post(URL, {**form_data(), "attachments": [fake_pdf]})
    assert response.status_code == 400
    assert "is geen PDF, PNG of JPEG" in response.content.decode()
    nothing_stored()


def test_huge_file_is_refused():
    huge = SimpleUploadedFile("groot.pdf", b"%PDF-1.7\n" + b"0" * (6 * 1024 * 1024))
    response = anonymous().post(URL, {**form_data(), "attachments": [huge]})
    assert response.status_code == 400
    assert "is groter dan 5 MB" in response.content.decode()
    nothing_stored()


def test_more_than_three_files_is_refused():
    files = [SimpleUploadedFile(f"{i}.pdf", b"%PDF-1.4\n%%EOF") for i in range(4)]
    response = anonymous().post(URL, {**form_data(), "attachments": files})
    assert response.status_code == 400
    assert "hoogstens 3 bestanden" in response.content.decode()
    nothing_stored()


def test_broken_image_is_refused():
    broken = SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10)
    response = anonymous().post(URL, {**form_data(), "attachments": [broken]})
    assert response.status_code == 400
    assert "beschadigd" in response.content.decode()
    nothing_stored()


# --- EXIF and GPS stripped -------------------------------------------------------------------


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Telefoonmerk"  # Make
    exif[0x0110] = "Model X"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (52.0, 5.0, 30.0)
    gps[3] = "E"
    gps[4] = (5.0, 7.0, 10.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    data = out.getvalue()
    with Image.open(io.BytesIO(data)) as check:  # the fixture really carries GPS
        assert check.getexif().get_ifd(0x8825)
    return data


def test_exif_and_gps_are_stripped_from_images():
    photo = SimpleUploadedFile("IMG_2026_thuis.jpg", jpeg_with_gps(), "image/jpeg")
    pdf = SimpleUploadedFile("mail.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF")
    response = anonymous().post(URL, {**form_data(), "attachments": [photo, pdf]})
    assert response.status_code == 201
    stored = list(Report.objects.get().attachments.order_by("id"))
    assert [a.content_type for a in stored] == ["image/jpeg", "application/pdf"]
    assert "IMG_2026_thuis" not in str(stored[0].file.name)  # own file name not kept
    with stored[0].file.open("rb") as handle:
        data = handle.read()
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        assert not exif.get_ifd(0x8825), "GPS left in the image"
        assert 0x010F not in exif and 0x0110 not in exif
        assert "exif" not in image.info
        assert image.size == (64, 48)
    assert b"Telefoonmerk" not in data


def test_png_text_chunks_are_stripped():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jan Jansen")
    image = Image.new("RGB", (10, 10), "blue")
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    upload = SimpleUploadedFile("scherm.png", out.getvalue(), "image/png")
    response = anonymous().post(URL, {**form_data(), "attachments": [upload]})
    assert response.status_code == 201
    with Report.objects.get().attachments.get().file.open("rb") as handle:
        assert b"Jan Jansen" not in handle.read()


# --- rate limit of anonymous intake --------------------------------------------------------------


def test_anonymous_intake_is_rate_limited_without_storing_the_address():
    from stagekans.meldpunt.views import INTAKE_LIMIT

    client = anonymous()
    for _ in range(3):  # failed submissions do not use up the limit (issue 10, finding 7)
        assert client.post(URL, form_data(what_happened="")).status_code == 400
    for _ in range(INTAKE_LIMIT):
        assert client.post(URL, form_data()).status_code == 201
    blocked = client.post(URL, form_data())
    assert blocked.status_code == 429
    assert "Te veel pogingen" in blocked.content.decode()
    assert Report.objects.count() == INTAKE_LIMIT
    stored = str(list(AuditLog.objects.values_list("details", flat=True)))
    assert ADDRESS not in stored
    # Another address is not affected.
    assert Client(REMOTE_ADDR="198.51.100.9").post(URL, form_data()).status_code == 201


def test_mail_only_when_address_given():
    data = form_data()
    data.pop("contact_email")
    assert anonymous().post(URL, data).status_code == 201
    assert OutboxMessage.objects.count() == 0
    assert send_due() == 0
