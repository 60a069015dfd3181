"""Hypothesis drives random sequences of case actions through the real services.

Invariants after every step: one audit row per transition; no decision without both sides
heard; revocation only after an 'established' decision and a second officer's approval; the
reporter's identity never on a page a company user sees.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.cases import services
from stagekans.cases.models import (
    Case,
    CaseDecision,
    CaseRevocation,
    CaseStatusChange,
    DecisionOutcome,
    HearingRequest,
    Measure,
    Party,
)
from stagekans.cases.workflow import CaseWorkflowError
from stagekans.meldpunt import services as meldpunt_services
from stagekans.register.models import RevocationRequest, RevocationState
from stagekans.register.services import approve_revocation
from stagekans.register.workflow import RecognitionStatus
from stagekans.testing import factories as f

NAME, EMAIL = "Youssef Bakkali", "youssef@example.nl"
REFUSED = (CaseWorkflowError, ValidationError, PermissionDenied)


class People:
    def __init__(self) -> None:
        self.investigator = f.UserFactory(role=Role.SBB_INVESTIGATOR)
        self.other = f.UserFactory(role=Role.SBB_INVESTIGATOR)
        self.advisor = f.UserFactory(role=Role.SBB_ADVISOR)
        self.proposer = f.UserFactory(role=Role.SBB_ADVISOR)
        self.meldpunt = f.UserFactory(role=Role.MELDPUNT)
        lead = f.UserFactory(role=Role.SBB_INVESTIGATOR)
        lead.user_permissions.add(Permission.objects.get(codename="view_team_cases"))
        self.lead = type(lead).objects.get(pk=lead.pk)
        self.school = f.SchoolFactory()
        self.staff = f.school_staff_user(self.school)


class CaseMachine(RuleBasedStateMachine):
    people: People

    def __init__(self) -> None:
        super().__init__()
        p = self.people
        recognition = f.RecognitionFactory()
        self.company = recognition.company
        self.trainer = f.trainer_user(self.company)
        report = f.submit_report(
            company=self.company,
            company_name="",
            contact=meldpunt_services.ContactDetails(name=NAME, email=EMAIL),
            consent_share_identity_with_sbb=True,
        ).report
        meldpunt_services.start_triage(acting_user=p.meldpunt, report=report)
        meldpunt_services.forward_to_sbb(
            acting_user=p.meldpunt, report=report, summary="Afwijzing na vraag naar afkomst."
        )
        self.case = Case.objects.get(source_reports=report)
        services.assign_case(acting_user=p.lead, case=self.case, assignee=p.investigator)
        self.officers = {"investigator": p.investigator, "other": p.other}
        self.heard_at_decisions: list[tuple[str, bool]] = []

    # --- helpers ---------------------------------------------------------------------------

    def _fresh(self) -> Case:
        self.case.refresh_from_db()
        return self.case

    def _try(self, action: Any) -> bool:
        before = (self._fresh().status, CaseStatusChange.objects.filter(case=self.case).count())
        try:
            action()
        except REFUSED:
            after = (self._fresh().status, CaseStatusChange.objects.filter(case=self.case).count())
            assert after == before, "a refused action changed the case"
            return False
        return True

    def _hearing(self, party: Party) -> HearingRequest | None:
        return HearingRequest.objects.filter(case=self.case, party=party).order_by("-id").first()

    def _assigned(self) -> Any:
        return self._fresh().assigned_to

    # --- rules -------------------------------------------------------------------------------

    @rule()
    def start(self) -> None:
        self._try(
            lambda: services.start_investigation(acting_user=self._assigned(), case=self.case)
        )

    @rule(party=st.sampled_from([Party.COMPANY, Party.SCHOOL]))
    def hear(self, party: Party) -> None:
        self._try(
            lambda: services.request_hearing(
                acting_user=self._assigned(),
                case=self.case,
                party=party,
                school=self.people.school if party == Party.SCHOOL else None,
                questions="Graag uw kant van het verhaal.",
            )
        )

    @rule(party=st.sampled_from([Party.COMPANY, Party.SCHOOL]))
    def respond(self, party: Party) -> None:
        hearing = self._hearing(party)
        if hearing is None:
            return
        user = self.trainer if party == Party.COMPANY else self.people.staff
        self._try(
            lambda: services.respond_to_hearing(
                acting_user=user, hearing=hearing, statement="Onze reactie op het verzoek."
            )
        )

    @rule(party=st.sampled_from([Party.COMPANY, Party.SCHOOL]))
    def time_passes(self, party: Party) -> None:
        hearing = self._hearing(party)
        if hearing is not None and hearing.responded_at is None:
            past = timezone.localdate() - dt.timedelta(days=1)
            HearingRequest.objects.filter(pk=hearing.pk).update(
                sent_on=past - dt.timedelta(days=20), deadline=past
            )

    @rule()
    def assess(self) -> None:
        self._try(lambda: services.start_assessment(acting_user=self._assigned(), case=self.case))

    @rule(
        outcome=st.sampled_from(list(DecisionOutcome)),
        measure=st.sampled_from(list(Measure)),
        by=st.sampled_from(["assigned", "investigator", "other"]),
    )
    def decide(self, outcome: DecisionOutcome, measure: Measure, by: str) -> None:
        user = self._assigned() if by == "assigned" else self.officers[by]
        today = timezone.localdate()
        # Checked independently of the service: was every party formally asked and settled?
        settled = {}
        for party in (Party.COMPANY, Party.SCHOOL):
            hearings = list(HearingRequest.objects.filter(case=self.case, party=party))
            settled[party] = bool(hearings) and all(
                h.responded_at is not None or h.deadline < today for h in hearings
            )
        decided = self._try(
            lambda: services.decide(
                acting_user=user,
                case=self.case,
                outcome=outcome,
                reasons="Gewogen op basis van alle reacties van partijen.",
                measure=measure,
                improvement_terms="Training werving en selectie",
                follow_up_on=timezone.localdate() + dt.timedelta(days=60),
            )
        )
        if decided:
            self.heard_at_decisions += [(str(p), ok) for p, ok in settled.items()]

    @rule(who=st.sampled_from(["advisor", "investigator"]))
    def propose(self, who: str) -> None:
        """Adviser 1 proposes the revocation a decision asked for (the investigator may not)."""
        decision = CaseDecision.objects.filter(case=self.case).order_by("-id").first()
        if decision is None:
            return
        user = self.people.proposer if who == "advisor" else self.people.investigator
        try:
            services.propose_revocation_for_decision(
                acting_user=user, decision=decision, reason=decision.reasons
            )
        except REFUSED:
            pass
        else:
            assert who == "advisor"
            assert decision.measure == Measure.REVOCATION

    @rule(second=st.booleans())
    def approve(self, second: bool) -> None:
        pending = RevocationRequest.objects.filter(
            case_link__decision__case=self.case, state=RevocationState.PENDING
        ).first()
        if pending is None:
            return
        user = self.people.advisor if second else pending.requested_by
        try:
            approve_revocation(acting_user=user, revocation=pending)
        except REFUSED:
            assert not second

    @rule()
    def object(self) -> None:
        self._try(
            lambda: services.register_objection(
                acting_user=self._assigned(),
                case=self.case,
                received_on=timezone.localdate(),
                grounds="Het bedrijf is het niet eens met het besluit.",
            )
        )

    @rule(to=st.sampled_from(["investigator", "other"]))
    def reopen(self, to: str) -> None:
        self._try(
            lambda: services.reopen_assessment(
                acting_user=self.people.lead,
                case=self.case,
                assignee=self.officers[to],
                reason="Bezwaar ontvangen",
            )
        )

    @rule()
    def close(self) -> None:
        self._try(
            lambda: services.close_case(
                acting_user=self._assigned(), case=self.case, reason="Afgerond"
            )
        )

    # --- invariants ----------------------------------------------------------------------------

    @invariant()
    def one_audit_row_per_transition(self) -> None:
        transitions = CaseStatusChange.objects.filter(case=self.case).exclude(from_status="")
        audits = AuditLog.objects.filter(
            event_type=AuditEvent.CASE_STATUS_CHANGED, object_id=str(self.case.pk)
        )
        assert transitions.count() == audits.count()
        assert self._fresh().status == (
            CaseStatusChange.objects.filter(case=self.case).order_by("-id").first().to_status
        )

    @invariant()
    def no_decision_without_hearing(self) -> None:
        for _decision in CaseDecision.objects.filter(case=self.case):
            for party in (Party.COMPANY, Party.SCHOOL):
                assert HearingRequest.objects.filter(case=self.case, party=party).exists()
        for party, settled in self.heard_at_decisions:
            assert settled, f"decided while {party} was not heard"

    @invariant()
    def revocation_only_after_established_and_four_eyes(self) -> None:
        for link in CaseRevocation.objects.filter(decision__case=self.case).select_related(
            "decision", "revocation"
        ):
            assert link.decision.outcome == DecisionOutcome.ESTABLISHED
            if link.revocation.state == RevocationState.APPROVED:
                assert link.revocation.decided_by_id != link.revocation.requested_by_id
        revoked = self.company.recognitions.filter(status=RecognitionStatus.REVOKED)
        if revoked.exists():
            assert RevocationRequest.objects.filter(
                recognition__company=self.company,
                state=RevocationState.APPROVED,
                case_link__decision__outcome=DecisionOutcome.ESTABLISHED,
            ).exists()

    @invariant()
    def reporter_never_visible_to_company_users(self) -> None:
        hearing = self._hearing(Party.COMPANY)
        client = Client()
        client.force_login(self.trainer)
        pages = [client.get("/onderzoek/verzoeken/")]
        if hearing is not None:
            pages.append(client.get(f"/onderzoek/verzoeken/{hearing.pk}/"))
        for page in pages:
            assert page.status_code == 200
            text = page.content.decode()
            assert NAME not in text and "Bakkali" not in text and EMAIL not in text


@pytest.mark.django_db
def test_random_action_sequences_keep_the_invariants() -> None:
    CaseMachine.people = People()
    run_state_machine_as_test(
        CaseMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
