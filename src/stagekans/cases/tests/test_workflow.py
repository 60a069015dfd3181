"""The transition table (allowed and forbidden paths), the hearing guard, deadlines in Dutch
working days, decisions, revocation through the register, objection by another officer."""

from __future__ import annotations

import datetime as dt
import io
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.cases import selectors, services
from stagekans.cases.letters import decision_letter_pdf
from stagekans.cases.models import (
    CaseDecision,
    CaseStatusChange,
    DecisionOutcome,
    HearingRequest,
    Measure,
    Party,
)
from stagekans.cases.workflow import (
    ALLOWED_TRANSITIONS,
    CaseStatus,
    HearingIncomplete,
    TransitionNotAllowed,
    check_transition,
)
from stagekans.core.workdays import add_working_days, is_working_day
from stagekans.notifications.models import OutboxMessage
from stagekans.register.models import RevocationRequest, RevocationState
from stagekans.register.services import approve_revocation, reject_revocation
from stagekans.register.workflow import RecognitionStatus
from stagekans.stagemarkt.selectors import public_vacancies
from stagekans.testing.history import backdate

S = CaseStatus

ALLOWED = [
    (S.NEW, S.UNDER_INVESTIGATION),
    (S.NEW, S.CLOSED),
    (S.UNDER_INVESTIGATION, S.HEARING),
    (S.UNDER_INVESTIGATION, S.CLOSED),
    (S.HEARING, S.ASSESSMENT),
    (S.ASSESSMENT, S.HEARING),
    (S.ASSESSMENT, S.DECIDED),
    (S.DECIDED, S.OBJECTION),
    (S.DECIDED, S.CLOSED),
    (S.OBJECTION, S.ASSESSMENT),
]
FORBIDDEN = [pair for pair in itertools.product(S, S) if pair not in ALLOWED]


@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_allowed_transitions(current, target):
    check_transition(current, target)


@pytest.mark.parametrize(("current", "target"), FORBIDDEN)
def test_forbidden_transitions(current, target):
    with pytest.raises(TransitionNotAllowed) as error:
        check_transition(current, target)
    assert "kan niet naar" in str(error.value)


def test_table_is_exactly_the_designed_one():
    table = {(a, b) for a, targets in ALLOWED_TRANSITIONS.items() for b in targets}
    assert table == set(ALLOWED)
    assert ALLOWED_TRANSITIONS[S.CLOSED] == frozenset()  # closed is final


# --- services walk the table -------------------------------------------------------------------


def _changes(case):
    return list(CaseStatusChange.objects.filter(case=case).values_list("from_status", "to_status"))


def test_each_transition_writes_history_and_one_audit_row(world):
    case = world.responded()
    assert _changes(case) == [
        ("", "new"),
        ("new", "under_investigation"),
        ("under_investigation", "hearing"),
        ("hearing", "assessment"),
    ]
    audits = AuditLog.objects.filter(
        event_type=AuditEvent.CASE_STATUS_CHANGED, object_id=str(case.pk)
    )
    assert audits.count() == len(_changes(case)) - 1  # the first row is covered by CASE_OPENED
    assert AuditLog.objects.filter(event_type=AuditEvent.CASE_OPENED, object_id=str(case.pk))


def test_service_refuses_forbidden_transition_and_changes_nothing(world):
    case = world.case()
    with pytest.raises(TransitionNotAllowed):
        services.start_assessment(acting_user=world.investigator, case=case)
    with pytest.raises(TransitionNotAllowed):
        services.register_objection(
            acting_user=world.investigator,
            case=case,
            received_on=timezone.localdate(),
            grounds="Wij zijn het er niet mee eens.",
        )
    case.refresh_from_db()
    assert case.status == S.NEW and _changes(case) == [("", "new")]


def test_close_needs_a_reason(world):
    case = world.case()
    with pytest.raises(ValidationError) as error:
        services.close_case(acting_user=world.investigator, case=case, reason=" ")
    assert "Reden" in str(error.value)
    services.close_case(acting_user=world.investigator, case=case, reason="Buiten bevoegdheid SBB")
    case.refresh_from_db()
    assert case.status == S.CLOSED


def test_only_the_assigned_investigator_works_on_a_case(world):
    case = world.case()
    with pytest.raises(PermissionDenied):
        services.start_investigation(acting_user=world.other_investigator, case=case)
    with pytest.raises(PermissionDenied):
        services.start_investigation(acting_user=world.trainer, case=case)


