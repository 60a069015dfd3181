"""The handler registered with register.hooks withdraws the company's published vacancies."""

import pytest

from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.register.hooks import _revocation_handlers, run_revocation_handlers
from stagekans.register.models import Recognition
from stagekans.stagemarkt.services import withdraw_for_revoked_recognition
from stagekans.stagemarkt.workflow import VacancyStatus
from stagekans.testing.factories import RecognitionFactory, UserFactory, VacancyFactory


def test_handler_is_registered_by_the_app_config():
    assert withdraw_for_revoked_recognition in _revocation_handlers


@pytest.mark.django_db(transaction=False)
def test_revocation_withdraws_only_published_vacancies_for_that_crebo():
    published = VacancyFactory(publish=True)
    company, qualification = published.company, published.qualification
    second = VacancyFactory(location=published.location, qualification=qualification, publish=True)
    draft = VacancyFactory(location=published.location, qualification=qualification)
    other_crebo = VacancyFactory(
        location=published.location,
        qualification=RecognitionFactory(company=company).qualification,
        publish=True,
    )
    other_company = VacancyFactory(publish=True)
    recognition = Recognition.objects.get(company_id=company.pk, qualification_id=qualification.pk)
    officer = UserFactory()

    run_revocation_handlers(recognition=recognition, acting_user=officer)

    for vacancy, expected in [
        (published, VacancyStatus.WITHDRAWN),
        (second, VacancyStatus.WITHDRAWN),
        (draft, VacancyStatus.DRAFT),
        (other_crebo, VacancyStatus.PUBLISHED),
        (other_company, VacancyStatus.PUBLISHED),
    ]:
        vacancy.refresh_from_db()
        assert vacancy.status == expected
    logs = AuditLog.objects.filter(event_type=AuditEvent.VACANCY_WITHDRAWN.value)
    assert {log.object_id for log in logs} == {str(published.pk), str(second.pk)}
    assert all(log.actor_id == officer.pk for log in logs)
    assert all(log.details["recognition"] == recognition.pk for log in logs)


@pytest.mark.django_db
def test_handler_without_published_vacancies_changes_nothing():
    recognition = RecognitionFactory()
    withdraw_for_revoked_recognition(recognition=recognition, acting_user=None)
    assert not AuditLog.objects.filter(event_type=AuditEvent.VACANCY_WITHDRAWN.value).exists()
