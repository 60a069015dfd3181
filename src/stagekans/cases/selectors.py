"""Reads for investigation cases, each scoped to what the user may see.

SBB investigators see the cases assigned to them; `cases.view_team_cases` (a team lead) sees
all. A company trainer or school staff member sees only the hearing requests to their own
company or school — with the anonymised summary, never a reporter's identity.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Min, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.cases.models import (
    Case,
    CaseDecision,
    CaseMessage,
    CaseReporter,
    CaseRevocation,
    CaseStatusChange,
    HearingRequest,
    HearingResponse,
    Party,
)
from stagekans.cases.workflow import OPEN_STATUSES, CaseStatus
from stagekans.core.workdays import add_working_days

DUE_WITHIN_WORKING_DAYS = 3


def reporters_of(case: Case) -> QuerySet[CaseReporter]:
    return CaseReporter.objects.filter(case=case).order_by("id")


def identifying_values(case: Case) -> list[str]:
    """Names (parts of 3+ letters), e-mail addresses and phone numbers of consenting reporters:
    text for the company or the school must contain none of them."""
    values: list[str] = []
    for reporter in reporters_of(case):
        values += [reporter.email, reporter.phone]
        values += [part for part in reporter.name.split() if len(part) >= 3]
    return [v for v in values if v]


def cases_visible_to(user: Any) -> QuerySet[Case]:
    qs = Case.objects.select_related("company", "assigned_to", "school")
    if not user.is_authenticated:
        return qs.none()
    if user.has_perm("cases.view_team_cases"):
        return qs
    if user.has_perm("cases.investigate_case"):
        return qs.filter(assigned_to=user)
    return qs.none()


def _with_next_deadline(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.annotate(
        next_deadline=Min("hearings__deadline", filter=Q(hearings__responded_at__isnull=True))
    )


def work_queue(user: Any, view: str = "assigned", today: dt.date | None = None) -> QuerySet[Case]:
    """The investigator's queue: 'assigned' (open cases assigned to me), 'due' (an open hearing
    deadline within three working days), 'overdue' (a hearing deadline passed without a
    response, or an improvement follow-up date reached), 'unassigned' (team leads)."""
    today = today or timezone.localdate()
    visible = cases_visible_to(user).filter(status__in=OPEN_STATUSES)
    if view == "unassigned":
        return _with_next_deadline(visible.filter(assigned_to__isnull=True)).order_by("created_at")
    mine = visible.filter(assigned_to=user) if user.is_authenticated else visible.none()
    mine = _with_next_deadline(mine)
    if view == "due":
        horizon = add_working_days(today, DUE_WITHIN_WORKING_DAYS)
        return mine.filter(next_deadline__gte=today, next_deadline__lte=horizon).order_by(  # type: ignore[misc]
            "next_deadline", "pk"
        )
    if view == "overdue":
        follow_up = Q(decisions__follow_up_on__lte=today, status=CaseStatus.DECIDED)
        return mine.filter(Q(next_deadline__lt=today) | follow_up).distinct().order_by("pk")
    return mine.order_by("created_at", "pk")


def queue_counts(user: Any, today: dt.date | None = None) -> dict[str, int]:
    return {view: work_queue(user, view, today).count() for view in ("assigned", "due", "overdue")}


def schools_concerned(case: Case) -> set[int]:
    """Schools of the student(s) concerned: from the reports, plus the one SBB selected."""
    ids: set[int] = set()
    for school_id, student_school_id in case.source_reports.values_list(
        "school_id", "on_behalf_of__school_id"
    ):
        ids.update(i for i in (school_id, student_school_id) if i)
    if case.school_id:
        ids.add(case.school_id)
    return ids


def hearings_of(case: Case) -> QuerySet[HearingRequest]:
    return (
        HearingRequest.objects.filter(case=case)
        .select_related("school", "reporter", "requested_by")
        .prefetch_related("responses__attachments", "responses__responded_by")
        .order_by("sent_on", "id")
    )


def hearing_problems(case: Case, today: dt.date | None = None) -> list[str]:
    """Why a decision is not yet possible (empty: the company and the school were heard).

    A party counts as heard when it responded, or when its deadline passed after a formal
    request. Every formal request to the company or a school must be settled that way.
    """
    today = today or timezone.localdate()
    problems: list[str] = []
    hearings = list(
        HearingRequest.objects.filter(case=case, party__in=[Party.COMPANY, Party.SCHOOL])
    )
    for party, missing in (
        (Party.COMPANY, _("Het leerbedrijf is nog niet formeel gevraagd om een reactie.")),
        (Party.SCHOOL, _("De school is nog niet formeel gevraagd om een reactie.")),
    ):
        of_party = [h for h in hearings if h.party == party]
        if not of_party:
            problems.append(missing)
        for hearing in of_party:
            if hearing.responded_at is None and hearing.deadline >= today:
                problems.append(
                    _(
                        "%(party)s heeft nog niet gereageerd en de termijn loopt tot en met "
                        "%(date)s."
                    )
                    % {
                        "party": (
                            _("Het leerbedrijf") if party == Party.COMPANY else _("De school")
                        ),
                        "date": date_format(hearing.deadline, "j F Y"),
                    }
                )
    return problems


def latest_decision(case: Case) -> CaseDecision | None:
    return CaseDecision.objects.filter(case=case).order_by("-created_at", "-id").first()


def objected_decision(case: Case) -> CaseDecision | None:
    """The latest decision an objection was registered against (decides who may decide next)."""
    return (
        CaseDecision.objects.filter(case=case, objection__isnull=False)
        .select_related("objection")
        .order_by("-created_at", "-id")
        .first()
    )


def decisions_of(case: Case) -> QuerySet[CaseDecision]:
    return CaseDecision.objects.filter(case=case).select_related("decided_by").order_by("id")


def revocations_of(case: Case) -> QuerySet[CaseRevocation]:
    return (
        CaseRevocation.objects.filter(decision__case=case)
        .select_related(
            "revocation__recognition__qualification",
            "revocation__decided_by",
            "revocation__requested_by",
        )
        .order_by("id")
    )


def party_hearings(user: Any) -> QuerySet[HearingRequest]:
    """Hearing requests a company trainer or school staff member may see and answer."""
    qs = HearingRequest.objects.select_related("case", "case__company", "school")
    if not user.is_authenticated or not user.has_perm("cases.respond_to_hearing"):
        return qs.none()
    scope = Q(pk__in=[])
    trainer = getattr(user, "trainer", None)
    if trainer is not None:
        scope |= Q(party=Party.COMPANY, case__company_id=trainer.company_id)
    staff = getattr(user, "school_staff", None)
    if staff is not None:
        scope |= Q(party=Party.SCHOOL, school_id=staff.school_id)
    return qs.filter(scope).order_by("-sent_on", "-id")


def party_messages(hearing: HearingRequest) -> QuerySet[CaseMessage]:
    """Messages SBB sent to the party of this hearing request, in the same case."""
    qs = CaseMessage.objects.filter(case_id=hearing.case_id, party=hearing.party)
    if hearing.party == Party.SCHOOL:
        qs = qs.filter(school=hearing.school)
    return qs.order_by("created_at", "id")


def party_decisions(hearing: HearingRequest) -> QuerySet[CaseDecision]:
    """The company receives the decision letters; the school sees nothing of the decision."""
    if hearing.party != Party.COMPANY:
        return CaseDecision.objects.none()
    return CaseDecision.objects.filter(case_id=hearing.case_id).order_by("id")


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    kind: str
    title: str
    text: str
    actor: Any


def _actor_name(user: Any) -> str:
    if user is None:
        return _("systeem")
    return user.get_full_name() or user.username


def timeline(case: Case) -> list[TimelineEntry]:
    """Everything that happened in the case, oldest first: status changes, hearing requests,
    responses, messages, decisions and the audit trail (including every view)."""
    entries: list[TimelineEntry] = []
    for change in CaseStatusChange.objects.filter(case=case).select_related("actor"):
        entries.append(
            TimelineEntry(
                change.at,
                "status",
                _("Status: %(status)s") % {"status": change.get_to_status_display()},
                change.reason,
                _actor_name(change.actor),
            )
        )
    for response in HearingResponse.objects.filter(hearing__case=case).select_related(
        "hearing__school", "responded_by"
    ):
        entries.append(
            TimelineEntry(
                response.created_at,
                "response",
                _("Reactie van %(party)s") % {"party": response.hearing.party_label},
                response.statement,
                _actor_name(response.responded_by),
            )
        )
    for message in CaseMessage.objects.filter(case=case).select_related("sent_by", "school"):
        entries.append(
            TimelineEntry(
                message.created_at,
                "message",
                _("Bericht aan %(party)s: %(subject)s")
                % {"party": message.get_party_display(), "subject": message.subject},
                message.body,
                _actor_name(message.sent_by),
            )
        )
    for entry in (
        AuditLog.objects.filter(object_type=case._meta.label_lower, object_id=str(case.pk))
        .exclude(event_type=AuditEvent.CASE_STATUS_CHANGED.value)
        .select_related("actor")
    ):
        entries.append(
            TimelineEntry(entry.at, "audit", str(entry.event_label), "", _actor_name(entry.actor))
        )
    entries.sort(key=lambda e: e.at)
    return entries
