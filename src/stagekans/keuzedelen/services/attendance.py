"""Attendance per lesson and the result, recorded by the host and visible at home at once.

When a placed student's absence rises above the agreement's threshold, the home school's
coordinators get one alert: `absence_alerted_at` is set under a row lock in the same
transaction as the outbox mail (with a dedup key), so a second recording, a retry or two hosts
at once never send it twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.education.models import SchoolStaff
from stagekans.keuzedelen import checks, selectors
from stagekans.keuzedelen.models import AttendanceRecord, EnrolmentRequest, Offering
from stagekans.keuzedelen.services.agreements import staff_school
from stagekans.keuzedelen.workflow import (
    AttendanceStatus,
    EnrolmentStatus,
    Result,
    check_enrolment,
)
from stagekans.notifications.services import enqueue_mail


def _require_host(acting_user: Any, offering: Offering) -> None:
    school = staff_school(acting_user)
    if school is None or school.pk != offering.host_id:
        raise PermissionDenied
    if not acting_user.has_perm("keuzedelen.record_keuzedeel_attendance"):
        raise PermissionDenied


def record_attendance(
    *,
    acting_user: Any,
    offering: Offering,
    lesson_date: dt.date,
    statuses: dict[int, AttendanceStatus],
) -> int:
    """Record (or correct) one lesson's attendance for placed students; returns rows written."""
    _require_host(acting_user, offering)
    if lesson_date not in selectors.lesson_dates(offering):
        raise ValidationError(
            {"lesson_date": [_("Op deze datum is er geen les van dit keuzedeel.")]}
        )
    if lesson_date > timezone.localdate():
        raise ValidationError({"lesson_date": [_("Aanwezigheid leg je vast op of na de lesdag.")]})
    with transaction.atomic():
        enrolments = {
            e.pk: e
            for e in EnrolmentRequest.objects.select_for_update().filter(
                offering=offering, pk__in=list(statuses), status=EnrolmentStatus.ACCEPTED
            )
        }
        unknown = set(statuses) - set(enrolments)
        if unknown:
            raise ValidationError(_("Een of meer studenten zijn niet geplaatst op dit keuzedeel."))
        for pk, status in statuses.items():
            AttendanceRecord.objects.update_or_create(
                enrolment_id=pk,
                lesson_date=lesson_date,
                defaults={"status": AttendanceStatus(status), "recorded_by": acting_user},
            )
        record(
            actor=acting_user,
            event=AuditEvent.KEUZEDEEL_ATTENDANCE_RECORDED,
            obj=offering,
            details={
                "date": lesson_date.isoformat(),
                "statuses": {str(k): str(v) for k, v in statuses.items()},
            },
        )
        for enrolment in enrolments.values():
            _alert_if_needed(enrolment)
        return len(statuses)


def _alert_if_needed(enrolment: EnrolmentRequest) -> bool:
    """Called with `enrolment` locked. Sends the alert once, the first time absence exceeds."""
    if enrolment.absence_alerted_at is not None:
        return False
    version = selectors.active_version(enrolment.offering.agreement)
    threshold = version.absence_threshold_percent if version else 20
    summary = selectors.attendance_summary(enrolment)
    if not checks.absence_exceeds(
        absent=summary.absent, recorded=summary.recorded, threshold_percent=threshold
    ):
        return False
    enrolment.absence_alerted_at = timezone.now()
    enrolment.save(update_fields=["absence_alerted_at"])
    link = settings.SITE_URL.rstrip("/") + reverse("keuzedelen:request_detail", args=[enrolment.pk])
    staff = SchoolStaff.objects.filter(school_id=enrolment.home_school_id).select_related("user")
    for member in staff:
        if not member.user.email or not member.user.is_active:
            continue
        enqueue_mail(
            to=member.user.email,
            subject=_("Verzuim keuzedeel boven de grens: %(student)s")
            % {"student": enrolment.student},
            body=_(
                "%(student)s was afwezig bij %(absent)s van %(recorded)s lessen van het keuzedeel "
                "%(keuzedeel)s bij %(host)s (grens: %(threshold)s%%).\n\nBekijk de aanwezigheid: "
                "%(link)s\n\nU krijgt dit bericht één keer per aanvraag."
            )
            % {
                "student": enrolment.student,
                "absent": summary.absent,
                "recorded": summary.recorded,
                "keuzedeel": enrolment.offering.keuzedeel.title,
                "host": enrolment.offering.host.name,
                "threshold": threshold,
                "link": link,
            },
            dedup_key=f"keuzedeel-absence-{enrolment.pk}-{member.user_id}",
        )
    record(
        actor=None,
        event=AuditEvent.KEUZEDEEL_ABSENCE_ALERTED,
        obj=enrolment,
        details={"absent": summary.absent, "recorded": summary.recorded, "threshold": threshold},
    )
    return True


def record_result(
    *, acting_user: Any, enrolment: EnrolmentRequest, result: Result, grade: str = ""
) -> EnrolmentRequest:
    _require_host(acting_user, enrolment.offering)
    with transaction.atomic():
        locked = EnrolmentRequest.objects.select_for_update().get(pk=enrolment.pk)
        check_enrolment(EnrolmentStatus(locked.status), EnrolmentStatus.COMPLETED)
        locked.status = EnrolmentStatus.COMPLETED
        locked.result, locked.result_grade = Result(result), grade.strip()[:20]
        locked.result_recorded_at = timezone.now()
        locked.save(update_fields=["status", "result", "result_grade", "result_recorded_at"])
        record(
            actor=acting_user,
            event=AuditEvent.KEUZEDEEL_RESULT_RECORDED,
            obj=locked,
            details={"result": str(result), "grade": locked.result_grade},
        )
        return locked
