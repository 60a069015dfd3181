"""THE PRIVACY MATRIX: a company never obtains a student's identity before it invites them —
through any page, API endpoint, export, mail or notification it can reach. After invitation
the detail page and API show name and school e-mail; student number, date of birth and home
postcode never.

Companies have no CSV/export of applications (none exists); the in-app notification of a
company is its mail in the outbox, checked below.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from stagekans.applications import services
from stagekans.applications.models import Application
from stagekans.notifications.models import OutboxMessage
from stagekans.testing import applications as t

pytestmark = pytest.mark.django_db

IDENTITY = [t.GIVEN_NAME, t.FAMILY_NAME, t.EMAIL]
NEVER = [
    t.STUDENT_NUMBER,
    t.DATE_OF_BIRTH.strftime("%d-%m-%Y"),
    t.DATE_OF_BIRTH.isoformat(),
    "14 maart 2008",
    "14-3-2008",
    t.POSTCODE,
    t.POSTCODE.replace(" ", ""),
    "Groningen",  # home place
]


def _surfaces(w: t.World, application: Application) -> dict[str, Callable[[Client], str]]:
    """Everything a company user can open about this application, as text."""

    def page(url: str) -> Callable[[Client], str]:
        def get(client: Client) -> str:
            response = client.get(url)
            assert response.status_code in (200, 404), (url, response.status_code)
            if response.status_code != 200:
                return ""
            if response.streaming:
                return b"".join(response.streaming_content).decode(errors="replace")
            return response.content.decode()

        return get

    def mails(client: Client) -> str:
        return "\n".join(
            f"{m.subject}\n{m.body}"
            for m in OutboxMessage.objects.filter(to=w.trainer.email).order_by("id")
        )

    inbox = reverse("applications:company_inbox")
    api = reverse("api-applications-company")
    return {
        "home": page("/"),
        "inbox": page(inbox),
        "inbox_vacancy": page(f"{inbox}?vacature={w.vacancy.pk}"),
        "inbox_sent": page(f"{inbox}?status=sent"),
        "inbox_seen": page(f"{inbox}?status=seen"),
        "detail": page(reverse("applications:company_detail", args=[application.pk])),
        "reject_form": page(reverse("applications:company_reject", args=[application.pk])),
        "cv": page(reverse("applications:company_cv", args=[application.pk])),
        "my_vacancies": page(reverse("stagemarkt:my_vacancies")),
        "manage_vacancy": page(reverse("stagemarkt:manage_vacancy", args=[w.vacancy.pk])),
        "vacancy_public": page(reverse("stagemarkt:vacancy_detail", args=[w.vacancy.pk])),
        "api_list": page(api),
        "api_list_vacancy": page(f"{api}?vacature={w.vacancy.pk}"),
        "api_detail": page(reverse("api-applications-company-detail", args=[application.pk])),
        "mail": mails,
    }


SURFACES = [
    "home",
    "inbox",
    "inbox_vacancy",
    "inbox_sent",
    "inbox_seen",
    "detail",
    "reject_form",
    "cv",
    "my_vacancies",
    "manage_vacancy",
    "vacancy_public",
    "api_list",
    "api_list_vacancy",
    "api_detail",
    "mail",
]


def _application(w: t.World, how: str) -> Application:
    if how == "recommended":
        return services.recommend(
            acting_user=w.coordinator,
            student=w.student,
            vacancy=w.vacancy,
            recommendation="Zorgzaam en nauwkeurig; past goed bij een team in de ouderenzorg.",
        )
    cv = SimpleUploadedFile(
        "cv.pdf",
        f"%PDF-1.4 {t.GIVEN_NAME} {t.FAMILY_NAME} {t.EMAIL}".encode(),
        content_type="application/pdf",
    )
    return t.send(w, cv=cv)


@pytest.mark.parametrize("how", ["applied", "recommended"])
@pytest.mark.parametrize("surface", SURFACES)
def test_no_identity_before_invitation(client: Client, surface: str, how: str) -> None:
    w = t.world()
    application = _application(w, how)
    client.force_login(w.trainer)
    # open everything once first (marks the application seen), then look again
    for get in _surfaces(w, application).values():
        get(client)
    text = _surfaces(w, application)[surface](client)
    for fragment in IDENTITY + NEVER + [w.school.name]:
        assert fragment.casefold() not in text.casefold(), (surface, fragment)
    application.refresh_from_db()
    assert application.invited_at is None


@pytest.mark.parametrize("surface", SURFACES)
def test_after_invitation_name_and_email_but_never_more(client: Client, surface: str) -> None:
    w = t.world()
    application = _application(w, "applied")
    services.invite(acting_user=w.trainer, application=application)
    client.force_login(w.trainer)
    text = _surfaces(w, application)[surface](client)
    for fragment in NEVER:
        assert fragment.casefold() not in text.casefold(), (surface, fragment)
    if surface in ("detail", "api_detail"):
        for fragment in IDENTITY:
            assert fragment in text, (surface, fragment)


def test_the_cv_opens_for_the_company_only_after_invitation(client: Client) -> None:
    w = t.world()
    application = _application(w, "applied")
    client.force_login(w.trainer)
    url = reverse("applications:company_cv", args=[application.pk])
    assert client.get(url).status_code == 404
    services.invite(acting_user=w.trainer, application=application)
    response = client.get(url)
    assert response.status_code == 200
    assert t.FAMILY_NAME.encode() in b"".join(response.streaming_content)


def test_the_anonymised_serializer_has_no_identity_field_at_all() -> None:
    from stagekans.applications.api import (
        AnonymisedApplicationSerializer,
        RevealedApplicationSerializer,
    )

    anonymised = set(AnonymisedApplicationSerializer().fields)
    forbidden = {
        "name",
        "given_name",
        "family_name",
        "email",
        "student_number",
        "date_of_birth",
        "age",
        "gender",
        "postcode",
        "address",
        "school",
        "photo",
        "student",
    }
    assert not anonymised & forbidden
    assert set(RevealedApplicationSerializer().fields) - anonymised == {"name", "email"}


def test_other_companies_see_nothing_of_it(client: Client) -> None:
    from stagekans.testing import factories

    w = t.world()
    application = _application(w, "applied")
    services.invite(acting_user=w.trainer, application=application)
    client.force_login(factories.trainer_user(factories.CompanyFactory()))
    for url in (
        reverse("applications:company_detail", args=[application.pk]),
        reverse("api-applications-company-detail", args=[application.pk]),
        reverse("applications:company_cv", args=[application.pk]),
    ):
        assert client.get(url).status_code == 404
    body: Any = client.get(reverse("api-applications-company")).json()
    assert body["results"] == []
