"""School signals: own school only, and a report only with the student's consent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.meldpunt import selectors as meldpunt_selectors
from stagekans.meldpunt.models import FollowUp, Report, ReporterRole
from stagekans.meldpunt.workflow import ReportStatus
from stagekans.support import selectors, services
from stagekans.support.models import (
    ConsentGivenBy,
    ConsentMethod,
    SchoolSignal,
    SignalConsent,
    SignalOutcome,
)
from stagekans.testing import factories as f
from stagekans.testing.support import school_signal


@pytest.fixture
def world(db):
    student = f.StudentFactory()
    other_student = f.StudentFactory()
    assert other_student.school_id != student.school_id
    return {
        "student": student,
        "staff": f.school_staff_user(student.school),
        "other_staff": f.school_staff_user(other_student.school),
        "other_student": other_student,
        "company": f.CompanyFactory(),
        "meldpunt": f.UserFactory(role=Role.MELDPUNT),
    }


def consent(**overrides):
    values = {
        "consent_given": True,
        "given_by": ConsentGivenBy.STUDENT,
        "method": ConsentMethod.IN_PERSON,
        "given_on": dt.date.today(),
        "share_identity": True,
        "share_identity_with_sbb": False,
        "follow_up": FollowUp.SUPPORT,
    }
    values.update(overrides)
    return values


def test_signal_is_stored_for_the_staff_members_school(world):
    signal = school_signal(staff=world["staff"], company=world["company"], student=world["student"])
    assert signal.school == world["student"].school
    assert AuditLog.objects.filter(
        event_type=AuditEvent.SCHOOL_SIGNAL_LOGGED, object_id=str(signal.pk)
    ).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"observed": "  "}, "observed"),
        # The service's "today" is Amsterdam's (late in the UTC evening it is already tomorrow).
        ({"observed_on": timezone.localdate() + dt.timedelta(days=1)}, "observed_on"),
        ({"grounds": []}, "grounds"),
        ({"grounds": ["not-a-ground"]}, "grounds"),
        ({"phase": "x"}, "phase"),
        ({"company": None}, "company"),
        ({"outcome": SignalOutcome.RESOLVED, "conversation": ""}, "conversation"),
        ({"conversation_on": dt.date.today() - dt.timedelta(days=400)}, "conversation_on"),
    ],
)
def test_bad_signal_is_refused_and_nothing_stored(world, overrides, field):
    values = {"company": world["company"], **overrides}
    with pytest.raises(ValidationError) as error:
        school_signal(staff=world["staff"], **values)
    assert field in error.value.error_dict
    assert not SchoolSignal.objects.exists()


def test_student_of_another_school_is_refused(world):
    with pytest.raises(ValidationError) as error:
        school_signal(
            staff=world["staff"], company=world["company"], student=world["other_student"]
        )
    assert "student" in error.value.error_dict


def test_only_school_staff_log_signals(world):
    with pytest.raises(PermissionDenied):
        school_signal(staff=world["meldpunt"], company=world["company"])


def test_signals_are_visible_to_their_own_school_only(world):
    signal = school_signal(staff=world["staff"], company=world["company"])
    assert list(selectors.signals_visible_to(world["staff"])) == [signal]
    assert not selectors.signals_visible_to(world["other_staff"]).exists()
    for role in (Role.SBB_ADVISOR, Role.MELDPUNT, Role.ANALYST, Role.ADMIN, Role.EXPERT_TEAM):
        assert not selectors.signals_visible_to(f.UserFactory(role=role)).exists()
    other = Client()
    other.force_login(world["other_staff"])
    assert other.get(f"/steun/signalen/{signal.pk}/").status_code == 404
    assert world["company"].name not in other.get("/steun/signalen/").content.decode()
    with pytest.raises(PermissionDenied):
        services.update_signal(
            acting_user=world["other_staff"],
            signal=signal,
            conversation="x",
            conversation_on=dt.date.today(),
            outcome=SignalOutcome.RESOLVED,
        )
    with pytest.raises(PermissionDenied):
        services.report_signal(acting_user=world["other_staff"], signal=signal, **consent())
    assert not Report.objects.exists()


def test_no_report_without_consent(world):
    signal = school_signal(staff=world["staff"], company=world["company"], student=world["student"])
    with pytest.raises(ValidationError) as error:
        services.report_signal(
            acting_user=world["staff"], signal=signal, **consent(consent_given=False)
        )
    assert "consent_given" in error.value.error_dict
    assert not Report.objects.exists()
    assert not SignalConsent.objects.exists()
    signal.refresh_from_db()
    assert signal.report is None


def test_consent_without_who_how_when_is_refused(world):
    signal = school_signal(staff=world["staff"], company=world["company"])
    with pytest.raises(ValidationError) as error:
        services.report_signal(
            acting_user=world["staff"],
            signal=signal,
            **consent(given_by="", method="", given_on=None, share_identity=False),
        )
    assert {"given_by", "method", "given_on"} <= set(error.value.error_dict)
    assert not Report.objects.exists()


def test_report_with_consent_and_name_reaches_the_meldpunt_queue(world):
    signal = school_signal(staff=world["staff"], company=world["company"], student=world["student"])
    report = services.report_signal(
        acting_user=world["staff"], signal=signal, **consent(share_identity_with_sbb=True)
    )
    assert report.status == ReportStatus.RECEIVED
    assert report.reporter_role == ReporterRole.SCHOOL_STAFF
    assert report.reporter_user == world["staff"]
    assert report.on_behalf_of == world["student"]
    assert report.company == world["company"]
    assert report.occurred_on == signal.observed_on
    assert signal.observed in report.what_happened
    assert signal.conversation in report.what_happened
    assert [g.ground for g in report.grounds.all()] == signal.grounds
    assert report.consent_share_identity_with_sbb is True
    assert report in meldpunt_selectors.work_queue(world["meldpunt"])
    stored = SignalConsent.objects.get(signal=signal)
    assert (stored.given_by, stored.method, stored.recorded_by) == (
        ConsentGivenBy.STUDENT,
        ConsentMethod.IN_PERSON,
        world["staff"],
    )
    signal.refresh_from_db()
    assert signal.report == report
    assert AuditLog.objects.filter(
        event_type=AuditEvent.SCHOOL_SIGNAL_REPORTED, object_id=str(signal.pk)
    ).exists()
    # The staff member follows the report under "Mijn meldingen".
    assert report in meldpunt_selectors.own_reports(world["staff"])


def test_report_without_consent_to_share_the_name_is_anonymous(world):
    signal = school_signal(staff=world["staff"], company=world["company"], student=world["student"])
    report = services.report_signal(
        acting_user=world["staff"], signal=signal, **consent(share_identity=False)
    )
    assert report.on_behalf_of is None
    assert report.school == world["student"].school
    student = world["student"]
    assert student.family_name not in report.what_happened
    assert meldpunt_selectors.identity_for_sbb(report) is None
    assert report.consent_share_identity_with_sbb is False


def test_anonymous_report_is_refused_when_the_text_names_the_student(world):
    student = world["student"]
    signal = school_signal(
        staff=world["staff"],
        company=world["company"],
        student=student,
        observed=f"{student.given_name} {student.family_name} werd geweigerd om haar hoofddoek.",
    )
    with pytest.raises(ValidationError) as error:
        services.report_signal(
            acting_user=world["staff"], signal=signal, **consent(share_identity=False)
        )
    assert "share_identity" in error.value.error_dict
    assert not Report.objects.exists()


def test_name_to_sbb_needs_name_to_meldpunt_and_a_student(world):
    signal = school_signal(staff=world["staff"], company=world["company"])
    with pytest.raises(ValidationError) as error:
        services.report_signal(
            acting_user=world["staff"],
            signal=signal,
            **consent(share_identity=True, share_identity_with_sbb=True),
        )
    assert "share_identity" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.report_signal(
            acting_user=world["staff"],
            signal=signal,
            **consent(share_identity=False, share_identity_with_sbb=True),
        )
    assert "share_identity_with_sbb" in error.value.error_dict
    assert not Report.objects.exists()


def test_a_signal_becomes_one_report_only(world):
    signal = school_signal(staff=world["staff"], company=world["company"], student=world["student"])
    services.report_signal(acting_user=world["staff"], signal=signal, **consent())
    with pytest.raises(ValidationError):
        services.report_signal(acting_user=world["staff"], signal=signal, **consent())
    assert Report.objects.count() == 1


def test_report_page_flow_with_and_without_consent(world):
    signal = school_signal(staff=world["staff"], company=world["company"], student=world["student"])
    client = Client()
    client.force_login(world["staff"])
    url = f"/steun/signalen/{signal.pk}/melden/"
    refused = client.post(
        url,
        {
            "given_by": "student",
            "method": "in_person",
            "given_on": dt.date.today().isoformat(),
            "follow_up": "support",
        },
    )
    assert refused.status_code == 400
    assert "zonder toestemming" in refused.content.decode()
    assert not Report.objects.exists()
    accepted = client.post(
        url,
        {
            "consent_given": "on",
            "given_by": "student",
            "method": "in_writing",
            "given_on": dt.date.today().isoformat(),
            "share_identity": "on",
            "follow_up": "investigation",
        },
    )
    assert accepted.status_code == 302
    report = Report.objects.get()
    assert report.follow_up == FollowUp.INVESTIGATION
    page = client.get(f"/steun/signalen/{signal.pk}/").content.decode()
    assert report.reference in page


def test_signal_form_finds_the_company_by_kvk(world):
    client = Client()
    client.force_login(world["staff"])
    data = {
        "kvk_number": world["company"].kvk_number,
        "observed": "Vacature vraagt 'Nederlands als moedertaal'.",
        "observed_on": dt.date.today().isoformat(),
        "phase": "recruitment",
        "grounds": ["origin"],
        "outcome": "no_conversation_yet",
    }
    assert client.post("/steun/signalen/nieuw/", data).status_code == 302
    assert SchoolSignal.objects.get().company == world["company"]
    bad = client.post("/steun/signalen/nieuw/", {**data, "kvk_number": "12345678"})
    assert bad.status_code == 400
    assert "geen leerbedrijf" in bad.content.decode()
    assert SchoolSignal.objects.count() == 1
