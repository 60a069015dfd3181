"""Writes for school tasks. Other apps create tasks through create_school_task."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.education.models import School, SchoolStaff
from stagekans.notifications.services import enqueue_mail
from stagekans.worklist.models import SchoolTask, SchoolTaskKind


@transaction.atomic
def create_school_task(
    *,
    acting_user: Any,
    school: School,
    kind: SchoolTaskKind,
    subject: str,
    recognition: Any = None,
    dedup_key: str | None = None,
) -> SchoolTask:
    """Give a school a task and mail its staff (after commit, through the outbox).

    With `dedup_key`, calling twice for the same cause creates one task.
    """
    if not subject or not subject.strip():
        raise ValidationError({"subject": _("Geef een omschrijving van de taak.")})
    if dedup_key:
        existing = SchoolTask.objects.filter(dedup_key=dedup_key).first()
        if existing is not None:
            return existing
    task = SchoolTask.objects.create(
        school=school,
        kind=SchoolTaskKind(kind),
        subject=subject.strip(),
        recognition=recognition,
        dedup_key=dedup_key or None,
    )
    record(
        actor=acting_user,
        event=AuditEvent.SCHOOL_TASK_CREATED,
        obj=task,
        details={"school": school.pk, "kind": str(kind)},
    )
    emails = (
        SchoolStaff.objects.filter(school=school)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .distinct()
    )
    for email in emails:
        enqueue_mail(
            to=email,
            subject=_("Nieuwe taak voor %(school)s: %(kind)s")
            % {"school": school.name, "kind": task.get_kind_display()},
            body=_(
                "Beste collega,\n\nEr is een nieuwe taak voor uw school in Stagekans:\n\n"
                "%(subject)s\n\nBekijk de open taken van uw school in Stagekans onder 'Taken'.\n"
            )
            % {"subject": task.subject},
            dedup_key=f"schooltask:{task.pk}:{email}",
        )
    return task


@transaction.atomic
def complete_school_task(*, acting_user: Any, task: SchoolTask) -> SchoolTask:
    task = SchoolTask.objects.select_for_update().get(pk=task.pk)
    if task.done_at is not None:
        raise ValidationError(_("Deze taak is al afgerond."))
    task.done_at = timezone.now()
    task.done_by = acting_user
    task.save(update_fields=["done_at", "done_by"])
    record(actor=acting_user, event=AuditEvent.SCHOOL_TASK_DONE, obj=task, details={})
    return task
