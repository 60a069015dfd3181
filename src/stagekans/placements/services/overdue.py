"""The overdue-supervision job: alert the begeleider when a contact is overdue and the school's
coordinators when it is overdue by more than two weeks, exactly once per overdue period.

An overdue period is identified by the due date it is about (`Placement.next_contact_due`):
logging a contact moves the due date and so starts a new period. The job claims placements
set-based, one statement per chunk: it inserts an `OverdueNotice` (placement, kind, due date;
unique) for each overdue placement that has none for its current due date, and writes the
mails to the outbox (one digest per begeleider or school per chunk, never one per placement;
claims are taken in begeleider order) and the audit rows in the SAME transaction as the claim.
So a second run finds nothing to claim (no storms), and a crash between claim and mail rolls
the claim back with the mail (none lost: the next run claims again). Two workers never warn
twice: the second one's insert waits on the unique index and inserts nothing for the rows the
first one claimed. The claims live in their own narrow table, so a national run does not rewrite
and re-index tens of thousands of wide placement rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stagekans.audit import services as audit
from stagekans.audit.models import AuditEvent
from stagekans.education.models import SchoolStaff, Student
from stagekans.notifications.services import Mail, enqueue_mails
from stagekans.placements.models import OverdueNotice, Placement
from stagekans.placements.workflow import PlacementStatus

ESCALATE_AFTER = dt.timedelta(days=14)
# Claims come in supervisor order, so a begeleider's overdue students share one digest mail.
CHUNK = 20_000


@dataclass(frozen=True)
class Claimed:
    placement_id: int
    school_id: int
    supervisor_id: int | None
    student_id: int
    due: dt.date
    student: str  # "given family (student number)", for the digest line


@dataclass
class OverdueRun:
    alerted: int = 0
    escalated: int = 0
    mails: int = 0


def _claim(*, kind: str, before: dt.date, limit: int) -> list[Claimed]:
    """Claim up to `limit` active placements due before `before` that have no notice of `kind`
    for their current due date yet: record the notices and return the placements claimed."""
    placements = Placement._meta.db_table
    notices = OverdueNotice._meta.db_table
    students = Student._meta.db_table
    now = timezone.now()
    pick = f"""
        SELECT p.id, p.school_id, p.supervisor_id, p.student_id, p.next_contact_due
        FROM {placements} p
        WHERE p.status = %s AND p.next_contact_due < %s
          AND NOT EXISTS (
            SELECT 1 FROM {notices} n
            WHERE n.placement_id = p.id AND n.kind = %s AND n.due = p.next_contact_due
          )
        ORDER BY p.supervisor_id, p.id LIMIT %s
    """  # noqa: S608 - table names are ours, values are parameters
    params: list[Any] = [PlacementStatus.ACTIVE.value, before, kind, limit]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement: pick, insert the notices, return what this worker inserted. A second
            # worker picking the same rows waits on the unique index and inserts nothing for them.
            cursor.execute(
                f"""
                WITH picked AS ({pick}),
                inserted AS (
                    INSERT INTO {notices} (placement_id, kind, due, created_at)
                    SELECT id, %s, next_contact_due, %s FROM picked
                    ON CONFLICT (placement_id, kind, due) DO NOTHING
                    RETURNING placement_id
                )
                SELECT picked.*, s.given_name, s.family_name, s.student_number
                FROM picked JOIN inserted ON inserted.placement_id = picked.id
                JOIN {students} s ON s.id = picked.student_id
                """,  # noqa: S608 - as above
                [*params, kind, now],
            )
            rows = cursor.fetchall()
        else:  # SQLite: one writer at a time, so what is picked is what is inserted
            cursor.execute(
                f"""
                SELECT picked.*, s.given_name, s.family_name, s.student_number
                FROM ({pick}) picked JOIN {students} s ON s.id = picked.student_id
                """,  # noqa: S608 - as above
                params,
            )
            rows = cursor.fetchall()
            OverdueNotice.objects.bulk_create(
                [OverdueNotice(placement_id=r[0], kind=kind, due=r[4]) for r in rows],
                batch_size=500,
            )
    return [
        Claimed(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4] if isinstance(r[4], dt.date) else dt.date.fromisoformat(r[4]),
            f"{r[5]} {r[6]} ({r[7]})",
        )
        for r in sorted(rows, key=lambda r: (r[2] is None, r[2] or 0, r[0]))
    ]


def _names(claimed: list[Claimed]) -> dict[int, str]:
    return {c.student_id: c.student for c in claimed}


def _lines(items: list[Claimed], names: dict[int, str], today: dt.date) -> str:
    items = sorted(items, key=lambda c: (c.due, c.placement_id))
    shown = items[:200]
    line = _("- %(student)s: uiterlijk %(due)s (%(days)d dagen te laat)")
    lines = [
        line
        % {
            "student": names.get(c.student_id, "?"),
            "due": c.due.strftime("%d-%m-%Y"),
            "days": (today - c.due).days,
        }
        for c in shown
    ]
    if len(items) > len(shown):
        lines.append(_("… en %(n)d meer.") % {"n": len(items) - len(shown)})
    return "\n".join(lines)


def _coordinator_emails(school_ids: set[int]) -> dict[int, list[str]]:
    """The school's coordinators (staff whose function says coördinator); all staff of a school
    without one."""
    rows = (
        SchoolStaff.objects.filter(school_id__in=school_ids)
        .exclude(user__email="")
        .values_list("school_id", "function", "user__email")
    )
    coordinators: dict[int, list[str]] = defaultdict(list)
    everyone: dict[int, list[str]] = defaultdict(list)
    for school_id, function, email in rows:
        everyone[school_id].append(email)
        if "coördinator" in function.lower() or "coordinator" in function.lower():
            coordinators[school_id].append(email)
    return {s: sorted(set(coordinators.get(s) or everyone.get(s, []))) for s in school_ids}


def _alert_chunk(today: dt.date, limit: int) -> tuple[int, int]:
    with transaction.atomic():
        claimed = _claim(kind=OverdueNotice.Kind.ALERTED, before=today, limit=limit)
        if not claimed:
            return 0, 0
        names = _names(claimed)
        by_supervisor: dict[int, list[Claimed]] = defaultdict(list)
        unsupervised: dict[int, list[Claimed]] = defaultdict(list)
        for c in claimed:
            if c.supervisor_id is None:
                unsupervised[c.school_id].append(c)
            else:
                by_supervisor[c.supervisor_id].append(c)
        emails = dict(
            SchoolStaff.objects.filter(pk__in=list(by_supervisor))
            .exclude(user__email="")
            .values_list("pk", "user__email")
        )
        mails: list[Mail] = []
        for supervisor_id, items in by_supervisor.items():
            if supervisor_id not in emails:
                unsupervised[items[0].school_id].extend(items)
                continue
            mails.append(
                Mail(
                    to=emails[supervisor_id],
                    subject=_("Contactmoment bpv-begeleiding te laat (%(n)d)") % {"n": len(items)},
                    body=_(
                        "Goedendag,\n\nVoor deze stagiairs is het afgesproken contactmoment "
                        "niet op tijd vastgelegd:\n\n%(lines)s\n\nPlan een contact en leg het "
                        "vast in Stagekans onder 'Mijn stagiairs'.\n"
                    )
                    % {"lines": _lines(items, names, today)},
                )
            )
        coordinators = _coordinator_emails(set(unsupervised))
        for school_id, items in unsupervised.items():
            for email in coordinators.get(school_id, []):
                mails.append(
                    Mail(
                        to=email,
                        subject=_("Contactmoment te laat bij stagiairs zonder begeleider"),
                        body=_(
                            "Goedendag,\n\nDeze stagiairs hebben geen bpv-begeleider (met "
                            "e-mailadres) en hun contactmoment is te laat:\n\n%(lines)s\n\n"
                            "Wijs in Stagekans een bpv-begeleider toe.\n"
                        )
                        % {"lines": _lines(items, names, today)},
                    )
                )
        sent = enqueue_mails(mails)
        audit.record_many_by_pk(
            actor=None,
            model=Placement,
            event=AuditEvent.PLACEMENT_OVERDUE_ALERTED,
            items=[(c.placement_id, {"due": c.due.isoformat()}) for c in claimed],
        )
    return len(claimed), sent


def _escalate_chunk(today: dt.date, limit: int) -> tuple[int, int]:
    with transaction.atomic():
        claimed = _claim(
            kind=OverdueNotice.Kind.ESCALATED, before=today - ESCALATE_AFTER, limit=limit
        )
        if not claimed:
            return 0, 0
        names = _names(claimed)
        by_school: dict[int, list[Claimed]] = defaultdict(list)
        for c in claimed:
            by_school[c.school_id].append(c)
        coordinators = _coordinator_emails(set(by_school))
        mails = [
            Mail(
                to=email,
                subject=_("Bpv-begeleiding: contactmoment meer dan twee weken te laat (%(n)d)")
                % {"n": len(items)},
                body=_(
                    "Goedendag,\n\nBij deze stagiairs van uw school is het afgesproken "
                    "contactmoment meer dan twee weken te laat:\n\n%(lines)s\n\nDe "
                    "bpv-begeleiders zijn eerder gewaarschuwd. Zie het overzicht 'Naleving "
                    "bpv-begeleiding' in Stagekans.\n"
                )
                % {"lines": _lines(items, names, today)},
            )
            for school_id, items in by_school.items()
            for email in coordinators.get(school_id, [])
        ]
        sent = enqueue_mails(mails)
        audit.record_many_by_pk(
            actor=None,
            model=Placement,
            event=AuditEvent.PLACEMENT_OVERDUE_ESCALATED,
            items=[(c.placement_id, {"due": c.due.isoformat()}) for c in claimed],
        )
    return len(claimed), sent


def alert_overdue_contacts(*, today: dt.date | None = None, chunk: int = CHUNK) -> OverdueRun:
    """Run the job once over all placements (each chunk its own transaction)."""
    today = today or timezone.localdate()
    run = OverdueRun()
    while True:
        claimed, sent = _alert_chunk(today, chunk)
        run.alerted += claimed
        run.mails += sent
        if claimed < chunk:
            break
    while True:
        claimed, sent = _escalate_chunk(today, chunk)
        run.escalated += claimed
        run.mails += sent
        if claimed < chunk:
            break
    return run


def overdue_summary(**kwargs: Any) -> dict[str, int]:
    run = alert_overdue_contacts(**kwargs)
    return {"alerted": run.alerted, "escalated": run.escalated, "mails": run.mails}
