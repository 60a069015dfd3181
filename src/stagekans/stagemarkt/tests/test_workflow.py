"""Every vacancy life-cycle transition, allowed and forbidden: as a table and via services."""

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError

from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.register.models import Recognition
from stagekans.register.workflow import RecognitionStatus
from stagekans.stagemarkt import services
from stagekans.stagemarkt.workflow import (
    ALLOWED_TRANSITIONS,
    TransitionNotAllowed,
    VacancyStatus,
    check_transition,
)
from stagekans.testing.factories import (
    CompanyFactory,
    LocationFactory,
    QualificationFactory,
    RecognitionFactory,
    VacancyFactory,
)

S = VacancyStatus
STATES = [None, *S]
ALLOWED = {
    (None, S.DRAFT),
    (S.DRAFT, S.PUBLISHED),
    (S.DRAFT, S.WITHDRAWN),
    (S.PUBLISHED, S.DRAFT),
    (S.PUBLISHED, S.FILLED),
    (S.PUBLISHED, S.WITHDRAWN),
}


@pytest.mark.parametrize(("current", "target"), list(itertools.product(STATES, list(S))))
def test_transition_table(current, target):
    if (current, target) in ALLOWED:
        check_transition(current, target)
    else:
        with pytest.raises(TransitionNotAllowed):
            check_transition(current, target)


def test_table_matches_the_documented_set():
    actual = {(c, t) for c, targets in ALLOWED_TRANSITIONS.items() for t in targets}
    assert actual == ALLOWED


SERVICE = {
    S.PUBLISHED: services.publish_vacancy,
    S.DRAFT: services.unpublish_vacancy,
    S.FILLED: services.fill_vacancy,
    S.WITHDRAWN: services.withdraw_vacancy,
}
EVENT = {
    S.PUBLISHED: AuditEvent.VACANCY_PUBLISHED,
    S.DRAFT: AuditEvent.VACANCY_UNPUBLISHED,
    S.FILLED: AuditEvent.VACANCY_FILLED,
    S.WITHDRAWN: AuditEvent.VACANCY_WITHDRAWN,
}
PATH_TO = {
    S.DRAFT: [],
    S.PUBLISHED: [S.PUBLISHED],
    S.FILLED: [S.PUBLISHED, S.FILLED],
    S.WITHDRAWN: [S.WITHDRAWN],
}


def _vacancy_in(state):
    vacancy = VacancyFactory()
    for step in PATH_TO[state]:
        vacancy = SERVICE[step](acting_user=None, vacancy=vacancy)
    assert vacancy.status == state
    return vacancy


@pytest.mark.django_db
@pytest.mark.parametrize(("current", "target"), list(itertools.product(list(S), list(S))))
def test_every_transition_through_the_services(current, target):
    vacancy = _vacancy_in(current)
    before = AuditLog.objects.filter(event_type=EVENT[target].value).count()
    if (current, target) in ALLOWED:
        changed = SERVICE[target](acting_user=None, vacancy=vacancy)
        changed.refresh_from_db()
        assert changed.status == target
        log = AuditLog.objects.filter(event_type=EVENT[target].value).order_by("-id").first()
        assert log.object_id == str(vacancy.pk)
        assert log.details["from"] == current.value and log.details["to"] == target.value
    else:
        with pytest.raises(TransitionNotAllowed):
            SERVICE[target](acting_user=None, vacancy=vacancy)
        vacancy.refresh_from_db()
        assert vacancy.status == current
        assert AuditLog.objects.filter(event_type=EVENT[target].value).count() == before


@pytest.mark.django_db
def test_create_makes_an_audited_draft_with_search_columns():
    vacancy = VacancyFactory(features=1)
    assert vacancy.status == S.DRAFT
    assert vacancy.niveau == vacancy.qualification.niveau
    assert vacancy.sector == vacancy.qualification.sector
    assert (vacancy.latitude, vacancy.longitude) == (
        vacancy.location.latitude,
        vacancy.location.longitude,
    )
    assert vacancy.search_features == 1
    assert AuditLog.objects.filter(
        event_type=AuditEvent.VACANCY_CREATED.value, object_id=str(vacancy.pk)
    ).exists()


@pytest.mark.django_db
def test_cannot_create_for_a_qualification_without_recognition():
    location = LocationFactory()
    other = QualificationFactory()
    with pytest.raises(ValidationError) as error:
        VacancyFactory(location=location, qualification=other)
    assert "niet geldig erkend" in str(error.value.message_dict["qualification"])


