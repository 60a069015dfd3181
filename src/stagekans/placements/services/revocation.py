"""The revocation cascade for placements (register.hooks): when SBB revokes a company's
recognition for a qualification, every running placement there for that qualification is
flagged, the student and the school are told (outbox), and the school gets one task per
placement to find a replacement placement. The task closes by itself when a new POK for that
student is fully signed (agreements._activate_if_complete)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stagekans.audit import services as audit
from stagekans.audit.models import AuditEvent
from stagekans.notifications.services import enqueue_mail
from stagekans.placements.models import Placement, ReplacementTask
from stagekans.placements.workflow import RUNNING


def placements_hit_by(recognition: Any) -> QuerySet[Placement]:
    return Placement.objects.filter(
        company_id=recognition.company_id,
        qualification_id=recognition.qualification_id,
        status__in=list(RUNNING),
    )


def describe_revocation_effects(*, recognition: Any, revocation: Any = None) -> list[str]:
    """register.hooks preview: what the revocation does to running placements."""
    placements = placements_hit_by(recognition).filter(recognition_revoked_at__isnull=True)
    total = placements.count()
    if not total:
        return [_("Er lopen geen stages bij dit leerbedrijf voor deze kwalificatie.")]
    schools = placements.values("school_id").distinct().count()
    return [
        ngettext(
            "%(n)d lopende stage wordt gemarkeerd; de student krijgt bericht en de school "
            "(%(schools)d) krijgt een taak om een vervangende stageplek te zoeken.",
            "%(n)d lopende stages worden gemarkeerd; de studenten krijgen bericht en de scholen "
            "(%(schools)d) krijgen per stage een taak om een vervangende stageplek te zoeken.",
            total,
        )
        % {"n": total, "schools": schools}
    ]


def flag_placements_for_revocation(*, recognition: Any, acting_user: Any) -> None:
    """Revocation hook; runs inside the register's revocation transaction."""
    from stagekans.worklist.models import SchoolTaskKind
    from stagekans.worklist.services import create_school_task

    now = timezone.now()
    placements = list(
        placements_hit_by(recognition)
        .filter(recognition_revoked_at__isnull=True)
        .select_for_update(of=("self",))
        .select_related("student__user", "school", "company", "qualification")
    )
    for placement in placements:
        placement.recognition_revoked_at = now
        placement.save(update_fields=["recognition_revoked_at"])
        audit.record(
            actor=acting_user,
            event=AuditEvent.PLACEMENT_RECOGNITION_REVOKED,
            obj=placement,
            details={"recognition": recognition.pk},
        )
        student = placement.student
        if student.user is not None and student.user.email:
            enqueue_mail(
                to=student.user.email,
                subject=_("Je stagebedrijf is niet meer erkend"),
                body=_(
                    "Beste %(name)s,\n\nSBB heeft de erkenning van %(company)s voor "
                    "%(qualification)s ingetrokken. Je stage daar kan zo niet doorgaan. Je "
                    "school neemt contact met je op om samen een andere stageplek te zoeken.\n"
                )
                % {
                    "name": student.given_name,
                    "company": placement.company.name,
                    "qualification": placement.qualification.title,
                },
                dedup_key=f"placement-revoked:{placement.pk}:student",
            )
        task = create_school_task(
            acting_user=acting_user,
            school=placement.school,
            kind=SchoolTaskKind.FIND_REPLACEMENT_PLACEMENT,
            recognition=recognition,
            subject=_(
                "De erkenning van %(company)s voor %(qualification)s (crebo %(crebo)s) is "
                "ingetrokken. %(student)s (studentnummer %(number)s) loopt daar stage van "
                "%(start)s tot en met %(end)s. Zoek samen met de student een vervangende "
                "stageplek; deze taak sluit vanzelf zodra een nieuwe praktijkovereenkomst "
                "volledig getekend is."
            )
            % {
                "company": placement.company.name,
                "qualification": placement.qualification.title,
                "crebo": placement.qualification.crebo,
                "student": student,
                "number": student.student_number,
                "start": placement.start_date.strftime("%d-%m-%Y"),
                "end": placement.end_date.strftime("%d-%m-%Y"),
            },
            dedup_key=f"replacement-placement:{placement.pk}",
        )
        ReplacementTask.objects.get_or_create(
            placement=placement, defaults={"task": task, "student_id": student.pk}
        )


def close_replacement_tasks(*, acting_user: Any, placement: Placement) -> int:
    """Close the open replacement tasks of the student once `placement` (a placement without
    a revoked recognition) has a fully signed POK. Runs inside the signing transaction."""
    from stagekans.worklist.services import complete_school_task

    if placement.recognition_revoked_at is not None:
        return 0
    links = (
        ReplacementTask.objects.filter(student_id=placement.student_id, task__done_at__isnull=True)
        .exclude(placement=placement)
        .select_related("task")
    )
    closed = 0
    with transaction.atomic():
        for link in links:
            complete_school_task(acting_user=acting_user, task=link.task)
            closed += 1
    return closed
