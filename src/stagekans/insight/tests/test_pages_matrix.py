"""Role × page × export matrix; background never leaves aggregates; signals audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.background import services as background_services
from stagekans.background.models import BackgroundStatement
from stagekans.background.selectors import student_pseudonym
from stagekans.insight.models import CompanySignal
from stagekans.insight.services.recompute import recompute
from stagekans.testing import factories as f
from stagekans.testing import insight as t

pytestmark = pytest.mark.django_db

PAGES = {
    "dashboard": "/inzicht/?indeling=strategy",
    "dashboard_csv": "/inzicht/?formaat=csv&maat=placed_first&indeling=strategy",
    "pilot": "/inzicht/pilotrapport/",
    "pilot_pdf": "/inzicht/pilotrapport/?formaat=pdf",
    "simulation": "/inzicht/simulatie/?seed=3&bevooroordeeld=0.5",
    "signals": "/inzicht/signalen/",
    "signal_detail": None,
    "background": "/mijn-achtergrond/",
    "surveys": "/inzicht/vragenlijsten/",
}
EXPECTED = {
    Role.ANALYST: {"dashboard", "dashboard_csv", "pilot", "pilot_pdf", "simulation"},
    Role.ADVISORY_COMMITTEE: {"dashboard", "dashboard_csv", "pilot", "pilot_pdf", "simulation"},
    Role.SBB_ADVISOR: {"signals", "signal_detail"},
    Role.STUDENT: {"background", "surveys"},
    Role.SCHOOL_STAFF: {"surveys"},
    Role.COMPANY_TRAINER: {"surveys"},
    Role.SBB_INVESTIGATOR: set(),
    Role.SBB_TEAM_LEAD: set(),
    Role.MELDPUNT: set(),
    Role.ADMIN: set(),
}


@pytest.fixture
def world():
    s = t.setting()
    sent = timezone.make_aware(dt.datetime(2025, 10, 1, 10, 0))
    dutch = t.students(s["programme"], 30, "nl")
    outside = t.students(s["programme"], 30, "africa")
    for i, student in enumerate(dutch):
        t.apply(
            student,
            s["vacancy"],
            status="accepted" if i < 20 else "rejected",
            sent_at=sent,
            invited=i < 25,
            offered=i < 20,
            reason="" if i < 20 else "competences",
        )
    for i, student in enumerate(outside):
        t.apply(
            student,
            s["vacancy"],
            status="accepted" if i < 10 else "rejected",
            sent_at=sent,
            invited=i < 10,
            offered=i < 10,
            reason="" if i < 10 else "language",
        )
    # One student with a rare combination: a group of one must never show up anywhere.
    lonely = t.students(s["programme"], 1, "oceania")[0]
    t.declare(lonely, "gender", "other")
    t.apply(lonely, s["vacancy"], status="rejected", sent_at=sent, reason="distance")
    recompute(acting_user=None)
    return {**s, "students": [*dutch, *outside, lonely], "lonely": lonely}


def _user(role, world):
    if role == Role.STUDENT:
        return f.student_user(world["lonely"])
    if role == Role.SCHOOL_STAFF:
        return f.school_staff_user(world["school"])
    if role == Role.COMPANY_TRAINER:
        return f.trainer_user(world["vacancy"].company)
    return f.UserFactory(role=role)


@pytest.mark.parametrize("role", list(EXPECTED))
def test_role_page_matrix_and_no_person_level_background(role, world):
    client = Client()
    client.force_login(_user(role, world))
    signal = CompanySignal.objects.first()
    assert signal is not None
    names = {f"{s.given_name} {s.family_name}" for s in world["students"]}
    pseudonyms = {student_pseudonym(s.pk) for s in world["students"]}
    for page, url in PAGES.items():
        response = client.get(url or f"/inzicht/signalen/{signal.pk}/")
        expected = page in EXPECTED[role]
        assert response.status_code == (200 if expected else 403), (role, page)
        if response.status_code != 200:
            continue
        body = response.content.decode("utf-8", errors="replace")
        assert not any(p in body for p in pseudonyms), (role, page)
        if page != "background":
            # No person's name on any aggregate page or export.
            assert not any(n in body for n in names), (role, page)
            # Buiten Europa: Oceanië (1 person) and 'Anders' gender (1) never as a count of 1.
            assert "n=1)" not in body, (role, page)
        if page == "dashboard_csv":
            assert "afgeschermd" in body or "Buiten Europa" in body


def test_student_states_and_withdraws_with_separate_consent(world):
    student = f.StudentFactory()
    user = f.student_user(student)
    client = Client()
    client.force_login(user)
    # Without consent: nothing stored, a clear Dutch message.
    response = client.post(
        "/mijn-achtergrond/", {"attribute": "herkomst", "action": "state", "herkomst-value": "asia"}
    )
    assert response.status_code == 200
    assert "Zonder je uitdrukkelijke toestemming" in response.content.decode()
    pseud = student_pseudonym(student.pk)
    assert not BackgroundStatement.objects.filter(pseudonym=pseud).exists()
    response = client.post(
        "/mijn-achtergrond/",
        {
            "attribute": "herkomst",
            "action": "state",
            "herkomst-value": "asia",
            "herkomst-consent": "on",
        },
    )
    assert response.status_code == 302
    statement = BackgroundStatement.objects.get(pseudonym=pseud)
    assert statement.value == "asia" and statement.consented_at is not None
    assert "Azië" in client.get("/mijn-achtergrond/").content.decode()
    # Audit: that consent was given, never the value.
    audit = AuditLog.objects.filter(event_type=AuditEvent.BACKGROUND_STATED).latest("at")
    assert "asia" not in str(audit.details)
    client.post("/mijn-achtergrond/", {"attribute": "herkomst", "action": "withdraw"})
    assert not BackgroundStatement.objects.filter(pseudonym=pseud).exists()


def test_nobody_states_background_for_someone_else(world):
    other = f.UserFactory(role=Role.STUDENT)
    with pytest.raises(PermissionError):
        background_services.state_background(
            acting_user=other,
            student=world["lonely"],
            attribute="herkomst",
            value="nl",
            consent=True,
        )


def test_each_signal_view_is_audited(world):
    client = Client()
    adviser = f.UserFactory(role=Role.SBB_ADVISOR)
    client.force_login(adviser)
    signal = CompanySignal.objects.first()
    client.get("/inzicht/signalen/")
    client.get(f"/inzicht/signalen/{signal.pk}/")
    events = set(AuditLog.objects.filter(actor=adviser).values_list("event_type", flat=True))
    assert {AuditEvent.INSIGHT_SIGNALS_VIEWED, AuditEvent.INSIGHT_SIGNAL_VIEWED} <= events
    body = client.get(f"/inzicht/signalen/{signal.pk}/").content.decode()
    assert "nooit een automatische maatregel" in body


def test_dashboard_reads_precomputed_tables_in_constant_queries(
    world, django_assert_max_num_queries
):
    client = Client()
    client.force_login(f.UserFactory(role=Role.ANALYST))
    with django_assert_max_num_queries(15):
        response = client.get("/inzicht/?indeling=sector")
    assert response.status_code == 200
    assert "onder vier-vijfde" in response.content.decode()
