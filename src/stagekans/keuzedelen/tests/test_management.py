"""Managing agreements and offerings through the services: who may create, sign, propose a
version, offer, change and close; Dutch validation that writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import cast

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.education.models import School
from stagekans.keuzedelen import selectors
from stagekans.keuzedelen.checks import FRIDAY, TUESDAY, WEDNESDAY
from stagekans.keuzedelen.models import (
    AgreementPartner,
    AgreementVersion,
    CooperationAgreement,
    Offering,
)
from stagekans.keuzedelen.services import agreements, catalogue, enrolment
from stagekans.keuzedelen.workflow import EnrolmentStatus, VersionStatus
from stagekans.testing import factories as f
from stagekans.testing.keuzedelen import keuzedeel, network, sign_by_all, terms

pytestmark = pytest.mark.django_db


def _school(place: str = "Utrecht") -> School:
    return cast(School, f.SchoolFactory(place=place))


def _events(event: AuditEvent) -> int:
    return AuditLog.objects.filter(event_type=event.value).count()


# -- creating an agreement --------------------------------------------------------------------
def test_a_partner_coordinator_creates_an_agreement_that_starts_unsigned() -> None:
    host, home = _school(), _school()
    home_staff = f.school_staff_user(home)
    version = agreements.create_agreement(
        acting_user=home_staff, title="Pabo Noord", host=host, partners=[host, home], terms=terms()
    )
    assert (version.version, version.status) == (1, VersionStatus.SIGNING)
    assert version.created_by == home_staff
    assert not version.partners.filter(signed_at__isnull=False).exists()
    assert selectors.active_version(version.agreement) is None
    assert _events(AuditEvent.COOPERATION_VERSION_PROPOSED) == 1


@pytest.mark.parametrize("who", ["outsider", "student", "trainer", "admin", "anonymous"])
def test_only_a_coordinator_of_a_partner_may_create_an_agreement(who: str) -> None:
    host, home = _school(), _school()
    student = f.StudentFactory(programme=f.ProgrammeFactory(school=home))
    users = {
        "outsider": lambda: f.school_staff_user(_school()),
        "student": lambda: f.student_user(student),
        "trainer": lambda: f.trainer_user(f.CompanyFactory()),
        "admin": lambda: f.UserFactory(role=Role.ADMIN),
        "anonymous": lambda: None,
    }
    with pytest.raises(PermissionDenied):
        agreements.create_agreement(
            acting_user=users[who](), title="X", host=host, partners=[host, home], terms=terms()
        )
    assert not CooperationAgreement.objects.exists()
    assert _events(AuditEvent.COOPERATION_VERSION_PROPOSED) == 0


def test_invalid_agreement_terms_write_nothing() -> None:
    host = _school()
    with pytest.raises(ValidationError) as error:
        agreements.create_agreement(
            acting_user=f.school_staff_user(host),
            title="Pabo",
            host=host,
            partners=[host],
            terms=terms(finance_terms="", shared_day=FRIDAY | WEDNESDAY),
        )
    assert {"partners", "finance_terms", "shared_day"} <= set(error.value.message_dict)
    assert "minstens twee instellingen" in " ".join(error.value.message_dict["partners"])
    assert not CooperationAgreement.objects.exists()
    assert not AgreementVersion.objects.exists()
    assert not AgreementPartner.objects.exists()
    assert _events(AuditEvent.COOPERATION_VERSION_PROPOSED) == 0


# -- signing ----------------------------------------------------------------------------------
def test_a_non_partner_cannot_sign_and_a_student_cannot_either() -> None:
    net = network(signed=False)
    with pytest.raises(PermissionDenied):
        agreements.sign_version(acting_user=f.school_staff_user(_school()), version=net.version)
    with pytest.raises(PermissionDenied):
        agreements.sign_version(acting_user=net.student_user, version=net.version)
    assert not net.version.partners.filter(signed_at__isnull=False).exists()
    assert _events(AuditEvent.COOPERATION_SIGNED) == 0


# -- a new version ----------------------------------------------------------------------------
def test_a_new_version_keeps_the_old_one_and_resets_the_signatures() -> None:
    net = network()
    v2 = agreements.propose_version(
        acting_user=net.home_staff,
        agreement=net.version.agreement,
        partners=[net.host, net.home],
        terms=terms(finance_per_student=Decimal("500.00")),
        change_summary="Vergoeding geïndexeerd.",
    )
    assert (v2.version, v2.status, v2.created_by) == (2, VersionStatus.SIGNING, net.home_staff)
    assert not v2.partners.filter(signed_at__isnull=False).exists()
    net.version.refresh_from_db()
    assert net.version.status == VersionStatus.ACTIVE
    assert net.version.partners.filter(signed_at__isnull=False).count() == 2
    assert net.version.finance_per_student == Decimal("450.00")
    assert selectors.current_version(net.version.agreement) == v2
    v2 = sign_by_all(v2, {net.host.pk: net.host_staff, net.home.pk: net.home_staff})
    net.version.refresh_from_db()
    assert (net.version.status, v2.status) == (VersionStatus.SUPERSEDED, VersionStatus.ACTIVE)


def test_a_non_partner_cannot_propose_a_version() -> None:
    net = network()
    outsider = f.school_staff_user(_school())
    with pytest.raises(PermissionDenied):
        agreements.propose_version(
            acting_user=outsider,
            agreement=net.version.agreement,
            partners=[net.host, net.home],
            terms=terms(),
            change_summary="Overname.",
        )
    with pytest.raises(PermissionDenied):
        agreements.propose_version(
            acting_user=net.student_user,
            agreement=net.version.agreement,
            partners=[net.host, net.home],
            terms=terms(),
            change_summary="Ik wil ook.",
        )
    assert net.version.agreement.versions.count() == 1


def test_a_school_left_out_of_the_current_version_can_no_longer_propose() -> None:
    net = network()
    third = _school()
    third_staff = f.school_staff_user(third)
    staff = {net.host.pk: net.host_staff, net.home.pk: net.home_staff, third.pk: third_staff}
    v2 = agreements.propose_version(
        acting_user=net.host_staff,
        agreement=net.version.agreement,
        partners=[net.host, net.home, third],
        terms=terms(),
        change_summary="Een derde partner.",
    )
    sign_by_all(v2, staff)
    v3 = agreements.propose_version(
        acting_user=net.host_staff,
        agreement=net.version.agreement,
        partners=[net.host, third],
        terms=terms(),
        change_summary="De eigen school stopt.",
    )
    sign_by_all(v3, staff)
    with pytest.raises(PermissionDenied):
        agreements.propose_version(
            acting_user=net.home_staff,
            agreement=net.version.agreement,
            partners=[net.host, net.home],
            terms=terms(),
            change_summary="Terug.",
        )


def test_an_invalid_version_writes_nothing() -> None:
    net = network()
    with pytest.raises(ValidationError) as error:
        agreements.propose_version(
            acting_user=net.host_staff,
            agreement=net.version.agreement,
            partners=[net.home],
            terms=terms(insurance=" "),
            change_summary=" ",
        )
    assert {"partners", "insurance"} <= set(error.value.message_dict)
    assert net.version.agreement.versions.count() == 1
    with pytest.raises(ValidationError, match="Beschrijf wat er verandert"):
        agreements.propose_version(
            acting_user=net.host_staff,
            agreement=net.version.agreement,
            partners=[net.host, net.home],
            terms=terms(),
            change_summary=" ",
        )
    assert net.version.agreement.versions.count() == 1


# -- offerings --------------------------------------------------------------------------------
def _offer(net, **overrides):
    values = {
        "acting_user": net.host_staff,
        "keuzedeel": keuzedeel(title="Ondernemerschap"),
        "agreement": net.version.agreement,
        "location_name": "Campus Zernike",
        "place": "Groningen",
        "weekdays": WEDNESDAY,
        "start_date": dt.date.today() + dt.timedelta(days=14),
        "end_date": dt.date.today() + dt.timedelta(days=120),
        "places": 12,
        "min_niveau": 2,
        "entry_conditions": "Motivatiebrief.",
    }
    values.update(overrides)
    return catalogue.create_offering(**values)


def test_the_host_offers_a_keuzedeel_and_partners_see_it_in_the_catalogue() -> None:
    net = network()
    offering = _offer(net)
    assert offering.host == net.host and offering.published
    assert offering.place == "Groningen" and offering.latitude > 53
    assert selectors.offerings().filter(pk=offering.pk).exists()
    assert selectors.offering_visible_to(net.home_staff, offering.pk) == offering
    assert selectors.shared_day_warning(offering) == ""


@pytest.mark.parametrize("who", ["home", "outsider", "student"])
def test_only_the_host_offers_under_an_agreement(who: str) -> None:
    net = network()
    before = Offering.objects.count()
    user = {
        "home": net.home_staff,
        "outsider": f.school_staff_user(_school()),
        "student": net.student_user,
    }[who]
    with pytest.raises(PermissionDenied):
        _offer(net, acting_user=user)
    assert Offering.objects.count() == before


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"places": 0}, "places", "minstens één plaats"),
        (
            {"end_date": dt.date.today() + dt.timedelta(days=14)},
            "end_date",
            "na de begindatum",
        ),
        ({"weekdays": 0}, "weekdays", "minstens één lesdag"),
        ({"weekdays": 32}, "weekdays", "maandag tot en met vrijdag"),
        ({"place": "Atlantis"}, "place", "niet bekend"),
        ({"location_name": " "}, "location_name", "locatie"),
        (
            {
                "start_date": dt.date.today() - dt.timedelta(days=90),
                "end_date": dt.date.today() - dt.timedelta(days=10),
            },
            "end_date",
            "verleden",
        ),
    ],
)
def test_invalid_offerings_are_refused_in_dutch_and_write_nothing(overrides, field, text) -> None:
    net = network()
    before = Offering.objects.count()
    with pytest.raises(ValidationError) as error:
        _offer(net, **overrides)
    assert text in " ".join(error.value.message_dict[field])
    assert Offering.objects.count() == before
    assert _events(AuditEvent.KEUZEDEEL_OFFERING_CREATED) == before


def test_a_period_without_any_lesson_day_is_refused() -> None:
    net = network()
    monday = dt.date.today() + dt.timedelta(days=7 - dt.date.today().weekday())
    with pytest.raises(ValidationError, match="geen enkele les"):
        _offer(net, start_date=monday, end_date=monday + dt.timedelta(days=1), weekdays=FRIDAY)


def test_an_offering_off_the_shared_day_is_allowed_with_a_warning() -> None:
    net = network()
    offering = _offer(net, weekdays=TUESDAY)
    warning = selectors.shared_day_warning(offering)
    assert "dinsdag" in warning and "woensdag" in warning and "jonger dan 18" in warning


def test_no_offering_under_an_agreement_whose_only_version_was_withdrawn() -> None:
    net = network(signed=False)
    agreements.withdraw_version(acting_user=net.host_staff, version=net.version, reason="Fout.")
    with pytest.raises(ValidationError, match="geen versie"):
        _offer(net)


def test_the_host_changes_an_offering_and_it_is_audited() -> None:
    net = network()
    changed = catalogue.update_offering(
        acting_user=net.host_staff,
        offering=net.offering,
        location_name="Campus Noord",
        place="Assen",
        weekdays=net.offering.weekdays,
        start_date=net.offering.start_date,
        end_date=net.offering.end_date,
        places=20,
        min_niveau=3,
        entry_conditions="",
    )
    assert (changed.place, changed.places, changed.location_name) == ("Assen", 20, "Campus Noord")
    log = AuditLog.objects.get(event_type=AuditEvent.KEUZEDEEL_OFFERING_CHANGED.value)
    assert log.details["changed"]["places"] == ["10", "20"]
    assert log.actor == net.host_staff


def _placed_request(net):
    request = enrolment.request_keuzedeel(
        acting_user=net.student_user, student=net.student, offering=net.offering
    )
    request = enrolment.decide_home(acting_user=net.home_staff, enrolment=request, approve=True)
    request = enrolment.decide_host(acting_user=net.host_staff, enrolment=request, accept=True)
    assert request.status == EnrolmentStatus.ACCEPTED
    return request


def _update(net, user=None, **overrides):
    o = net.offering
    values = {
        "location_name": o.location_name,
        "place": o.place,
        "weekdays": o.weekdays,
        "start_date": o.start_date,
        "end_date": o.end_date,
        "places": o.places,
        "min_niveau": o.min_niveau,
        "entry_conditions": o.entry_conditions,
    }
    values.update(overrides)
    return catalogue.update_offering(acting_user=user or net.host_staff, offering=o, **values)


def test_with_students_placed_the_day_and_period_are_fixed_and_places_cannot_drop() -> None:
    net = network(places=3)
    _placed_request(net)
    second = f.StudentFactory(
        programme=net.student.programme,
        date_of_birth=net.student.date_of_birth,
        place="Assen",
        postcode="9401 AB",
        cohort=2025,
    )
    request = enrolment.request_keuzedeel(
        acting_user=net.home_staff, student=second, offering=net.offering
    )
    request = enrolment.decide_home(acting_user=net.home_staff, enrolment=request, approve=True)
    enrolment.decide_host(acting_user=net.host_staff, enrolment=request, accept=True)
    with pytest.raises(ValidationError) as error:
        _update(net, weekdays=FRIDAY)
    assert "liggen vast" in " ".join(error.value.message_dict["weekdays"])
    with pytest.raises(ValidationError) as error:
        _update(net, end_date=net.offering.end_date + dt.timedelta(days=7))
    assert "liggen vast" in " ".join(error.value.message_dict["weekdays"])
    with pytest.raises(ValidationError) as error:
        _update(net, places=1)
    assert "al 2 studenten geplaatst" in " ".join(error.value.message_dict["places"])
    net.offering.refresh_from_db()
    assert (net.offering.weekdays, net.offering.places) == (WEDNESDAY, 3)
    assert _events(AuditEvent.KEUZEDEEL_OFFERING_CHANGED) == 0
    _update(net, places=2)  # exactly the placed students: allowed
    net.offering.refresh_from_db()
    assert net.offering.places == 2


def test_only_the_host_changes_or_closes_an_offering() -> None:
    net = network()
    for user in (net.home_staff, f.school_staff_user(_school()), net.student_user):
        with pytest.raises(PermissionDenied):
            _update(net, user=user, places=50)
        with pytest.raises(PermissionDenied):
            catalogue.close_offering(acting_user=user, offering=net.offering, reason="Weg.")
    net.offering.refresh_from_db()
    assert net.offering.published and net.offering.places == 10


def test_closing_stops_new_requests_but_keeps_running_ones() -> None:
    net = network()
    placed = _placed_request(net)
    with pytest.raises(ValidationError):
        catalogue.close_offering(acting_user=net.host_staff, offering=net.offering, reason=" ")
    closed = catalogue.close_offering(
        acting_user=net.host_staff, offering=net.offering, reason="Te weinig docenten."
    )
    assert not closed.published and closed.closed_reason == "Te weinig docenten."
    assert not selectors.offerings().filter(pk=closed.pk).exists()
    assert selectors.offering_visible_to(net.host_staff, closed.pk) == closed
    assert selectors.offering_visible_to(net.home_staff, closed.pk) is None
    placed.refresh_from_db()
    assert placed.status == EnrolmentStatus.ACCEPTED
    other = f.StudentFactory(programme=net.student.programme, place="Assen", postcode="9401 AB")
    with pytest.raises(ValidationError, match="niet \\(meer\\) open"):
        enrolment.request_keuzedeel(acting_user=net.home_staff, student=other, offering=closed)
    with pytest.raises(ValidationError, match="al gesloten"):
        catalogue.close_offering(acting_user=net.host_staff, offering=closed, reason="Nog eens.")
    assert _events(AuditEvent.KEUZEDEEL_OFFERING_CLOSED) == 1
