"""The home timetable the checks use, and planned activities with the shared-day warning."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.education.models import Programme
from stagekans.keuzedelen import selectors
from stagekans.keuzedelen.models import EnrolmentRequest, HomeTimetable, PlannedActivity
from stagekans.keuzedelen.services.agreements import staff_school
from stagekans.keuzedelen.workflow import EnrolmentStatus


def _require_own_programme(acting_user: Any, programme: Programme) -> None:
    school = staff_school(acting_user)
    if school is None or school.pk != programme.school_id:
        raise PermissionDenied
    if not acting_user.has_perm("keuzedelen.manage_timetable"):
        raise PermissionDenied


def set_timetable(
    *, acting_user: Any, programme: Programme, cohort: int, lesson_days: int
) -> HomeTimetable:
    _require_own_programme(acting_user, programme)
    if not 0 <= lesson_days <= 31:
        raise ValidationError({"lesson_days": [_("Kies lesdagen van maandag tot en met vrijdag.")]})
    with transaction.atomic():
        timetable, _created = HomeTimetable.objects.update_or_create(
            programme=programme, cohort=cohort, defaults={"lesson_days": lesson_days}
        )
        record(
            actor=acting_user,
            event=AuditEvent.HOME_TIMETABLE_SET,
            obj=timetable,
            details={"lesson_days": lesson_days},
        )
        return timetable


def plan_activity(
    *, acting_user: Any, programme: Programme, cohort: int, date: dt.date, title: str
) -> PlannedActivity:
    """Plan it; when it falls on a day that students of this programme and cohort follow a
    keuzedeel elsewhere (or on an agreement's shared lesson day), it carries a warning."""
    _require_own_programme(acting_user, programme)
    if not title.strip():
        raise ValidationError({"title": [_("Geef de activiteit een naam.")]})
    bit = 1 << date.weekday()
    shared = selectors.shared_days_for(programme.school) & bit
    affected = (
        EnrolmentRequest.objects.filter(
            student__programme=programme,
            student__cohort=cohort,
            status=EnrolmentStatus.ACCEPTED,
            offering__start_date__lte=date,
            offering__end_date__gte=date,
        )
        .annotate(on_day=F("offering__weekdays").bitand(bit))
        .filter(on_day__gt=0)
        .count()
    )
    warning = ""
    if affected:
        warning = _(
            "Let op: %(n)s student(en) van deze opleiding en dit cohort volgen op %(day)s een "
            "keuzedeel bij een andere instelling. Zij missen deze activiteit, of hun keuzedeel."
        ) % {"n": affected, "day": selectors.day_names(bit)}
    elif shared:
        warning = _(
            "Let op: %(day)s is de gezamenlijke lesdag uit een samenwerkingsovereenkomst. Uw "
            "school heeft afgesproken deze dag vrij te houden voor keuzedelen."
        ) % {"day": selectors.day_names(bit)}
    with transaction.atomic():
        activity = PlannedActivity.objects.create(
            programme=programme,
            cohort=cohort,
            date=date,
            title=title.strip(),
            warning=warning,
            affected_students=affected,
            created_by=acting_user,
        )
        record(
            actor=acting_user,
            event=AuditEvent.ACTIVITY_PLANNED,
            obj=activity,
            details={"date": date.isoformat(), "affected": affected, "warned": bool(warning)},
        )
        return activity
