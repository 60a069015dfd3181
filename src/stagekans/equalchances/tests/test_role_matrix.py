"""Every new page answers every role with the expected status."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from stagekans.accounts.roles import Role
from stagekans.equalchances import selectors, services
from stagekans.testing import factories as f
from stagekans.testing.equalchances import POLICY_ANSWERS, fill_scan

ROLES = [
    "anon",
    "student",
    "staff",
    "trainer",
    "advisor",
    "investigator",
    "teamlead",
    "meldpunt",
    "analyst",
    "admin",
]

MATRIX: dict[str, list[int]] = {
    #                     anon stud staf trai advi inve lead meld anal admi
    "scan_home": [302, 403, 403, 200, 403, 403, 403, 403, 403, 403],
    "scan_fill": [302, 403, 403, 200, 403, 403, 403, 403, 403, 403],
    "scan_result": [302, 403, 403, 200, 403, 403, 403, 403, 403, 403],
    "scan_aggregates": [302, 403, 403, 403, 200, 403, 403, 403, 200, 403],
    "scan_aggregates_csv": [302, 403, 403, 403, 200, 403, 403, 403, 200, 403],
    "version_list": [302, 403, 403, 403, 200, 403, 403, 403, 403, 403],
    "version_detail": [302, 403, 403, 403, 200, 403, 403, 403, 403, 403],
    "question_edit": [302, 403, 403, 403, 200, 403, 403, 403, 403, 403],
    "policy": [302, 403, 403, 200, 403, 403, 403, 403, 403, 403],
    "policy_document": [302, 404, 404, 200, 200, 404, 404, 404, 404, 404],
    "training": [302, 403, 403, 200, 200, 403, 403, 403, 403, 403],
    "training_register": [302, 403, 403, 403, 200, 403, 403, 403, 403, 403],
    "training_coverage": [302, 403, 403, 403, 200, 403, 403, 403, 200, 403],
    "training_coverage_csv": [302, 403, 403, 403, 200, 403, 403, 403, 200, 403],
    "webinar_list": [302, 403, 403, 403, 200, 403, 403, 403, 403, 403],
    "webinar_edit": [302, 403, 403, 403, 200, 403, 403, 403, 403, 403],
    "webinar_create": [302, 403, 403, 403, 200, 403, 403, 403, 403, 403],
}


@pytest.fixture
def world(db):
    student = f.StudentFactory()
    company = f.CompanyFactory()
    users = {
        "anon": None,
        "student": f.student_user(student),
        "staff": f.school_staff_user(student.school),
        "trainer": f.trainer_user(company),
        "advisor": f.UserFactory(role=Role.SBB_ADVISOR),
        "investigator": f.UserFactory(role=Role.SBB_INVESTIGATOR),
        "teamlead": f.UserFactory(role=Role.SBB_TEAM_LEAD),
        "meldpunt": f.UserFactory(role=Role.MELDPUNT),
        "analyst": f.UserFactory(role=Role.ANALYST),
        "admin": f.UserFactory(role=Role.ADMIN),
    }
    result = fill_scan(user=users["trainer"], pick=1)
    policy = services.record_policy(
        acting_user=users["trainer"],
        company=company,
        answers=POLICY_ANSWERS,
        document=SimpleUploadedFile("beleid.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    version = selectors.current_version()
    question = selectors.questions_of(version)[0]
    urls = {
        "scan_home": "/gelijke-kansen/zelfscan/",
        "scan_fill": "/gelijke-kansen/zelfscan/invullen/",
        "scan_result": f"/gelijke-kansen/zelfscan/resultaat/{result.pk}/",
        "scan_aggregates": "/gelijke-kansen/zelfscan/cijfers/",
        "scan_aggregates_csv": "/gelijke-kansen/zelfscan/cijfers/?per=provincie&formaat=csv",
        "version_list": "/gelijke-kansen/zelfscan/versies/",
        "version_detail": f"/gelijke-kansen/zelfscan/versies/{version.pk}/",
        "question_edit": f"/gelijke-kansen/zelfscan/vragen/{question.pk}/",
        "policy": "/gelijke-kansen/beleid/",
        "policy_document": f"/gelijke-kansen/beleid/{policy.pk}/document/",
        "training": "/gelijke-kansen/webinars/",
        "training_register": "/gelijke-kansen/webinars/registreren/",
        "training_coverage": "/gelijke-kansen/webinars/bereik/",
        "training_coverage_csv": "/gelijke-kansen/webinars/bereik/?formaat=csv",
        "webinar_list": "/gelijke-kansen/webinars/beheer/",
        "webinar_create": "/gelijke-kansen/webinars/beheer/nieuw/",
        "webinar_edit": f"/gelijke-kansen/webinars/beheer/{selectors.active_webinars()[0].pk}/",
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
        status = client.get(urls[page]).status_code
        if status != expected:
            failures.append(f"{page}: {status} (expected {expected})")
    assert not failures, failures