# --- the hearing guard --------------------------------------------------------------------------


def test_decision_refused_before_both_sides_were_heard(world):
    case, company_h, school_h = world.heard()
    services.start_assessment(acting_user=world.investigator, case=case)
    decide = dict(
        acting_user=world.investigator,
        outcome=DecisionOutcome.ESTABLISHED,
        reasons="Uit de reacties blijkt dat op afkomst is geselecteerd.",
        measure=Measure.NONE,
    )
    with pytest.raises(HearingIncomplete) as error:
        services.decide(case=case, **decide)
    message = str(error.value)
    assert "nog niet besluiten" in message
    assert "leerbedrijf heeft nog niet gereageerd" in message
    assert "school heeft nog niet gereageerd" in message
    # The company responds; the school still has time: still refused.
    services.respond_to_hearing(
        acting_user=world.trainer, hearing=company_h, statement="Wij selecteren op motivatie."
    )
    with pytest.raises(HearingIncomplete) as error:
        services.decide(case=case, **decide)
    assert "school heeft nog niet gereageerd" in str(error.value)
    assert "leerbedrijf heeft nog niet" not in str(error.value)
    # The school's deadline passes after the formal request: now it counts as heard.
    HearingRequest.objects.filter(pk=school_h.pk).update(
        sent_on=timezone.localdate() - dt.timedelta(days=30),
        deadline=timezone.localdate() - dt.timedelta(days=1),
    )
    decision = services.decide(case=case, **decide)
    assert decision.outcome == DecisionOutcome.ESTABLISHED
    assert not CaseDecision.objects.exclude(pk=decision.pk).exists()


def test_decision_refused_without_any_formal_request_to_the_school(world):
    case = world.case()
    services.start_investigation(acting_user=world.investigator, case=case)
    company_h = services.request_hearing(
        acting_user=world.investigator,
        case=case,
        party=Party.COMPANY,
        questions="Hoe verloopt uw selectie van stagiairs?",
    )
    services.respond_to_hearing(
        acting_user=world.trainer, hearing=company_h, statement="Wij selecteren op motivatie."
    )
    services.start_assessment(acting_user=world.investigator, case=case)
    with pytest.raises(HearingIncomplete) as error:
        services.decide(
            acting_user=world.investigator,
            case=case,
            outcome=DecisionOutcome.NOT_ESTABLISHED,
            reasons="Er is geen aanwijzing voor onderscheid gevonden.",
            measure=Measure.NONE,
        )
    assert "school is nog niet formeel gevraagd" in str(error.value)


# --- deadlines in working days -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (dt.date(2026, 11, 27), 10, dt.date(2026, 12, 11)),  # Friday: two weekends
        (dt.date(2026, 12, 18), 10, dt.date(2027, 1, 5)),  # Kerst + Nieuwjaar
        (dt.date(2026, 4, 24), 10, dt.date(2026, 5, 11)),  # Koningsdag (27/4)
        (dt.date(2026, 5, 8), 10, dt.date(2026, 5, 26)),  # Hemelvaart 14/5, Pinksteren 25/5
        (dt.date(2026, 4, 2), 3, dt.date(2026, 4, 9)),  # Goede Vrijdag, Paasmaandag
    ],
)
def test_hearing_deadline_skips_weekends_and_holidays(start, days, expected):
    assert add_working_days(start, days) == expected
    assert is_working_day(expected)


def test_hearing_request_has_ten_working_days_and_mails_the_party(world):
    case, company_h, _school_h = world.heard()
    today = timezone.localdate()
    assert company_h.deadline == add_working_days(today, 10)
    assert is_working_day(company_h.deadline)
    assert case.status == S.HEARING
    to = set(OutboxMessage.objects.values_list("to", flat=True))
    assert {"opleider@bedrijf.nl", "coordinator@school.nl"} <= to


