"""Every keuzedelen and study-advice page answers every role with the expected status."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from stagekans.accounts.roles import Role
from stagekans.keuzedelen.services import enrolment
from stagekans.studyadvice import services as advice_services
from stagekans.studyadvice.models import AdviceKind
from stagekans.testing import factories as f
from stagekans.testing.keuzedelen import network

ROLES = [
    "anon",
    "student",
    "other_student",
    "home",
    "host",
    "other_staff",
    "trainer",
    "advisor",
    "investigator",
    "team_lead",
    "meldpunt",
    "analyst",
    "admin",
]
PDF = b"%PDF-1.4\n%%EOF\n"

MATRIX: dict[str, list[int]] = {
    #                   anon stu  ost  home host oth  trai advi inve lead meld anal admi
    "catalogue":       [302, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403],
    "offering":        [302, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403],
    "group_request":   [302, 403, 403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403],
    "attendance":      [302, 403, 403, 404, 200, 404, 403, 403, 403, 403, 403, 403, 403],
    "request_list":    [302, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403],
    "request_detail":  [302, 200, 404, 200, 200, 404, 404, 404, 404, 404, 404, 404, 404],
    "agreement_list":  [302, 403, 403, 200, 200, 200, 403, 403, 403, 403, 403, 200, 200],
    "agreement":       [302, 403, 403, 200, 200, 404, 403, 403, 403, 403, 403, 200, 200],
    "agreement_v1":    [302, 403, 403, 200, 200, 404, 403, 403, 403, 403, 403, 200, 200],
    "agreement_new":   [302, 403, 403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403],
    "new_version":     [302, 403, 403, 200, 200, 404, 403, 403, 403, 403, 403, 403, 403],
    "offering_new":    [302, 403, 403, 403, 200, 404, 403, 403, 403, 403, 403, 403, 403],
    "offering_edit":   [302, 403, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403],
    "offering_close":  [302, 403, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403],
    "timetable":       [302, 403, 403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403],
    "overview":        [302, 403, 403, 200, 200, 200, 403, 403, 403, 403, 403, 200, 200],
    "advice_list":     [302, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403],
    "give_advice":     [302, 403, 403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403],
    "marked_years":    [302, 403, 403, 200, 200, 200, 403, 403, 403, 403, 403, 200, 200],
    "mark_document":   [302, 404, 404, 200, 404, 404, 404, 404, 404, 404, 404, 200, 200],
    "report":          [302, 403, 403, 200, 200, 200, 403, 403, 403, 403, 403, 200, 200],
}  # fmt: skip


@pytest.fixture
def world(db):
    net = network()
    request = enrolment.request_keuzedeel(
        acting_user=net.student_user, student=net.student, offering=net.offering
    )
    other_student = f.StudentFactory()
    mark = advice_services.mark_school_year(
        acting_user=net.home_staff,
        school=net.home,
        school_year=2025,
        reason="Sluiting.",
        document=PDF,
    )
    advice_services.give_advice(
        acting_user=net.home_staff,
        student=net.student,
        kind=AdviceKind.POSITIVE,
        binding=False,
        advice_date=dt.date(2026, 6, 1),
        reasoning="Goed bezig.",
    )
    users = {
        "anon": None,
        "student": net.student_user,
        "other_student": f.student_user(other_student),
        "home": net.home_staff,
        "host": net.host_staff,
        "other_staff": f.school_staff_user(other_student.school),
        "trainer": f.trainer_user(f.CompanyFactory()),
        "advisor": f.UserFactory(role=Role.SBB_ADVISOR),
        "investigator": f.UserFactory(role=Role.SBB_INVESTIGATOR),
        "team_lead": f.UserFactory(role=Role.SBB_TEAM_LEAD),
        "meldpunt": f.UserFactory(role=Role.MELDPUNT),
        "analyst": f.UserFactory(role=Role.ANALYST),
        "admin": f.UserFactory(role=Role.ADMIN),
    }
    agreement = net.version.agreement_id
    urls = {
        "catalogue": "/keuzedelen/",
        "offering": f"/keuzedelen/aanbod/{net.offering.pk}/",
        "group_request": f"/keuzedelen/aanbod/{net.offering.pk}/groep/",
        "attendance": f"/keuzedelen/aanbod/{net.offering.pk}/aanwezigheid/",
        "request_list": "/keuzedelen/aanvragen/",
        "request_detail": f"/keuzedelen/aanvragen/{request.pk}/",
        "agreement_list": "/keuzedelen/samenwerking/",
        "agreement": f"/keuzedelen/samenwerking/{agreement}/",
        "agreement_v1": f"/keuzedelen/samenwerking/{agreement}/versie/1/",
        "agreement_new": "/keuzedelen/samenwerking/nieuw/",
        "new_version": f"/keuzedelen/samenwerking/{agreement}/nieuwe-versie/",
        "offering_new": f"/keuzedelen/samenwerking/{agreement}/aanbod/nieuw/",
        "offering_edit": f"/keuzedelen/aanbod/{net.offering.pk}/wijzigen/",
        "offering_close": f"/keuzedelen/aanbod/{net.offering.pk}/sluiten/",
        "timetable": "/keuzedelen/rooster/",
        "overview": "/keuzedelen/overzicht/",
        "advice_list": "/studieadvies/",
        "give_advice": "/studieadvies/nieuw/",
        "marked_years": "/studieadvies/schooljaren/",
        "mark_document": f"/studieadvies/schooljaren/{mark.pk}/besluit/",
        "report": "/studieadvies/rapport/",
    }
    return users, urls


def test_matrix_covers_every_page(world) -> None:
    assert set(world[1]) == set(MATRIX)


@pytest.mark.parametrize("role", ROLES)
def test_role_by_page(world, role) -> None:
    users, urls = world
    client = Client()
    if users[role] is not None:
        client.force_login(users[role])
    failures = []
    for page, statuses in MATRIX.items():
        expected = statuses[ROLES.index(role)]
        status = client.get(urls[page]).status_code
        if status != expected:
            failures.append(f"{page}: expected {expected}, got {status}")
    assert not failures, f"{role}: " + "; ".join(failures)
