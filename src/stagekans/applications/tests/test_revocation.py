"""A revoked recognition closes the open applications to that company for that crebo (end to
end through the register's four-eyes revocation), and the preview says so beforehand."""

from __future__ import annotations

import pytest

from stagekans.accounts.roles import Role
from stagekans.applications import services
from stagekans.applications.models import Application
from stagekans.applications.workflow import ApplicationStatus, CloseReason
from stagekans.register import services as register_services
from stagekans.register.hooks import _revocation_handlers, revocation_effects
from stagekans.register.models import Recognition
from stagekans.stagemarkt import services as stagemarkt_services
from stagekans.stagemarkt.workflow import VacancyStatus
from stagekans.testing import applications as t
from stagekans.testing import factories

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def test_the_handler_is_registered_by_the_app_config() -> None:
    assert services.close_for_revoked_recognition in _revocation_handlers


def test_revocation_closes_open_applications_of_that_company_and_crebo_only() -> None:
    w = t.world()
    published = t.send(w)
    # an application whose vacancy was taken offline to rework it (draft): closed too
    second_vacancy = w.vacancy_for()
    on_draft = t.send(w, vacancy=second_vacancy)
    stagemarkt_services.unpublish_vacancy(acting_user=w.trainer, vacancy=second_vacancy)
    # an accepted one stays accepted (the placement side handles running placements)
    other, other_login = w.other_student()
    accepted = t.offered(w, student=other, login=other_login, vacancy=w.vacancy_for(places=2))
    services.accept(acting_user=other_login, application=accepted)
    # another company, same crebo: untouched
    elsewhere_location = factories.LocationFactory()
    factories.RecognitionFactory(
        company=elsewhere_location.company, qualification=w.vacancy.qualification
    )
    elsewhere_vacancy = factories.VacancyFactory(
        location=elsewhere_location,
        company=elsewhere_location.company,
        qualification=w.vacancy.qualification,
        publish=True,
    )
    third, third_login = w.other_student()
    elsewhere = t.send(w, student=third, login=third_login, vacancy=elsewhere_vacancy)

    recognition = Recognition.objects.get(company=w.company, qualification=w.vacancy.qualification)
    effects = " ".join(revocation_effects(recognition=recognition))
    assert "2 open sollicitaties worden gesloten" in effects

    adviser, second = (factories.UserFactory(role=Role.SBB_ADVISOR) for _ in range(2))
    revocation = register_services.request_revocation(
        acting_user=adviser,
        recognition=recognition,
        reason="Besluit na onderzoek naar discriminatie bij werving.",
        decision_reference="SBB-2026-042",
    )
    register_services.approve_revocation(acting_user=second, revocation=revocation)

    for application, status, reason in [
        (published, S.CLOSED, CloseReason.RECOGNITION_REVOKED),
        (on_draft, S.CLOSED, CloseReason.RECOGNITION_REVOKED),
        (accepted, S.ACCEPTED, ""),
        (elsewhere, S.SENT, ""),
    ]:
        application.refresh_from_db()
        assert (application.status, application.close_reason) == (status, reason)
    w.vacancy.refresh_from_db()
    assert w.vacancy.status == VacancyStatus.WITHDRAWN
    assert Application.objects.filter(status=S.CLOSED).count() == 2