def test_extension_moves_deadline_with_reason(world):
    _case, company_h, _school = world.heard()
    with pytest.raises(ValidationError):
        services.extend_hearing_deadline(
            acting_user=world.investigator, hearing=company_h, extra_working_days=5, reason=""
        )
    extended = services.extend_hearing_deadline(
        acting_user=world.investigator,
        hearing=company_h,
        extra_working_days=5,
        reason="Bedrijf vroeg uitstel wegens ziekte.",
    )
    assert extended.deadline == add_working_days(company_h.deadline, 5)
    audit = AuditLog.objects.get(event_type=AuditEvent.CASE_HEARING_DEADLINE_EXTENDED)
    assert audit.details["reason"] == "Bedrijf vroeg uitstel wegens ziekte."


def test_reminders_go_out_once_before_the_deadline(world):
    _case, company_h, school_h = world.heard()
    deadline = company_h.deadline
    too_early = deadline - dt.timedelta(days=10)
    assert services.send_hearing_reminders(today=too_early) == 0
    day_before = deadline - dt.timedelta(days=1)
    while not is_working_day(day_before):
        day_before -= dt.timedelta(days=1)
    before = OutboxMessage.objects.count()
    assert services.send_hearing_reminders(today=day_before) == 2
    reminders = OutboxMessage.objects.filter(subject__startswith="Herinnering")
    assert OutboxMessage.objects.count() - before == 2 == reminders.count()
    assert services.send_hearing_reminders(today=day_before) == 0  # dedup
    assert reminders.count() == 2
    # After a response no reminder is due any more, even after an extension.
    services.respond_to_hearing(
        acting_user=world.trainer, hearing=company_h, statement="Wij selecteren op motivatie."
    )
    services.extend_hearing_deadline(
        acting_user=world.investigator, hearing=school_h, extra_working_days=3, reason="Vakantie"
    )
    school_h.refresh_from_db()
    assert services.send_hearing_reminders(today=school_h.deadline) == 1


# --- decision, revocation, objection ------------------------------------------------------------


def test_revocation_only_after_established(world):
    case = world.responded()
    for outcome in (DecisionOutcome.NOT_ESTABLISHED, DecisionOutcome.INSUFFICIENT_EVIDENCE):
        with pytest.raises(ValidationError) as error:
            services.decide(
                acting_user=world.investigator,
                case=case,
                outcome=outcome,
                reasons="Onvoldoende grond voor een maatregel gevonden.",
                measure=Measure.REVOCATION,
            )
        assert "alleen als discriminatie is vastgesteld" in str(error.value)
    assert not RevocationRequest.objects.exists()


def test_established_revocation_goes_through_the_registers_four_eyes(world):
    """The decision asks; adviser 1 proposes; adviser 2 (not adviser 1) approves."""
    case = world.responded()
    decision = services.decide(
        acting_user=world.investigator,
        case=case,
        outcome=DecisionOutcome.ESTABLISHED,
        reasons="Meerdere kandidaten met een migratieachtergrond werden zonder gesprek afgewezen.",
        measure=Measure.REVOCATION,
    )
    # The decision asks the advisers; it proposes nothing itself.
    assert not RevocationRequest.objects.exists()
    assert list(selectors.decisions_asking_revocation()) == [decision]
    # The investigator may not propose it.
    with pytest.raises(PermissionDenied):
        services.propose_revocation_for_decision(
            acting_user=world.investigator, decision=decision, reason=decision.reasons
        )
    services.propose_revocation_for_decision(
        acting_user=world.proposing_advisor, decision=decision, reason=decision.reasons
    )
    revocation = RevocationRequest.objects.get()
    assert revocation.state == RevocationState.PENDING
    assert revocation.requested_by == world.proposing_advisor
    assert revocation.decision_reference == f"{case.number}/B{decision.pk}"
    assert [link.revocation for link in selectors.revocations_of(case)] == [revocation]
    assert not selectors.decisions_asking_revocation().exists()
    assert AuditLog.objects.filter(
        event_type=AuditEvent.CASE_REVOCATION_REQUESTED,
        actor=world.proposing_advisor,
        object_id=str(case.pk),
    ).exists()
    # Proposed once only.
    with pytest.raises(ValidationError):
        services.propose_revocation_for_decision(
            acting_user=world.advisor, decision=decision, reason=decision.reasons
        )
    assert public_vacancies().filter(company=world.company).exists()
    # Nothing is revoked yet; the proposing adviser and the investigator cannot approve.
    recognition = revocation.recognition
    recognition.refresh_from_db()
    assert recognition.status == RecognitionStatus.RECOGNISED
    for officer in (world.proposing_advisor, world.investigator):
        with pytest.raises(PermissionDenied):
            approve_revocation(acting_user=officer, revocation=revocation)
    approve_revocation(acting_user=world.advisor, revocation=revocation)
    recognition.refresh_from_db()
    assert recognition.status == RecognitionStatus.REVOKED
    assert not public_vacancies().filter(company=world.company).exists()


