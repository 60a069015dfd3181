"""Role × page matrix for every application page, and what each role sees on them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from stagekans.accounts.roles import Role
from stagekans.applications import services
from stagekans.applications.models import Application
from stagekans.applications.workflow import ApplicationStatus, RejectionReason
from stagekans.testing import applications as t
from stagekans.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting() -> dict[str, Any]:
    w = t.world()
    application = t.send(w)
    other_school_student, other_student_login = factories.StudentFactory(), None
    other_student_login = factories.student_user(other_school_student)
    users = {
        "student": w.student_login,
        "other_student": other_student_login,
        "trainer": w.trainer,
        "other_trainer": factories.trainer_user(factories.CompanyFactory()),
        "coordinator": w.coordinator,
        "other_coordinator": factories.school_staff_user(factories.SchoolFactory()),
        "advisor": factories.UserFactory(role=Role.SBB_ADVISOR),
        "meldpunt": factories.UserFactory(role=Role.MELDPUNT),
        "analyst": factories.UserFactory(role=Role.ANALYST),
        "admin": factories.UserFactory(role=Role.ADMIN),
    }
    return {"w": w, "application": application, "users": users}


PAGES = {
    "apply": lambda s: reverse("applications:apply", args=[s["w"].vacancy.pk]),
    "my": lambda s: reverse("applications:my_applications"),
    "student_detail": lambda s: reverse("applications:student_detail", args=[s["application"].pk]),
    "inbox": lambda s: reverse("applications:company_inbox"),
    "inbox_vacancy": lambda s: (
        reverse("applications:company_inbox") + f"?vacature={s['w'].vacancy.pk}"
    ),
    "company_detail": lambda s: reverse("applications:company_detail", args=[s["application"].pk]),
    "company_reject": lambda s: reverse("applications:company_reject", args=[s["application"].pk]),
    "school": lambda s: reverse("applications:school_overview"),
    "school_detail": lambda s: reverse("applications:school_detail", args=[s["application"].pk]),
    "recommend": lambda s: reverse("applications:recommend"),
}

# expected status per (page, role); anything not listed: 403 (logged in without the permission)
EXPECTED: dict[str, dict[str, int]] = {
    "apply": {"student": 302, "other_student": 200},  # already applied: to the application
    "my": {"student": 200, "other_student": 200},
    "student_detail": {"student": 200, "other_student": 404},
    "inbox": {"trainer": 200, "other_trainer": 200},
    "inbox_vacancy": {"trainer": 200, "other_trainer": 404},
    "company_detail": {"trainer": 200, "other_trainer": 404},
    "company_reject": {"trainer": 200, "other_trainer": 404},
    "school": {"coordinator": 200, "other_coordinator": 200},
    "school_detail": {"coordinator": 200, "other_coordinator": 404},
    "recommend": {"coordinator": 200, "other_coordinator": 200},
}
ROLES = [
    "student",
    "other_student",
    "trainer",
    "other_trainer",
    "coordinator",
    "other_coordinator",
    "advisor",
    "meldpunt",
    "analyst",
    "admin",
]


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_role_page_matrix(setting: dict[str, Any], client: Client, page: str, role: str) -> None:
    client.force_login(setting["users"][role])
    response = client.get(PAGES[page](setting))
    assert response.status_code == EXPECTED[page].get(role, 403)


@pytest.mark.parametrize("page", list(PAGES))
def test_anonymous_is_sent_to_login(setting: dict[str, Any], client: Client, page: str) -> None:
    response = client.get(PAGES[page](setting))
    assert response.status_code == 302 and "inloggen" in response["Location"]


def test_navigation_links_each_role_to_its_page(setting: dict[str, Any], client: Client) -> None:
    for role, url, label in [
        ("student", reverse("applications:my_applications"), "Mijn sollicitaties"),
        ("trainer", reverse("applications:company_inbox"), "Sollicitaties"),
        ("coordinator", reverse("applications:school_overview"), "Sollicitaties van mijn"),
    ]:
        client.force_login(setting["users"][role])
        html = client.get("/").content.decode()
        assert f'href="{url}"' in html and label in html


def test_the_vacancy_page_offers_apply_to_a_student_and_recommend_to_a_coordinator(
    setting: dict[str, Any], client: Client
) -> None:
    url = reverse("stagemarkt:vacancy_detail", args=[setting["w"].vacancy.pk])
    client.force_login(setting["users"]["student"])
    assert (
        reverse("applications:apply", args=[setting["w"].vacancy.pk])
        in client.get(url).content.decode()
    )
    client.force_login(setting["users"]["coordinator"])
    assert reverse("applications:recommend") in client.get(url).content.decode()


def test_a_student_applies_through_the_form_and_bad_input_writes_nothing(client: Client) -> None:
    w = t.world()
    client.force_login(w.student_login)
    url = reverse("applications:apply", args=[w.vacancy.pk])
    response = client.post(url, {"motivation": f"Groet, {t.GIVEN_NAME}"})
    assert response.status_code == 400
    assert t.GIVEN_NAME in response.content.decode()  # the message names the word
    assert not Application.objects.exists()
    response = client.post(
        url, {"motivation": "Ik wil graag leren.", "availability": "Vanaf september"}
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:student_detail", args=[application.pk])


def test_company_flow_through_the_pages(setting: dict[str, Any], client: Client) -> None:
    application = setting["application"]
    client.force_login(setting["users"]["trainer"])
    detail = reverse("applications:company_detail", args=[application.pk])
    client.get(detail)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SEEN
    response = client.post(
        reverse("applications:company_reject", args=[application.pk]), {"reason": ""}
    )
    assert response.status_code == 400
    client.post(reverse("applications:company_action", args=[application.pk, "uitnodigen"]))
    client.post(reverse("applications:company_action", args=[application.pk, "aanbieden"]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.OFFERED
    client.force_login(setting["users"]["student"])
    client.post(reverse("applications:student_action", args=[application.pk, "accepteren"]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED and application.placement_id
    client.force_login(setting["users"]["coordinator"])
    html = client.get(reverse("applications:school_detail", args=[application.pk])).content
    assert b'data-testid="placement"' in html


def test_the_student_never_sees_the_rejection_category_or_text(
    setting: dict[str, Any], client: Client
) -> None:
    w, application = setting["w"], setting["application"]
    services.reject(
        acting_user=w.trainer,
        application=application,
        reason=RejectionReason.OTHER_CANDIDATE,
        text="Spreekt te weinig Nederlands",
    )
    client.force_login(w.student_login)
    pages = [
        reverse("applications:my_applications"),
        reverse("applications:student_detail", args=[application.pk]),
        reverse("api-applications-mine"),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "gaat niet verder" in body
        reason = RejectionReason.OTHER_CANDIDATE
        for leak in (reason.value, str(reason.label), "te weinig Nederlands"):
            assert leak not in body, (url, leak)
    # the school sees the reason, for follow-up
    client.force_login(w.coordinator)
    school = client.get(reverse("applications:school_detail", args=[application.pk]))
    assert str(RejectionReason.OTHER_CANDIDATE.label) in school.content.decode().lower()


def test_recommend_through_the_form(setting: dict[str, Any], client: Client) -> None:
    w = setting["w"]
    vacancy = w.vacancy_for()
    client.force_login(w.coordinator)
    response = client.post(
        reverse("applications:recommend"),
        {"student": w.student.pk, "vacancy": vacancy.pk, "recommendation": "Zeer gemotiveerd."},
    )
    application = Application.objects.get(vacancy=vacancy)
    assert response.status_code == 302 and application.recommended_by is not None
    other = factories.StudentFactory()  # another school: not in the choices
    response = client.post(
        reverse("applications:recommend"),
        {"student": other.pk, "vacancy": vacancy.pk, "recommendation": "Goed."},
    )
    assert response.status_code == 400


@pytest.mark.parametrize("n", [3, 30])
def test_school_overview_queries_do_not_grow_with_rows(
    n: int, client: Client, django_assert_max_num_queries: Any
) -> None:
    w = t.world()
    for _ in range(n):
        student, login = w.other_student()
        t.send(w, student=student, login=login)
    client.force_login(w.coordinator)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("applications:school_overview"))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="application-row"') == min(n, 25)


@pytest.mark.parametrize("n", [3, 30])
def test_company_inbox_queries_do_not_grow_with_rows(
    n: int, client: Client, django_assert_max_num_queries: Any
) -> None:
    w = t.world()
    for _ in range(n):
        student, login = w.other_student()
        t.send(w, student=student, login=login)
    client.force_login(w.trainer)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("applications:company_inbox"))
    assert response.status_code == 200
    rows = response.content.decode().count('data-testid="application-row"')
    assert rows == min(n, 25)


def test_a_vacancy_for_another_qualification_is_refused_before_the_student_writes_anything():
    w = t.world()
    other = factories.VacancyFactory(publish=True)  # another qualification
    client = Client()
    client.force_login(w.student_login)
    url = reverse("applications:apply", args=[other.pk])
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="refusal"' in body and "eigen opleiding" in body
    assert "Sollicitatie versturen" not in body  # no form to fill in for nothing
    posted = client.post(url, {"motivation": "Ik wil graag bij jullie leren."})
    assert posted.status_code == 400 and not Application.objects.exists()
    own = client.get(reverse("applications:apply", args=[w.vacancy.pk]))
    assert own.status_code == 200 and "Sollicitatie versturen" in own.content.decode()
