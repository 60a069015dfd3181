"""Reads for investigation cases, each scoped to what the user may see.

SBB investigators see the cases assigned to them and the team's queue of unassigned cases
(`cases.pick_up_case`); `cases.view_team_cases` (the role "Teamleider onderzoek") sees all.
A company trainer or school staff member sees only the hearing requests to their own company
or school — with the anonymised summary, never a reporter's identity.
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
    InvestigationTeam,
    InvestigationTeamMember,
    InvestigationTeamSector,
    Party,
)
from stagekans.cases.workflow import OPEN_STATUSES, CaseStatus
from stagekans.core.anonymity import Identity
from stagekans.core.workdays import add_working_days

DUE_WITHIN_WORKING_DAYS = 3
# A case nobody has picked up yet (a forwarded report, a signal) waits at most this long.
PICK_UP_WORKING_DAYS = 5


def reporters_of(case: Case) -> QuerySet[CaseReporter]:
    return CaseReporter.objects.filter(case=case).order_by("id")


def reporter_identities(case: Case) -> list[Identity]:
    """Names, e-mail addresses and phone numbers of consenting reporters: text for the company
    or the school must contain none of them (stagekans.core.anonymity matches them)."""
    return [
        Identity(
            names=tuple(v for v in [r.name] if v),
            emails=tuple(v for v in [r.email] if v),
            phones=tuple(v for v in [r.phone] if v),
        )
        for r in reporters_of(case)
    ]


def team_of(user: Any) -> InvestigationTeam | None:
    """The investigation team the user belongs to (one at most), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    membership = (
        InvestigationTeamMember.objects.filter(user_id=user.pk).select_related("team").first()
    )
    return membership.team if membership is not None else None


def route_to_team(company: Any) -> InvestigationTeam | None:
    """The routing rule: the team covering the company's sector, else the default team, else
    None (no teams configured). See docs/adr/0900-investigation-teams.md."""
    sector = getattr(company, "sector", "") or ""
    if sector:
        covering = InvestigationTeamSector.objects.filter(sector=sector).select_related("team")
        match = covering.first()
        if match is not None:
            return match.team
    return InvestigationTeam.objects.filter(is_default=True).first()


def _team_scope(user: Any) -> Q:
    """Cases of the user's team, plus cases without a team (only when no team took them)."""
    team = team_of(user)
    if team is None:
        return Q(team__isnull=True)
    return Q(team=team) | Q(team__isnull=True)


def in_team_scope(user: Any, case: Case) -> bool:
    if case.team_id is None:
        return True
    team = team_of(user)
    return team is not None and team.pk == case.team_id


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """Per team: a team lead (`cases.view_team_cases`) sees every case of their team; an
    investigator the cases assigned to them and, with `cases.pick_up_case`, their team's open
    cases nobody has picked up yet. A case without a team (no team configured) is in every
    team's scope; a case once assigned stays visible to its investigator."""
    qs = Case.objects.select_related("company", "assigned_to", "school", "team")
    if not user.is_authenticated:
        return qs.none()
    if user.has_perm("cases.view_team_cases"):
        return qs.filter(Q(assigned_to=user) | _team_scope(user))
    if not user.has_perm("cases.investigate_case"):
        return qs.none()
    scope = Q(assigned_to=user)
    if user.has_perm("cases.pick_up_case"):
        scope |= Q(assigned_to__isnull=True, status__in=OPEN_STATUSES) & _team_scope(user)
    return qs.filter(scope)


def team_investigators(case: Case) -> QuerySet[Any]:
    """Whom a team lead may assign this case to: active investigators of the case's team (any
    investigator when the case has no team)."""
    from django.contrib.auth import get_user_model

    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__permissions__codename="investigate_case")
        .distinct()
        .order_by("last_name", "username")
    )
    if case.team_id is not None:
        users = users.filter(investigation_team_membership__team_id=case.team_id)
    return users


def may_see_unassigned(user: Any) -> bool:
    return bool(
        user.is_authenticated
        and (user.has_perm("cases.pick_up_case") or user.has_perm("cases.view_team_cases"))
    )


