"""Issue 9, defect 8: a vacancy page shows how to apply and reach the company."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditLog
from stagekans.companies import services as company_services
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db


def _contact(company, **overrides):
    values = {
        "contact_name": "Fatima Bakker",
        "contact_email": "stage@bedrijf.nl",
        "contact_phone": "030-1234567",
        "publish_contact_email": True,
        "publish_contact_phone": False,
        "how_to_apply": "Stuur een korte motivatie en je cv.",
    }
    values.update(overrides)
    return company_services.update_contact(acting_user=None, company=company, **values)


def test_vacancy_page_shows_published_contact_only():
    vacancy = f.VacancyFactory(publish=True)
    _contact(vacancy.company)
    html = Client().get(reverse("stagemarkt:vacancy_detail", args=[vacancy.pk])).content.decode()
    assert "Solliciteren en contact" in html
    assert "Fatima Bakker" in html
    assert "mailto:stage@bedrijf.nl" in html
    assert "Stuur een korte motivatie" in html
    assert "030-1234567" not in html  # the company chose not to publish the phone number


def test_vacancy_page_without_contact_says_what_to_do():
    vacancy = f.VacancyFactory(publish=True)
    html = Client().get(reverse("stagemarkt:vacancy_detail", args=[vacancy.pk])).content.decode()
    assert "nog geen contactgegevens" in html and "stagecoördinator" in html


def test_logged_in_student_sees_travel_distance_from_home():
    vacancy = f.VacancyFactory(publish=True)  # location: 3511 AB Utrecht
    student = f.StudentFactory(postcode="6511 AB", place="Nijmegen")
    user = f.student_user(student)
    client = Client()
    client.force_login(user)
    html = client.get(reverse("stagemarkt:vacancy_detail", args=[vacancy.pk])).content.decode()
    assert "Afstand vanaf je woonplaats Nijmegen" in html
    km = float(html.split("Nijmegen: ")[1].split(" km")[0].replace(",", "."))
    assert 50 < km < 70  # Utrecht–Nijmegen is about 60 km as the crow flies
    anonymous = Client().get(reverse("stagemarkt:vacancy_detail", args=[vacancy.pk]))
    assert "Afstand vanaf je woonplaats" not in anonymous.content.decode()


def test_company_admin_manages_contact_through_the_form():
    company = f.CompanyFactory()
    admin = f.UserFactory(role=Role.COMPANY_TRAINER)
    company_services.add_trainer(
        acting_user=None, company=company, user=admin, is_company_admin=True
    )
    client = Client()
    client.force_login(admin)
    url = reverse("companies:contact_edit", args=[company.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "contact_name": "Jan de Vries",
            "contact_email": "",
            "publish_contact_email": "on",
            "contact_phone": "06 12345678",
            "publish_contact_phone": "on",
            "how_to_apply": "Bel even.",
        },
    )
    assert response.status_code == 400
    assert "Vul een e-mailadres in" in response.content.decode()
    response = client.post(
        url,
        {
            "contact_name": "Jan de Vries",
            "contact_email": "jan@bedrijf.nl",
            "contact_phone": "06 12345678",
            "publish_contact_phone": "on",
            "how_to_apply": "Bel even.",
        },
    )
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.contact_phone == "06 12345678" and company.publish_contact_phone
    assert not company.publish_contact_email
    assert AuditLog.objects.filter(
        event_type="company.contact_updated", object_id=str(company.pk)
    ).exists()


def test_only_the_company_admin_may_change_contact():
    company = f.CompanyFactory()
    plain = f.trainer_user(company)  # a trainer, not the company's administrator
    other_company_admin = f.UserFactory(role=Role.COMPANY_TRAINER)
    company_services.add_trainer(
        acting_user=None,
        company=f.CompanyFactory(),
        user=other_company_admin,
        is_company_admin=True,
    )
    for user in (plain, other_company_admin):
        with pytest.raises(PermissionDenied):
            _contact(company).refresh_from_db()  # system may
            company_services.update_contact(
                acting_user=user,
                company=company,
                contact_name="X",
                contact_email="",
                contact_phone="",
                publish_contact_email=False,
                publish_contact_phone=False,
                how_to_apply="",
            )
    client = Client()
    client.force_login(plain)
    assert client.get(reverse("companies:contact_edit", args=[company.pk])).status_code == 403
    with pytest.raises(ValidationError):
        _contact(company, contact_phone="bel me", publish_contact_phone=True)
