"""The learning company objects to a decision itself, in its portal (decided → objection)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.cases import services
from stagekans.cases.models import (
    CaseDecision,
    CaseStatusChange,
    DecisionOutcome,
    Measure,
    Objection,
    Party,
)
from stagekans.cases.workflow import CaseStatus
from stagekans.notifications.models import OutboxMessage
from stagekans.testing import factories as f
from stagekans.testing.history import backdate

GROUNDS = "Wij zijn het niet eens met de weging van de verklaringen."


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _decided(world):
    case = world.responded()
    decision = services.decide(
        acting_user=world.investigator,
        case=case,
        outcome=DecisionOutcome.ESTABLISHED,
        reasons="Het onderscheid bij de selectie van stagiairs staat vast.",
        measure=Measure.NONE,
    )
    case.refresh_from_db()
    return case, decision


def _company_hearing(case):
    return case.hearings.get(party=Party.COMPANY)


def _expire(decision: CaseDecision) -> None:
    backdate(
        CaseDecision.objects.filter(pk=decision.pk),
        decided_on=timezone.localdate() - dt.timedelta(weeks=7),
        objection_deadline=timezone.localdate() - dt.timedelta(days=1),
    )


# --- service ------------------------------------------------------------------------------------


def test_company_trainer_objects_within_the_deadline(world):
    case, decision = _decided(world)
    objection = services.file_objection_by_company(
        acting_user=world.trainer, case=case, grounds=f"  {GROUNDS}  "
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.OBJECTION
    assert objection.decision == decision
    assert objection.received_on == timezone.localdate()
    assert objection.registered_by == world.trainer
    assert objection.grounds == GROUNDS
    change = CaseStatusChange.objects.filter(case=case).latest("id")
    assert (change.from_status, change.to_status, change.actor) == (
        CaseStatus.DECIDED,
        CaseStatus.OBJECTION,
        world.trainer,
    )
    audit = AuditLog.objects.get(event_type=AuditEvent.CASE_OBJECTION_FILED_BY_COMPANY)
    assert audit.actor == world.trainer
    assert audit.details == {"objection": objection.pk, "decision": decision.pk}
    assert not AuditLog.objects.filter(event_type=AuditEvent.CASE_OBJECTION_REGISTERED).exists()
    mail = OutboxMessage.objects.get(dedup_key=f"case-objection:{objection.pk}:investigator")
    assert mail.to == world.investigator.email
    assert case.number in mail.subject and "Bezwaar ontvangen" in mail.subject
    # Reassessment then goes to another officer, as after a registered objection.
    with pytest.raises(ValidationError, match="andere medewerker"):
        services.reopen_assessment(
            acting_user=world.investigator,
            case=case,
            assignee=world.investigator,
            reason="Bezwaar van het leerbedrijf",
        )


def test_trainer_of_another_company_may_not_object(world):
    case, _decision = _decided(world)
    other = f.trainer_user(f.VacancyFactory(publish=True).company, email="ander@bedrijf.nl")
    with pytest.raises(PermissionDenied):
        services.file_objection_by_company(acting_user=other, case=case, grounds=GROUNDS)
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    assert not Objection.objects.exists()


@pytest.mark.parametrize("who", ["staff", "investigator", "advisor", "anonymous"])
def test_non_trainers_may_not_object_as_the_company(world, who):
    case, _decision = _decided(world)
    user = None if who == "anonymous" else getattr(world, who)
    with pytest.raises(PermissionDenied):
        services.file_objection_by_company(acting_user=user, case=case, grounds=GROUNDS)
    assert not Objection.objects.exists()


def test_objection_after_the_deadline_is_refused_in_dutch(world):
    case, decision = _decided(world)
    _expire(decision)
    with pytest.raises(ValidationError) as error:
        services.file_objection_by_company(acting_user=world.trainer, case=case, grounds=GROUNDS)
    assert "bezwaartermijn" in str(error.value) and "kan niet meer" in str(error.value)
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    assert not OutboxMessage.objects.filter(dedup_key__startswith="case-objection:").exists()


def test_objection_on_the_last_day_is_accepted(world):
    case, decision = _decided(world)
    backdate(
        CaseDecision.objects.filter(pk=decision.pk),
        decided_on=timezone.localdate() - dt.timedelta(weeks=6),
        objection_deadline=timezone.localdate(),
    )
    services.file_objection_by_company(acting_user=world.trainer, case=case, grounds=GROUNDS)
    case.refresh_from_db()
    assert case.status == CaseStatus.OBJECTION


def test_objection_only_against_a_decided_case(world):
    case = world.responded()  # assessment: no decision yet
    with pytest.raises(ValidationError) as error:
        services.file_objection_by_company(acting_user=world.trainer, case=case, grounds=GROUNDS)
    assert "alleen tegen een besluit" in str(error.value)
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSMENT


def test_second_objection_is_refused(world):
    case, _decision = _decided(world)
    services.file_objection_by_company(acting_user=world.trainer, case=case, grounds=GROUNDS)
    with pytest.raises(ValidationError):
        services.file_objection_by_company(acting_user=world.trainer, case=case, grounds=GROUNDS)
    assert Objection.objects.count() == 1


@pytest.mark.parametrize("grounds", ["", "   ", "Oneens."])
def test_empty_or_too_short_grounds_are_refused(world, grounds):
    case, _decision = _decided(world)
    with pytest.raises(ValidationError) as error:
        services.file_objection_by_company(acting_user=world.trainer, case=case, grounds=grounds)
    assert "grounds" in error.value.message_dict
    assert "Gronden" in error.value.message_dict["grounds"][0]
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED


# --- portal -------------------------------------------------------------------------------------


def test_portal_shows_the_objection_form_only_for_a_decided_case_within_the_deadline(world):
    case = world.responded()
    hearing = _company_hearing(case)
    client = _client(world.trainer)
    url = f"/onderzoek/verzoeken/{hearing.pk}/"
    assert 'data-testid="objection-form"' not in client.get(url).content.decode()
    _case, decision = _decided_from(world, case)
    page = client.get(url).content.decode()
    assert 'data-testid="objection-form"' in page
    assert "Bezwaar maken" in page
    assert decision.objection_deadline.strftime("%Y") in page
    _expire(decision)
    assert 'data-testid="objection-form"' not in client.get(url).content.decode()
    # The school never gets the form, even while the company may object.
    backdate(
        CaseDecision.objects.filter(pk=decision.pk),
        objection_deadline=timezone.localdate() + dt.timedelta(days=3),
    )
    school_hearing = case.hearings.get(party=Party.SCHOOL)
    school_page = _client(world.staff).get(f"/onderzoek/verzoeken/{school_hearing.pk}/")
    assert 'data-testid="objection-form"' not in school_page.content.decode()


def _decided_from(world, case):
    decision = services.decide(
        acting_user=world.investigator,
        case=case,
        outcome=DecisionOutcome.ESTABLISHED,
        reasons="Het onderscheid bij de selectie van stagiairs staat vast.",
        measure=Measure.NONE,
    )
    case.refresh_from_db()
    return case, decision


def test_portal_objection_post(world):
    case, _decision = _decided(world)
    hearing = _company_hearing(case)
    url = f"/onderzoek/verzoeken/{hearing.pk}/bezwaar/"
    client = _client(world.trainer)
    assert client.get(url).status_code == 405
    response = client.post(url, {"bezwaar-grounds": ""})
    assert response.status_code == 400
    assert "Gronden van het bezwaar" in response.content.decode()
    response = client.post(url, {"bezwaar-grounds": GROUNDS}, follow=True)
    assert response.redirect_chain[-1][0] == f"/onderzoek/verzoeken/{hearing.pk}/"
    assert "Uw bezwaar is ontvangen" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.OBJECTION
    assert 'data-testid="objection-form"' not in response.content.decode()


def test_portal_objection_after_deadline_shows_the_dutch_message(world):
    case, decision = _decided(world)
    _expire(decision)
    hearing = _company_hearing(case)
    response = _client(world.trainer).post(
        f"/onderzoek/verzoeken/{hearing.pk}/bezwaar/", {"bezwaar-grounds": GROUNDS}
    )
    assert response.status_code == 400
    assert "bezwaar maken kan niet meer" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED


def test_portal_objection_scoping(world):
    case, _decision = _decided(world)
    hearing = _company_hearing(case)
    school_hearing = case.hearings.get(party=Party.SCHOOL)
    data = {"bezwaar-grounds": GROUNDS}
    other = f.trainer_user(f.VacancyFactory(publish=True).company, email="ander@bedrijf.nl")
    assert (
        _client(other).post(f"/onderzoek/verzoeken/{hearing.pk}/bezwaar/", data).status_code == 404
    )
    # School staff see their own hearing request, but may not object for the company.
    assert (
        _client(world.staff)
        .post(f"/onderzoek/verzoeken/{school_hearing.pk}/bezwaar/", data)
        .status_code
        == 403
    )
    assert (
        _client(world.investigator)
        .post(f"/onderzoek/verzoeken/{hearing.pk}/bezwaar/", data)
        .status_code
        == 403
    )
    student = f.UserFactory(role=Role.STUDENT)
    assert (
        _client(student).post(f"/onderzoek/verzoeken/{hearing.pk}/bezwaar/", data).status_code
        == 403
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    assert not Objection.objects.exists()