def pick_up_deadline(case: Case) -> dt.date:
    """The service level for an unassigned case: picked up within PICK_UP_WORKING_DAYS
    working days after it was opened (Dutch working days, holidays respected)."""
    opened = timezone.localdate(case.created_at) if case.created_at else timezone.localdate()
    return add_working_days(opened, PICK_UP_WORKING_DAYS)


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
    if view == "team":
        # The team lead's overview: every open case of the team, assigned or not.
        if not user.has_perm("cases.view_team_cases"):
            return visible.none()
        return _with_next_deadline(visible.filter(_team_scope(user))).order_by("created_at", "pk")
    if view == "unassigned":
        if not may_see_unassigned(user):
            return visible.none()
        return _with_next_deadline(visible.filter(assigned_to__isnull=True)).order_by(
            "created_at", "pk"
        )
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
    views = ["assigned", "due", "overdue"]
    if may_see_unassigned(user):
        views.append("unassigned")
    if user.has_perm("cases.view_team_cases"):
        views.append("team")
    return {view: work_queue(user, view, today).count() for view in views}


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


def revocation_proposed_for(decision: CaseDecision) -> bool:
    """A proposal for this decision waits for, or got, the second adviser's approval."""
    from stagekans.register.models import RevocationState

    return CaseRevocation.objects.filter(
        decision=decision,
        revocation__state__in=[RevocationState.PENDING, RevocationState.APPROVED],
    ).exists()


def decisions_asking_revocation() -> QuerySet[CaseDecision]:
    """Decisions whose measure is revocation and that still wait for an adviser's proposal:
    the latest decision of a case that stands decided, with no pending or approved proposal,
    about a company that still holds a valid recognition. Advisers (register.propose_revocation)
    see these; they never see the reporter, only the anonymised decision."""
    from django.db.models import Exists, OuterRef, Subquery

    from stagekans.register import selectors as register_selectors
    from stagekans.register.models import RevocationState

    latest = (
        CaseDecision.objects.filter(case=OuterRef("case"))
        .order_by("-created_at", "-id")
        .values("pk")[:1]
    )
    proposed = CaseRevocation.objects.filter(
        decision=OuterRef("pk"),
        revocation__state__in=[RevocationState.PENDING, RevocationState.APPROVED],
    )
    return (
        CaseDecision.objects.filter(
            measure="revocation",
            case__status=CaseStatus.DECIDED,
            pk=Subquery(latest),
            case__company__in=register_selectors.valid_recognitions().values("company"),
        )
        .exclude(Exists(proposed))
        .select_related("case", "case__company")
        .order_by("created_at", "pk")
    )


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
        kind = "view" if entry.event_type == AuditEvent.CASE_VIEWED.value else "audit"
        entries.append(
            TimelineEntry(entry.at, kind, str(entry.event_label), "", _actor_name(entry.actor))
        )
    entries.sort(key=lambda e: e.at)
    return fold_views(entries)


def fold_views(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """Fold each run of views by one person, uninterrupted by anything else that happened,
    into one line ("12× ingezien door …"). Only the display folds: every view keeps its own
    audit row."""
    folded: list[TimelineEntry] = []
    run: list[TimelineEntry] = []

    def flush() -> None:
        if not run:
            return
        if len(run) == 1:
            folded.append(run[0])
        else:
            first, last = run[0], run[-1]
            folded.append(
                TimelineEntry(
                    first.at,
                    "views",
                    _("%(n)d× ingezien door %(actor)s") % {"n": len(run), "actor": first.actor},
                    _("van %(first)s tot en met %(last)s")
                    % {
                        "first": timezone.localtime(first.at).strftime("%d-%m-%Y %H:%M"),
                        "last": timezone.localtime(last.at).strftime("%d-%m-%Y %H:%M"),
                    },
                    first.actor,
                )
            )
        run.clear()

    for entry in entries:
        if entry.kind == "view" and (not run or run[0].actor == entry.actor):
            run.append(entry)
            continue
        flush()
        if entry.kind == "view":
            run.append(entry)
        else:
            folded.append(entry)
    flush()
    return folded