def test_a_rejected_proposal_lets_an_adviser_propose_again(world):
    case = world.responded()
    decision = services.decide(
        acting_user=world.investigator,
        case=case,
        outcome=DecisionOutcome.ESTABLISHED,
        reasons="Meerdere kandidaten met een migratieachtergrond werden zonder gesprek afgewezen.",
        measure=Measure.REVOCATION,
    )
    services.propose_revocation_for_decision(
        acting_user=world.proposing_advisor, decision=decision, reason=decision.reasons
    )
    reject_revocation(
        acting_user=world.advisor,
        revocation=RevocationRequest.objects.get(),
        reason="Eerst het gesprek met het bedrijf afwachten.",
    )
    assert list(selectors.decisions_asking_revocation()) == [decision]


def test_revocation_proposal_refuses_short_reasons(world):
    case = world.responded()
    decision = services.decide(
        acting_user=world.investigator,
        case=case,
        outcome=DecisionOutcome.ESTABLISHED,
        reasons="Meerdere kandidaten met een migratieachtergrond werden zonder gesprek afgewezen.",
        measure=Measure.REVOCATION,
    )
    with pytest.raises(ValidationError) as error:
        services.propose_revocation_for_decision(
            acting_user=world.proposing_advisor, decision=decision, reason="Te kort."
        )
    assert "ten minste 20 tekens" in str(error.value)
    assert not RevocationRequest.objects.exists()


def test_no_proposal_while_an_objection_runs(world):
    case = world.responded()
    decision = services.decide(
        acting_user=world.investigator,
        case=case,
        outcome=DecisionOutcome.ESTABLISHED,
        reasons="Meerdere kandidaten met een migratieachtergrond werden zonder gesprek afgewezen.",
        measure=Measure.REVOCATION,
    )
    services.register_objection(
        acting_user=world.investigator,
        case=case,
        received_on=timezone.localdate(),
        grounds="Het bedrijf is het niet eens met het besluit.",
    )
    assert not selectors.decisions_asking_revocation().exists()
    with pytest.raises(ValidationError):
        services.propose_revocation_for_decision(
            acting_user=world.proposing_advisor, decision=decision, reason=decision.reasons
        )
    assert not RevocationRequest.objects.exists()


def test_improvement_agreement_needs_terms_and_future_follow_up(world):
    case = world.responded()
    kwargs = dict(
        acting_user=world.investigator,
        case=case,
        outcome=DecisionOutcome.ESTABLISHED,
        reasons="De selectie was niet neutraal; het bedrijf erkent dat.",
        measure=Measure.IMPROVEMENT,
    )
    with pytest.raises(ValidationError) as error:
        services.decide(**kwargs, improvement_terms="Training werving en selectie")
    assert "Controle op" in str(error.value)
    follow_up = timezone.localdate() + dt.timedelta(days=90)
    decision = services.decide(
        **kwargs, improvement_terms="Training werving en selectie", follow_up_on=follow_up
    )
    assert decision.follow_up_on == follow_up
    assert not RevocationRequest.objects.exists()
    # The follow-up date shows in the queue as overdue once reached.
    queue = selectors.work_queue(world.investigator, "overdue", today=follow_up)
    assert list(queue) == [case]


def _decided(world):
    case = world.responded()
    decision = services.decide(
        acting_user=world.investigator,
        case=case,
        outcome=DecisionOutcome.INSUFFICIENT_EVIDENCE,
        reasons="De verklaringen spreken elkaar tegen; er is te weinig bewijs.",
        measure=Measure.NONE,
    )
    case.refresh_from_db()
    return case, decision


