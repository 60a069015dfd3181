"""The demo shows every screen: each triage and case state, four-eyes, tasks, statistics."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from stagekans.accounts.models import User
from stagekans.accounts.roles import ROLES, Role
from stagekans.cases.letters import decision_letter_pdf
from stagekans.cases.models import Case, CaseDecision, HearingRequest, InvestigationTeam
from stagekans.cases.workflow import CaseStatus
from stagekans.companies.models import Company
from stagekans.core.workdays import add_working_days
from stagekans.demo.counts import current_counts
from stagekans.education.models import StudentInvitation
from stagekans.meldpunt.models import Report
from stagekans.meldpunt.selectors import published_statistics
from stagekans.meldpunt.workflow import ReportStatus
from stagekans.notifications.models import OutboxMessage
from stagekans.register.models import RevocationRequest
from stagekans.worklist.models import SchoolTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    out = StringIO()
    call_command(
        "seed_demo",
        "--seed",
        "5",
        "--schools",
        "2",
        "--students",
        "40",
        "--companies",
        "30",
        stdout=out,
    )
    return out.getvalue()


def test_demo_shows_every_state(demo):
    # Logins: two advisers for four-eyes, a team lead with the shipped role.
    advisers = User.objects.filter(groups__name=ROLES[Role.SBB_ADVISOR].group_name)
    assert {"adviseur", "adviseur2"} <= set(advisers.values_list("username", flat=True))
    assert User.objects.get(username="teamleider").groups.filter(
        name=ROLES[Role.SBB_TEAM_LEAD].group_name
    )
    # Reports in each triage state; the demo student has reports of their own.
    assert set(Report.objects.values_list("status", flat=True)) == set(ReportStatus.values)
    assert Report.objects.filter(reporter_user__username="student").count() >= 2
    # Cases in each workflow state; the forwarded report waits unassigned in the queue.
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    assert Case.objects.filter(assigned_to__isnull=True, status=CaseStatus.NEW).exists()
    today = timezone.localdate()
    due = HearingRequest.objects.filter(
        responded_at__isnull=True, deadline__lte=add_working_days(today, 2)
    )
    assert due.filter(case__company__trainers__user__username="praktijkopleider").exists()
    decision = CaseDecision.objects.filter(case__status=CaseStatus.DECIDED).first()
    assert decision is not None and decision_letter_pdf(decision).startswith(b"%PDF")
    assert Case.objects.filter(status=CaseStatus.OBJECTION).exists()
    # A revocation waits for a second adviser; one took effect and gave a school a task.
    pending = RevocationRequest.objects.get(state="pending")
    assert pending.requested_by.username == "adviseur"
    assert RevocationRequest.objects.filter(state="approved").exists()
    assert SchoolTask.objects.filter(school__staff__user__username="stagecoordinator").exists()
    # Two investigation teams, each with a queue of its own; the demo onderzoeker's queue
    # holds the forwarded report, onderzoeker2's (the other team) a signal.
    from stagekans.cases import selectors as case_selectors

    assert InvestigationTeam.objects.count() == 2
    assert not Case.objects.exclude(status=CaseStatus.CLOSED).filter(team__isnull=True).exists()
    mine = case_selectors.work_queue(User.objects.get(username="onderzoeker"), "unassigned")
    theirs = case_selectors.work_queue(User.objects.get(username="onderzoeker2"), "unassigned")
    assert mine.exists() and theirs.exists()
    assert not set(mine.values_list("pk", flat=True)) & set(theirs.values_list("pk", flat=True))
    assert case_selectors.team_of(User.objects.get(username="teamleider")) == (
        case_selectors.team_of(User.objects.get(username="onderzoeker"))
    )
    # A decision asks for revocation: a first adviser has yet to propose it.
    assert case_selectors.decisions_asking_revocation().exists()
    # An enrolled student's invitation waits in the outbox.
    assert StudentInvitation.objects.filter(used_at__isnull=True).exists()
    assert OutboxMessage.objects.filter(subject="Je uitnodiging voor Stagekans").exists()
    # Companies say how to apply.
    assert Company.objects.exclude(how_to_apply="").filter(publish_contact_email=True).exists()
    # The printed counts are the real ones.
    for label, count in current_counts():
        assert f"{count:>6} {label}" in demo
    assert f"{Report.objects.count():>6} meldingen" in demo
    assert f"{Case.objects.count():>6} onderzoekszaken" in demo
    _statistics_publish_figures_and_suppress_small_cells()


def _statistics_publish_figures_and_suppress_small_cells() -> None:
    k = settings.MELDPUNT_SUPPRESSION_THRESHOLD
    year = timezone.localdate().year - 1
    published = suppressed = 0
    for dimension in ("ground", "province"):
        table = published_statistics(dimension, year=year, k=k)
        cells = [c for row in table.cells for c in row]
        published += sum(1 for c in cells if c)
        suppressed += sum(1 for c in cells if c is None)
        assert table.grand_total
    assert published > 0 and suppressed > 0
