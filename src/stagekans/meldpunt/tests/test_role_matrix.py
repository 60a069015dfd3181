"""The meldpunt and voorlichting pages answer every role with the expected status."""

from __future__ import annotations

import pytest
from django.test import Client

from stagekans.accounts.roles import Role
from stagekans.testing import factories as f

ROLES = [
    "anon",
    "student",
    "staff",
    "trainer",
    "advisor",
    "investigator",
    "meldpunt",
    "analyst",
    "admin",
]

MATRIX: dict[str, list[int]] = {
    #                        anon stud staf trai advi inve meld anal admi
    "report": [200, 200, 200, 200, 200, 200, 200, 200, 200],
    "follow": [200, 200, 200, 200, 200, 200, 200, 200, 200],
    "follow_report": [302, 302, 302, 302, 302, 302, 302, 302, 302],
    "own_reports": [302, 200, 200, 403, 403, 403, 403, 403, 403],
    "own_report": [302, 200, 404, 403, 403, 403, 403, 403, 403],
    "queue": [302, 403, 403, 403, 403, 403, 200, 403, 403],
    "report_detail": [302, 403, 403, 403, 403, 403, 200, 403, 403],
    "statistics": [302, 403, 403, 403, 403, 403, 200, 200, 403],
    "voorlichting": [200, 200, 200, 200, 200, 200, 200, 200, 200],
    "coverage": [302, 403, 200, 403, 403, 403, 403, 200, 200],
}


@pytest.fixture
def world(db):
    student = f.StudentFactory()
    users = {
        "anon": None,
        "student": f.student_user(student),
        "staff": f.school_staff_user(student.school),
        "trainer": f.trainer_user(f.CompanyFactory()),
        "advisor": f.UserFactory(role=Role.SBB_ADVISOR),
        "investigator": f.UserFactory(role=Role.SBB_INVESTIGATOR),
        "meldpunt": f.UserFactory(role=Role.MELDPUNT),
        "analyst": f.UserFactory(role=Role.ANALYST),
        "admin": f.UserFactory(role=Role.ADMIN),
    }
    own = f.submit_report(acting_user=users["student"]).report
    urls = {
        "report": "/meldpunt/",
        "follow": "/meldpunt/volgen/",
        "follow_report": "/meldpunt/volgen/melding/",
        "own_reports": "/meldpunt/mijn-meldingen/",
        "own_report": f"/meldpunt/mijn-meldingen/{own.reference}/",
        "queue": "/meldpunt/werkvoorraad/",
        "report_detail": f"/meldpunt/meldingen/{own.reference}/",
        "statistics": "/meldpunt/statistiek/",
        "voorlichting": "/voorlichting/",
        "coverage": "/voorlichting/dekking/",
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