@pytest.mark.django_db
def test_cannot_publish_with_only_a_requested_recognition():
    vacancy = VacancyFactory()
    Recognition.objects.filter(
        company_id=vacancy.company_id, qualification_id=vacancy.qualification_id
    ).update(status=RecognitionStatus.REQUESTED)
    with pytest.raises(ValidationError, match="niet geldig erkend"):
        services.publish_vacancy(acting_user=None, vacancy=vacancy)
    vacancy.refresh_from_db()
    assert vacancy.status == S.DRAFT


@pytest.mark.django_db
@pytest.mark.parametrize("status", [RecognitionStatus.REVOKED, RecognitionStatus.EXPIRED])
def test_revoked_or_expired_company_cannot_publish(status):
    vacancy = VacancyFactory()
    Recognition.objects.filter(
        company_id=vacancy.company_id, qualification_id=vacancy.qualification_id
    ).update(status=status)
    with pytest.raises(ValidationError, match="niet geldig erkend"):
        services.publish_vacancy(acting_user=None, vacancy=vacancy)
    vacancy.refresh_from_db()
    assert vacancy.status == S.DRAFT
    assert not AuditLog.objects.filter(event_type=AuditEvent.VACANCY_PUBLISHED.value).exists()


@pytest.mark.django_db
def test_recognition_for_another_crebo_does_not_count():
    vacancy = VacancyFactory()
    RecognitionFactory(company=vacancy.company)  # recognised for something else
    Recognition.objects.filter(
        company_id=vacancy.company_id, qualification_id=vacancy.qualification_id
    ).update(status=RecognitionStatus.REVOKED)
    with pytest.raises(ValidationError):
        services.publish_vacancy(acting_user=None, vacancy=vacancy)


@pytest.mark.django_db
def test_cannot_publish_after_the_end_date():
    vacancy = VacancyFactory(
        start_date=dt.date.today() - dt.timedelta(days=60),
        end_date=dt.date.today() - dt.timedelta(days=1),
    )
    with pytest.raises(ValidationError, match="verleden"):
        services.publish_vacancy(acting_user=None, vacancy=vacancy)


@pytest.mark.django_db
def test_location_must_belong_to_the_company():
    vacancy = VacancyFactory()
    foreign = LocationFactory(company=CompanyFactory())
    with pytest.raises(ValidationError) as error:
        services.update_vacancy(acting_user=None, vacancy=vacancy, location=foreign)
    assert "location" in error.value.message_dict


@pytest.mark.django_db
def test_end_before_start_is_refused():
    with pytest.raises(ValidationError) as error:
        VacancyFactory(end_date=dt.date.today())
    assert "end_date" in error.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize("state", [S.FILLED, S.WITHDRAWN])
def test_closed_vacancies_cannot_be_edited(state):
    vacancy = _vacancy_in(state)
    with pytest.raises(ValidationError, match="niet meer"):
        services.update_vacancy(acting_user=None, vacancy=vacancy, title="Nieuw")


@pytest.mark.django_db
def test_update_is_audited_and_published_stays_published():
    vacancy = _vacancy_in(S.PUBLISHED)
    services.update_vacancy(acting_user=None, vacancy=vacancy, title="Andere titel")
    vacancy.refresh_from_db()
    assert vacancy.title == "Andere titel" and vacancy.status == S.PUBLISHED
    log = AuditLog.objects.get(event_type=AuditEvent.VACANCY_UPDATED.value)
    assert log.details["after"] == {"title": "Andere titel"}


@pytest.mark.django_db
def test_company_profile_features_flow_into_the_search_column():
    vacancy = VacancyFactory(features=1)
    services.update_company_profile(
        acting_user=None, company=vacancy.company, features=8, inclusivity_text=" Welkom! "
    )
    vacancy.refresh_from_db()
    assert vacancy.features == 1 and vacancy.search_features == 9
    assert vacancy.company.stagemarkt_profile.inclusivity_text == "Welkom!"
    assert AuditLog.objects.filter(event_type=AuditEvent.COMPANY_PROFILE_UPDATED.value).exists()
    later = VacancyFactory(location=vacancy.location, qualification=vacancy.qualification)
    assert later.search_features == 8
