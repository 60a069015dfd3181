"""Every new page of the support app answers every role with the expected status."""

from __future__ import annotations

import pytest
from django.test import Client

from stagekans.accounts.roles import Role
from stagekans.testing import factories as f
from stagekans.testing.support import organisation, school_signal, support_request

ROLES = [
    "anon",
    "student",
    "staff",
    "trainer",
    "advisor",
    "investigator",
    "meldpunt",
    "expert",
    "analyst",
    "admin",
]

MATRIX: dict[str, list[int]] = {
    #                  anon stud staf trai advi inve meld expe anal admi
    "signal_list": [302, 403, 200, 403, 403, 403, 403, 403, 403, 403],
    "signal_create": [302, 403, 200, 403, 403, 403, 403, 403, 403, 403],
    "signal_detail": [302, 403, 200, 403, 403, 403, 403, 403, 403, 403],
    # POST only: a GET by the school is 405, everyone else is stopped before.
    "signal_close": [302, 403, 405, 403, 403, 403, 403, 403, 403, 403],
    "signal_counts": [302, 403, 403, 403, 200, 403, 403, 403, 403, 403],
    "company_page": [302, 403, 403, 404, 200, 200, 200, 403, 403, 200],
    "request_list": [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "request_create": [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "request_detail": [302, 403, 200, 404, 403, 403, 403, 200, 403, 403],
    "team_queue": [302, 403, 403, 403, 403, 403, 403, 200, 403, 403],
    "overview": [302, 403, 403, 403, 403, 403, 403, 200, 200, 403],
    "directory": [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "directory_import": [302, 403, 403, 403, 403, 403, 200, 403, 403, 200],
    "refer": [302, 403, 403, 403, 403, 403, 200, 403, 403, 403],
}


@pytest.fixture
def world(db):
    student = f.StudentFactory()
    company = f.CompanyFactory()
    users = {
        "anon": None,
        "student": f.student_user(student),
        "staff": f.school_staff_user(student.school),
        "trainer": f.trainer_user(f.CompanyFactory()),
        "advisor": f.UserFactory(role=Role.SBB_ADVISOR),
        "investigator": f.UserFactory(role=Role.SBB_INVESTIGATOR),
        "meldpunt": f.UserFactory(role=Role.MELDPUNT),
        "expert": f.UserFactory(role=Role.EXPERT_TEAM),
        "analyst": f.UserFactory(role=Role.ANALYST),
        "admin": f.UserFactory(role=Role.ADMIN),
    }
    signal = school_signal(staff=users["staff"], company=company)
    request = support_request(requester=users["staff"])
    organisation()
    report = f.submit_report(acting_user=users["student"]).report
    urls = {
        "signal_list": "/steun/signalen/",
        "signal_create": "/steun/signalen/nieuw/",
        "signal_detail": f"/steun/signalen/{signal.pk}/",
        "signal_close": f"/steun/signalen/{signal.pk}/afsluiten/",
        "signal_counts": "/steun/signalen/per-bedrijf/",
        "company_page": f"/bedrijven/{company.pk}/",
        "request_list": "/steun/hulpvragen/",
        "request_create": "/steun/hulpvragen/nieuw/",
        "request_detail": f"/steun/hulpvragen/{request.pk}/",
        "team_queue": "/steun/deskundig-team/",
        "overview": "/steun/deskundig-team/overzicht/",
        "directory": "/steun/verwijsgids/",
        "directory_import": "/steun/verwijsgids/importeren/",
        "refer": f"/steun/doorverwijzen/{report.reference}/",
    }
    return users, urls


def test_matrix_covers_every_page(world):
    assert set(world[1]) == set(MATRIX)


@pytest.mark.parametrize("role", ROLES)
def test_role_by_page(world, role):
    users, urls = world
    client = Client()
    if users[role] is not None:
        client.force_login(users[role])
    failures = []
    for page, statuses in MATRIX.items():
        expected = statuses[ROLES.index(role)]
        response = client.get(urls[page])
        if response.status_code != expected:
            failures.append(
                f"{page} ({urls[page]}): expected {expected}, got {response.status_code}"
            )
    assert not failures, f"{role}:\n" + "\n".join(failures)
