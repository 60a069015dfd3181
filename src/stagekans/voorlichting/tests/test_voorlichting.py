"""Voorlichting: the text, acknowledgement with version and moment, coverage, reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.notifications.models import OutboxMessage
from stagekans.testing import factories as f
from stagekans.voorlichting import selectors, services
from stagekans.voorlichting.models import Acknowledgement, InformationText, Moment
from stagekans.voorlichting.tasks import send_reminders
from stagekans.voorlichting.text import blocks

pytestmark = pytest.mark.django_db


def test_seeded_text_is_real_and_bilingual():
    text = selectors.current_text()
    assert text is not None and text.version == 1
    assert "Hoe meld je het?" in text.body_nl and "How do you report it?" in text.body_en
    kinds = [b.kind for b in blocks(text.body_nl)]
    assert kinds.count("h2") == 4 and "ul" in kinds


def test_page_in_dutch_and_english():
    client = Client()
    html = client.get("/voorlichting/").content.decode()
    assert "Discriminatie bij je stage: herken het, meld het" in html
    client.cookies["django_language"] = "en"
    html = client.get("/voorlichting/").content.decode()
    assert "Discrimination in your internship" in html


def test_student_acknowledges_onboarding_then_before_internship_then_new_version():
    student = f.StudentFactory()
    user = f.student_user(student)
    staff = f.school_staff_user(student.school)
    client = Client()
    client.force_login(user)
    assert 'data-testid="voorlichting-banner"' in client.get("/").content.decode()
    text = selectors.current_text()
    assert selectors.pending_moment(student) == Moment.ONBOARDING
    response = client.post("/voorlichting/gelezen/", {"text": text.pk})
    assert response.status_code == 302
    ack = Acknowledgement.objects.get()
    assert (ack.student, ack.text.version, ack.moment) == (student, 1, Moment.ONBOARDING)
    assert selectors.pending_moment(student) is None
    assert 'data-testid="voorlichting-banner"' not in client.get("/").content.decode()
    assert AuditLog.objects.filter(event_type=AuditEvent.VOORLICHTING_ACKNOWLEDGED).exists()

    # An internship period is announced for the programme: read again.
    period = services.announce_internship_period(
        acting_user=staff,
        programme=student.programme,
        starts_on=timezone.localdate() + dt.timedelta(days=14),
    )
    assert selectors.pending_moment(student) == Moment.BEFORE_INTERNSHIP
    second = services.acknowledge(acting_user=user, student=student, text=text)
    assert second.moment == Moment.BEFORE_INTERNSHIP and second.internship_period == period
    assert selectors.pending_moment(student) is None

    # A new version of the text: read again.
    new = services.publish_text(
        acting_user=None, title_nl="Versie 2", title_en="Version 2", body_nl="Tekst", body_en="Text"
    )
    assert selectors.pending_moment(student) == Moment.NEW_VERSION
    with pytest.raises(ValidationError):
        services.acknowledge(acting_user=user, student=student, text=text)  # old version
    third = services.acknowledge(acting_user=user, student=student, text=new)
    assert (third.text.version, third.moment) == (2, Moment.NEW_VERSION)
    # Acknowledging again is idempotent.
    assert services.acknowledge(acting_user=user, student=student, text=new) == third


def test_only_the_student_herself_acknowledges():
    student = f.StudentFactory()
    f.student_user(student)
    with pytest.raises(PermissionDenied):
        services.acknowledge(
            acting_user=f.school_staff_user(student.school),
            student=student,
            text=selectors.current_text(),
        )


def test_announcing_a_period_is_limited_to_the_own_school():
    programme = f.ProgrammeFactory()
    other_staff = f.school_staff_user(f.SchoolFactory())
    with pytest.raises(PermissionDenied):
        services.announce_internship_period(
            acting_user=other_staff, programme=programme, starts_on=timezone.localdate()
        )
    staff = f.school_staff_user(programme.school)
    with pytest.raises(ValidationError):
        services.announce_internship_period(
            acting_user=staff,
            programme=programme,
            starts_on=timezone.localdate() - dt.timedelta(days=1),
        )


def test_coverage_for_school_staff_by_programme_and_not_informed_list():
    programme_a = f.ProgrammeFactory()
    programme_b = f.ProgrammeFactory(school=programme_a.school)
    informed = [f.StudentFactory(programme=programme_a) for _ in range(3)]
    not_informed = [
        f.StudentFactory(programme=programme_a),
        f.StudentFactory(programme=programme_b),
    ]
    other_school_student = f.StudentFactory()
    text = selectors.current_text()
    for student in informed:
        services.acknowledge(acting_user=f.student_user(student), student=student, text=text)
    staff = f.school_staff_user(programme_a.school)
    client = Client()
    client.force_login(staff)
    response = client.get("/voorlichting/dekking/")
    assert response.status_code == 200
    rows = {
        r.label: (r.total, r.informed, r.percentage) for r in response.context["programme_rows"]
    }
    label_a = f"{programme_a.qualification.title} (BOL)"
    label_b = f"{programme_b.qualification.title} (BOL)"
    assert rows == {label_a: (4, 3, 75.0), label_b: (1, 0, 0.0)}
    listed = {s.pk for s in response.context["page_obj"].object_list}
    assert listed == {s.pk for s in not_informed}
    assert other_school_student.pk not in listed
    assert "national_rows" not in response.context


def test_national_coverage_for_analysts_is_aggregate_only():
    a = f.StudentFactory(given_name="Quirijntje", family_name="Onvindbaar-Uniek")
    f.StudentFactory()
    services.acknowledge(acting_user=f.student_user(a), student=a, text=selectors.current_text())
    client = Client()
    client.force_login(f.UserFactory(role=Role.ANALYST))
    response = client.get("/voorlichting/dekking/")
    assert response.status_code == 200
    total = response.context["national_total"]
    assert (total.total, total.informed, total.percentage) == (2, 1, 50.0)
    html = response.content.decode()
    assert str(a.family_name) not in html  # never a person
    assert "page_obj" not in response.context


def test_reminders_once_per_student_per_version_per_week():
    reader = f.StudentFactory()
    reader_user = f.student_user(reader)
    services.acknowledge(acting_user=reader_user, student=reader, text=selectors.current_text())
    owing = f.StudentFactory()
    owing_user = f.student_user(owing)
    f.StudentFactory()  # no account: cannot be mailed
    assert send_reminders() == 1
    message = OutboxMessage.objects.get()
    assert message.to == owing_user.email
    assert "/voorlichting/" in message.body
    assert send_reminders() == 0  # same week: no second mail
    next_week = timezone.now() + dt.timedelta(days=7)
    assert services.send_reminders(now=next_week) == 1
    assert OutboxMessage.objects.filter(to=owing_user.email).count() == 2


def test_staff_announce_period_through_the_page():
    programme = f.ProgrammeFactory()
    staff = f.school_staff_user(programme.school)
    client = Client()
    client.force_login(staff)
    starts = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    response = client.post(
        "/voorlichting/stageperiode/", {"programme": programme.pk, "starts_on": starts}
    )
    assert response.status_code == 302
    assert AuditLog.objects.filter(event_type=AuditEvent.VOORLICHTING_PERIOD_ANNOUNCED).exists()
    empty = client.post("/voorlichting/stageperiode/", {}, follow=True)
    assert "Opleiding: kies een opleiding." in empty.content.decode()


def test_publish_requires_both_languages():
    with pytest.raises(ValidationError):
        services.publish_text(acting_user=None, title_nl="x", title_en="", body_nl="y", body_en="z")
    assert InformationText.objects.count() == 1


def test_text_markup_is_escaped():
    services.publish_text(
        acting_user=None,
        title_nl="<b>Titel</b>",
        title_en="T",
        body_nl="## Kop\n<script>alert(1)</script>\n- punt",
        body_en="E",
    )
    html = Client().get("/voorlichting/").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("bad", ["abc", "1.5", "", "-1"])
def test_acknowledge_with_a_malformed_text_id_is_404_not_500(bad):
    from django.test import Client

    student = f.StudentFactory()
    client = Client()
    client.force_login(f.student_user(student))
    assert client.post("/voorlichting/gelezen/", {"text": bad}).status_code == 404
