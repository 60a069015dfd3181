from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from stagekans.applications.models import Application
from stagekans.applications.workflow import ApplicationStatus
from stagekans.testing import applications as t

pytestmark = pytest.mark.django_db


def test_student_applies_lists_and_withdraws_through_the_api(client: Client) -> None:
    w = t.world()
    client.force_login(w.student_login)
    url = reverse("api-applications-mine")
    response = client.post(
        url,
        {"vacancy": w.vacancy.pk, "motivation": f"Groet, {t.FAMILY_NAME}"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Quarantijn" in response.json()["motivation"][0]
    response = client.post(
        url, {"vacancy": w.vacancy.pk, "motivation": "Graag!"}, content_type="application/json"
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    assert response.json()["history"][0]["status"] == "sent"
    assert [row["id"] for row in client.get(url).json()] == [pk]
    response = client.post(reverse("api-applications-withdraw", args=[pk]))
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    assert client.post(reverse("api-applications-withdraw", args=[pk])).status_code == 400


def test_roles_get_403_on_lists_of_other_roles(client: Client) -> None:
    w = t.world()
    client.force_login(w.trainer)
    assert client.get(reverse("api-applications-mine")).status_code == 403
    assert client.get(reverse("api-applications-school")).status_code == 403
    client.force_login(w.student_login)
    assert client.get(reverse("api-applications-company")).status_code == 403
    client.logout()
    assert client.get(reverse("api-applications-mine")).status_code == 403


def test_school_and_company_lists_are_keyset_pages(client: Client) -> None:
    w = t.world()
    for _ in range(27):
        student, login = w.other_student()
        t.send(w, student=student, login=login)
    client.force_login(w.coordinator)
    first = client.get(reverse("api-applications-school")).json()
    assert first["count"] == 27 and len(first["results"]) == 25 and first["next"]
    second = client.get(first["next"]).json()
    ids = [r["id"] for r in first["results"] + second["results"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 27
    client.force_login(w.trainer)
    page = client.get(reverse("api-applications-company") + "?status=sent").json()
    assert page["count"] == 27 and "name" not in page["results"][0]
    assert Application.objects.filter(status=ApplicationStatus.SENT).count() == 27
