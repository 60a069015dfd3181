"""Publishing a new version of the information text: the page, the permission, the audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.testing import factories as f
from stagekans.voorlichting import selectors, services
from stagekans.voorlichting.models import InformationText, Moment

pytestmark = pytest.mark.django_db

URL = "/voorlichting/publiceren/"
NEW = {
    "title_nl": "Discriminatie bij je stage (bijgewerkt)",
    "body_nl": "## Wat is het?\nUitleg.\n\n- punt een\n- punt twee",
    "title_en": "Discrimination in your internship (updated)",
    "body_en": "## What is it?\nExplanation.",
}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_meldpunt_sees_the_current_texts_prefilled_and_the_versions():
    current = selectors.current_text()
    response = _client(f.UserFactory(role=Role.MELDPUNT)).get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["title_nl"].value() == current.title_nl
    assert form["body_en"].value() == current.body_en
    html = response.content.decode()
    assert "Gepubliceerde versies" in html and "<caption>" in html
    assert "## " in str(form["body_nl"].help_text)  # the markup rules are shown


def test_meldpunt_home_card_links_to_the_page_and_others_do_not():
    html = _client(f.UserFactory(role=Role.MELDPUNT)).get("/").content.decode()
    assert URL in html
    analyst_html = _client(f.UserFactory(role=Role.ANALYST)).get("/").content.decode()
    assert URL not in analyst_html


def test_meldpunt_publishes_version_two_audited_and_students_read_again():
    student = f.StudentFactory()
    student_user = f.student_user(student)
    services.acknowledge(acting_user=student_user, student=student, text=selectors.current_text())
    student_client = _client(student_user)
    assert 'data-testid="voorlichting-banner"' not in student_client.get("/").content.decode()

    meldpunt = f.UserFactory(role=Role.MELDPUNT)
    response = _client(meldpunt).post(URL, NEW, follow=True)
    assert response.redirect_chain[-1] == (URL, 302)
    assert "Versie 2 is gepubliceerd" in response.content.decode()

    text = selectors.current_text()
    assert text is not None
    assert (text.version, text.title_nl, text.body_en) == (
        2,
        NEW["title_nl"],
        NEW["body_en"],
    )
    assert text.published_by == meldpunt
    log = AuditLog.objects.get(event_type=AuditEvent.VOORLICHTING_PUBLISHED)
    assert log.details == {"version": 2}
    assert log.actor_id == meldpunt.pk

    assert selectors.pending_moment(student) == Moment.NEW_VERSION
    assert selectors.needs_reading(student_user) == (text, Moment.NEW_VERSION)
    assert 'data-testid="voorlichting-banner"' in student_client.get("/").content.decode()


@pytest.mark.parametrize("role", [Role.STUDENT, Role.ANALYST, Role.SCHOOL_STAFF, Role.SBB_ADVISOR])
def test_others_get_403_and_nothing_is_written(role):
    user = (
        f.school_staff_user(f.SchoolFactory())
        if role == Role.SCHOOL_STAFF
        else f.student_user(f.StudentFactory())
        if role == Role.STUDENT
        else f.UserFactory(role=role)
    )
    client = _client(user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, NEW).status_code == 403
    assert InformationText.objects.count() == 1
    assert not AuditLog.objects.filter(event_type=AuditEvent.VOORLICHTING_PUBLISHED).exists()


def test_anonymous_is_sent_to_login():
    response = Client().get(URL)
    assert response.status_code == 302 and "inloggen" in response["Location"]


def test_empty_fields_are_400_with_dutch_messages_and_nothing_written():
    response = _client(f.UserFactory(role=Role.MELDPUNT)).post(
        URL, {"title_nl": "", "body_nl": "   ", "title_en": "", "body_en": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    for message in (
        "Titel (Nederlands): vul de titel in.",
        "Tekst (Nederlands): vul de tekst in.",
        "Titel (Engels): vul de titel in.",
        "Tekst (Engels): vul de tekst in.",
    ):
        assert message in html
    assert 'aria-invalid="true"' in html
    assert InformationText.objects.count() == 1
    assert not AuditLog.objects.filter(event_type=AuditEvent.VOORLICHTING_PUBLISHED).exists()


def test_too_long_title_is_rejected():
    data = {**NEW, "title_en": "x" * 201}
    response = _client(f.UserFactory(role=Role.MELDPUNT)).post(URL, data)
    assert response.status_code == 400
    assert "Titel (Engels): gebruik hoogstens 200 tekens." in response.content.decode()
    assert InformationText.objects.count() == 1


def test_service_refuses_a_user_without_the_permission():
    with pytest.raises(PermissionDenied):
        services.publish_text(acting_user=f.UserFactory(role=Role.ANALYST), **NEW)
    assert InformationText.objects.count() == 1
    assert not AuditLog.objects.filter(event_type=AuditEvent.VOORLICHTING_PUBLISHED).exists()


def test_meldpunt_role_holds_the_permission():
    assert f.UserFactory(role=Role.MELDPUNT).has_perm("voorlichting.publish_text")