def test_objection_within_six_weeks_reopens_assessment_by_another_officer(world):
    case, decision = _decided(world)
    assert decision.objection_deadline == decision.decided_on + dt.timedelta(weeks=6)
    services.register_objection(
        acting_user=world.investigator,
        case=case,
        received_on=timezone.localdate(),
        grounds="De school heeft nieuwe verklaringen van getuigen.",
    )
    case.refresh_from_db()
    assert case.status == S.OBJECTION
    with pytest.raises(ValidationError) as error:
        services.reopen_assessment(
            acting_user=world.investigator,
            case=case,
            assignee=world.investigator,
            reason="Bezwaar ontvangen",
        )
    assert "andere medewerker" in str(error.value)
    services.reopen_assessment(
        acting_user=world.investigator,
        case=case,
        assignee=world.other_investigator,
        reason="Bezwaar ontvangen",
    )
    case.refresh_from_db()
    assert case.status == S.ASSESSMENT and case.assigned_to == world.other_investigator
    second = services.decide(
        acting_user=world.other_investigator,
        case=case,
        outcome=DecisionOutcome.ESTABLISHED,
        reasons="Na de nieuwe verklaringen staat het onderscheid vast.",
        measure=Measure.NONE,
    )
    assert second.decided_by == world.other_investigator


def test_original_decider_cannot_decide_after_objection_even_as_team_lead(world):
    from django.contrib.auth.models import Permission

    case, _decision = _decided(world)
    services.register_objection(
        acting_user=world.investigator,
        case=case,
        received_on=timezone.localdate(),
        grounds="Wij zijn het niet eens met de weging.",
    )
    world.investigator.user_permissions.add(Permission.objects.get(codename="view_team_cases"))
    lead = type(world.investigator).objects.get(pk=world.investigator.pk)  # fresh perm cache
    services.reopen_assessment(
        acting_user=lead, case=case, assignee=world.other_investigator, reason="Bezwaar"
    )
    with pytest.raises(PermissionDenied) as error:
        services.decide(
            acting_user=lead,
            case=case,
            outcome=DecisionOutcome.NOT_ESTABLISHED,
            reasons="Ik blijf bij mijn eerdere oordeel over deze zaak.",
            measure=Measure.NONE,
        )
    assert "andere medewerker" in str(error.value)


def test_late_objection_is_refused(world):
    case, decision = _decided(world)
    backdate(
        CaseDecision.objects.filter(pk=decision.pk),
        decided_on=timezone.localdate() - dt.timedelta(weeks=7),
        objection_deadline=timezone.localdate() - dt.timedelta(weeks=1),
    )
    with pytest.raises(ValidationError) as error:
        services.register_objection(
            acting_user=world.investigator,
            case=case,
            received_on=timezone.localdate(),
            grounds="Wij zijn het niet eens met het besluit.",
        )
    assert "te laat" in str(error.value)
    case.refresh_from_db()
    assert case.status == S.DECIDED


def test_decision_letter_pdf_parses_and_names_the_case(world):
    from pypdf import PdfReader

    case, decision = _decided(world)
    pdf = decision_letter_pdf(decision)
    assert pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert case.number in text
    assert world.company.name in text
    assert "bezwaar" in text.lower() and "zes weken" in text


def test_open_case_from_a_signal_waits_for_a_team_lead(world):
    from stagekans.cases.models import CaseSource

    case = services.open_case(
        acting_user=None,
        company=world.company,
        summary="Signaal: opvallend veel afwijzingen van een groep kandidaten.",
        source=CaseSource.SIGNAL,
        signal_reference="signaal-42",
    )
    assert case.source == CaseSource.SIGNAL and case.assigned_to is None
    assert case.status == S.NEW
    # It waits in the team's queue: every investigator sees it there, nobody works on it yet.
    assert list(selectors.work_queue(world.investigator, "unassigned")) == [case]
    with pytest.raises(PermissionDenied):
        services.start_investigation(acting_user=world.investigator, case=case)


def test_decided_case_closes_only_after_the_objection_period(world):
    case, decision = _decided(world)
    with pytest.raises(ValidationError) as error:
        services.close_case(acting_user=world.investigator, case=case, reason="Afgerond.")
    assert "bezwaartermijn loopt nog" in str(error.value)
    case.refresh_from_db()
    assert case.status == S.DECIDED
    backdate(
        CaseDecision.objects.filter(pk=decision.pk),
        objection_deadline=timezone.localdate() - dt.timedelta(days=1),
    )
    services.close_case(acting_user=world.investigator, case=case, reason="Afgerond.")
    case.refresh_from_db()
    assert case.status == S.CLOSED
