"""Enrolment requests: the student (or their coordinator for a group) asks, the checks run and
are stored with the request, the home coordinator approves, the host accepts.

The checks run again at each decision (a timetable or placement may have changed; places may
have run out), and the stored results are replaced by the newest run, so both schools and the
student always see why. A failed blocking check refuses the request with that check as reason.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.education.models import Student
from stagekans.geo.places import haversine_km
from stagekans.keuzedelen import checks, selectors
from stagekans.keuzedelen.models import EnrolmentRequest, Offering
from stagekans.keuzedelen.services.agreements import staff_school
from stagekans.keuzedelen.workflow import (
    EnrolmentStatus,
    RefusalReason,
    Side,
    check_enrolment,
)


def _days(mask: int | None) -> str:
    return selectors.day_names(mask)


def describe(outcome: checks.Outcome) -> str:
    """The Dutch sentence for one check outcome, as the student and coordinators read it."""
    f = outcome.figures
    c = checks.Check
    if outcome.check == c.AGREEMENT:
        if outcome.passed:
            return _("De scholen hebben een getekende samenwerkingsovereenkomst.")
        if not f["in_force"]:
            return _("De samenwerkingsovereenkomst is nog niet door alle partners getekend.")
        return _("De eigen school is geen partner in de samenwerkingsovereenkomst.")
    if outcome.check == c.ENTRY:
        if outcome.passed:
            return _(
                "De opleiding (niveau %(n)s) voldoet aan de toelatingseis (niveau %(m)s of hoger)."
            ) % {"n": f["niveau"], "m": f["min_niveau"]}
        return _(
            "Dit keuzedeel vraagt een opleiding op niveau %(m)s of hoger; de opleiding is niveau "
            "%(n)s."
        ) % {"n": f["niveau"], "m": f["min_niveau"]}
    if outcome.check == c.CAPACITY:
        if outcome.passed:
            return _("Er is plaats: %(t)s van %(p)s plaatsen bezet.") % {
                "t": f["taken"],
                "p": f["places"],
            }
        return _("Alle %(p)s plaatsen zijn bezet.") % {"p": f["places"]}
    if outcome.check == c.TIMETABLE:
        if not f["known"]:
            return _(
                "Er is geen rooster van de eigen opleiding voor dit cohort vastgelegd; de eigen "
                "school controleert de botsing zelf."
            )
        if outcome.passed:
            return _("De lesdag botst niet met het rooster van de eigen opleiding.")
        return _("De lesdag (%(d)s) botst met lessen van de eigen opleiding.") % {
            "d": _days(int(f["clash_days"] or 0))
        }
    if outcome.check == c.PLACEMENT:
        if outcome.passed:
            return _("De lesdag botst niet met stagedagen.")
        return _("De lesdag (%(d)s) is een stagedag volgens de praktijkovereenkomst.") % {
            "d": _days(int(f["clash_days"] or 0))
        }
    if outcome.check == c.TRAVEL:
        values = {"m": f["minutes"], "max": f["max_minutes"], "km": f["distance_km"]}
        if outcome.passed:
            return (
                _(
                    "Geschatte reistijd %(m)s minuten enkele reis (%(km)s km hemelsbreed); de "
                    "grens is %(max)s minuten."
                )
                % values
            )
        return (
            _(
                "Geschatte reistijd %(m)s minuten enkele reis (%(km)s km hemelsbreed) is langer "
                "dan de grens van %(max)s minuten."
            )
            % values
        )
    # under-18
    if not f["minor"]:
        return _("De student is bij de start 18 jaar of ouder; de leerplichtregel geldt niet.")
    if outcome.passed:
        return _(
            "De student is jonger dan 18 en de lesdag is vrij in het rooster van de eigen "
            "opleiding."
        )
    if f["clash_days"] is None:
        return _(
            "De student is jonger dan 18 en er is geen rooster van de eigen opleiding: niet vast "
            "te stellen dat de lesdag vrij is. Leg eerst het rooster vast."
        )
    return _(
        "De student is jonger dan 18 en moet alle lessen van de eigen opleiding volgen; de lesdag "
        "is geen vrije dag in het eigen rooster."
    )


def evaluate(
    student: Student, offering: Offering, *, exclude: EnrolmentRequest | None = None
) -> tuple[list[checks.Outcome], float]:
    """Run every check for this student and offering with today's data."""
    version = selectors.active_version(offering.agreement)
    partners = selectors.partner_school_ids(version)
    free_days = version.shared_day if version and student.school_id in partners else 0
    distance = haversine_km(
        student.latitude, student.longitude, offering.latitude, offering.longitude
    )
    birth = student.date_of_birth
    start = offering.start_date
    taken = selectors.places_taken(offering)
    if exclude is not None and exclude.status in (
        EnrolmentStatus.ACCEPTED,
        EnrolmentStatus.COMPLETED,
    ):
        taken -= 1
    outcomes = checks.run_checks(
        checks.CheckInput(
            keuzedeel_days=offering.weekdays,
            home_lesson_days=selectors.home_lesson_days(student),
            agreement_free_days=free_days,
            placement_days=selectors.placement_days(
                student, offering.start_date, offering.end_date
            ),
            age_at_start=checks.age_on(
                birth.year, birth.month, birth.day, start.year, start.month, start.day
            ),
            distance_km=distance,
            max_travel_minutes=settings.KEUZEDELEN_MAX_TRAVEL_MINUTES,
            agreement_in_force=version is not None,
            student_school_is_partner=student.school_id in partners
            and offering.host_id in partners,
            student_niveau=student.programme.qualification.niveau,
            min_niveau=offering.min_niveau,
            places=offering.places,
            places_taken=taken,
        )
    )
    return outcomes, distance


def _store(enrolment: EnrolmentRequest, outcomes: list[checks.Outcome], distance: float) -> None:
    enrolment.checks = [
        {"check": o.check.value, "passed": o.passed, "blocking": o.blocking, "message": describe(o)}
        for o in outcomes
    ]
    enrolment.checked_at = timezone.now()
    enrolment.distance_km = Decimal(str(round(distance, 1)))
    travel = next(o for o in outcomes if o.check == checks.Check.TRAVEL)
    enrolment.travel_minutes = int(travel.figures["minutes"] or 0)


def _refuse_on_checks(enrolment: EnrolmentRequest, outcomes: list[checks.Outcome]) -> bool:
    failure = checks.first_blocking_failure(outcomes)
    if failure is None:
        return False
    check_enrolment(
        EnrolmentStatus(enrolment.status) if enrolment.status else None, EnrolmentStatus.REFUSED
    )
    enrolment.status = EnrolmentStatus.REFUSED
    enrolment.refused_by = Side.CHECKS
    enrolment.refusal_reason = RefusalReason(failure.check.value)
    return True


def _may_request_for(acting_user: Any, student: Student) -> bool:
    if getattr(student, "user_id", None) == acting_user.pk:
        return bool(acting_user.has_perm("keuzedelen.request_keuzedeel"))
    return staff_school(acting_user) == student.school and acting_user.has_perm(
        "keuzedelen.decide_keuzedeel_request"
    )


def request_keuzedeel(
    *, acting_user: Any, student: Student, offering: Offering, motivation: str = ""
) -> EnrolmentRequest:
    """Store a request with its check results. Refused at once when a blocking check fails
    (the student sees why); otherwise it waits for the home coordinator."""
    if not _may_request_for(acting_user, student):
        raise PermissionDenied
    if not offering.published or offering.end_date < dt.date.today():
        raise ValidationError(_("Dit keuzedeel staat niet (meer) open voor aanvragen."))
    if offering.host_id == student.school_id:
        raise ValidationError(
            _("Dit keuzedeel wordt door je eigen school gegeven; vraag het daar aan.")
        )
    with transaction.atomic():
        Student.objects.select_for_update().filter(pk=student.pk).first()
        if EnrolmentRequest.objects.filter(
            student=student,
            offering=offering,
            status__in=[
                EnrolmentStatus.SUBMITTED,
                EnrolmentStatus.HOME_APPROVED,
                EnrolmentStatus.ACCEPTED,
                EnrolmentStatus.COMPLETED,
            ],
        ).exists():
            raise ValidationError(_("Er loopt al een aanvraag voor dit keuzedeel."))
        outcomes, distance = evaluate(student, offering)
        enrolment = EnrolmentRequest(
            student=student,
            offering=offering,
            home_school_id=student.school_id,
            host_school_id=offering.host_id,
            requested_by=acting_user,
            motivation=motivation.strip(),
            status="",
        )
        _store(enrolment, outcomes, distance)
        if not _refuse_on_checks(enrolment, outcomes):
            check_enrolment(None, EnrolmentStatus.SUBMITTED)
            enrolment.status = EnrolmentStatus.SUBMITTED
        enrolment.save()
        record(
            actor=acting_user,
            event=AuditEvent.KEUZEDEEL_REQUESTED,
            obj=enrolment,
            details={
                "offering": offering.pk,
                "status": enrolment.status,
                "refusal_reason": enrolment.refusal_reason,
            },
        )
        if enrolment.status == EnrolmentStatus.REFUSED:
            record(
                actor=acting_user,
                event=AuditEvent.KEUZEDEEL_REFUSED,
                obj=enrolment,
                details={"by": Side.CHECKS, "reason": enrolment.refusal_reason},
            )
        return enrolment


def request_for_group(
    *, acting_user: Any, students: list[Student], offering: Offering, motivation: str = ""
) -> list[EnrolmentRequest]:
    """A coordinator asks for a group; each student is checked on their own."""
    if not students:
        raise ValidationError({"students": [_("Kies minstens één student.")]})
    with transaction.atomic():
        return [
            request_keuzedeel(
                acting_user=acting_user, student=s, offering=offering, motivation=motivation
            )
            for s in students
        ]


def _lock(enrolment: EnrolmentRequest) -> EnrolmentRequest:
    return (
        EnrolmentRequest.objects.select_for_update()
        .select_related("student__programme__qualification", "offering__agreement")
        .get(pk=enrolment.pk)
    )


def _refuse(
    locked: EnrolmentRequest, *, acting_user: Any, side: Side, reason: RefusalReason, note: str
) -> None:
    check_enrolment(EnrolmentStatus(locked.status), EnrolmentStatus.REFUSED)
    locked.status, locked.refused_by, locked.refusal_reason = EnrolmentStatus.REFUSED, side, reason
    record(
        actor=acting_user,
        event=AuditEvent.KEUZEDEEL_REFUSED,
        obj=locked,
        details={"by": side, "reason": reason, "note": note},
    )


def _decide(
    locked: EnrolmentRequest,
    *,
    acting_user: Any,
    yes: bool,
    reason: RefusalReason | None,
    note: str,
    side: Side,
    target: EnrolmentStatus,
    event: AuditEvent,
) -> None:
    """One side's decision on a locked request: a yes runs the checks again and moves it to
    `target` (or refuses it on the first blocking check); a no refuses it with `reason`."""
    if not yes:
        assert reason is not None
        _refuse(locked, acting_user=acting_user, side=side, reason=reason, note=note)
        return
    outcomes, distance = evaluate(locked.student, locked.offering)
    _store(locked, outcomes, distance)
    failure = checks.first_blocking_failure(outcomes)
    if failure is not None:
        _refuse(
            locked,
            acting_user=acting_user,
            side=Side.CHECKS,
            reason=RefusalReason(failure.check.value),
            note="",
        )
        return
    check_enrolment(EnrolmentStatus(locked.status), target)
    locked.status = target
    record(actor=acting_user, event=event, obj=locked, details={"note": note})


def decide_home(
    *,
    acting_user: Any,
    enrolment: EnrolmentRequest,
    approve: bool,
    reason: RefusalReason | None = None,
    note: str = "",
) -> EnrolmentRequest:
    """The home coordinator approves (the checks run again first) or refuses with a reason."""
    school = staff_school(acting_user)
    if school is None or school.pk != enrolment.home_school_id:
        raise PermissionDenied
    if not acting_user.has_perm("keuzedelen.decide_keuzedeel_request"):
        raise PermissionDenied
    if not approve and reason is None:
        raise ValidationError({"reason": [_("Kies de reden van de weigering.")]})
    with transaction.atomic():
        locked = _lock(enrolment)
        if locked.status != EnrolmentStatus.SUBMITTED:
            raise ValidationError(_("Over deze aanvraag heeft de eigen school al besloten."))
        locked.home_decided_by, locked.home_decided_at, locked.home_note = (
            acting_user,
            timezone.now(),
            note.strip(),
        )
        _decide(
            locked,
            acting_user=acting_user,
            yes=approve,
            reason=reason,
            note=locked.home_note,
            side=Side.HOME,
            target=EnrolmentStatus.HOME_APPROVED,
            event=AuditEvent.KEUZEDEEL_HOME_APPROVED,
        )
        locked.save()
        return locked


def decide_host(
    *,
    acting_user: Any,
    enrolment: EnrolmentRequest,
    accept: bool,
    reason: RefusalReason | None = None,
    note: str = "",
) -> EnrolmentRequest:
    """The host accepts (checks and capacity again, the offering locked so two coordinators
    cannot both give away the last place) or refuses with a reason."""
    school = staff_school(acting_user)
    if school is None or school.pk != enrolment.host_school_id:
        raise PermissionDenied
    if not acting_user.has_perm("keuzedelen.decide_keuzedeel_request"):
        raise PermissionDenied
    if not accept and reason is None:
        raise ValidationError({"reason": [_("Kies de reden van de weigering.")]})
    with transaction.atomic():
        Offering.objects.select_for_update().filter(pk=enrolment.offering_id).first()
        locked = _lock(enrolment)
        if locked.status != EnrolmentStatus.HOME_APPROVED:
            raise ValidationError(_("Deze aanvraag wacht niet op een besluit van de gastschool."))
        locked.host_decided_by, locked.host_decided_at, locked.host_note = (
            acting_user,
            timezone.now(),
            note.strip(),
        )
        _decide(
            locked,
            acting_user=acting_user,
            yes=accept,
            reason=reason,
            note=locked.host_note,
            side=Side.HOST,
            target=EnrolmentStatus.ACCEPTED,
            event=AuditEvent.KEUZEDEEL_ACCEPTED,
        )
        locked.save()
        return locked


def withdraw(*, acting_user: Any, enrolment: EnrolmentRequest) -> EnrolmentRequest:
    """The student (or the home coordinator) withdraws a request or stops a running keuzedeel."""
    own = enrolment.student.user_id == acting_user.pk
    school = staff_school(acting_user)
    home = school is not None and school.pk == enrolment.home_school_id
    if not (own or home):
        raise PermissionDenied
    with transaction.atomic():
        locked = _lock(enrolment)
        check_enrolment(EnrolmentStatus(locked.status), EnrolmentStatus.WITHDRAWN)
        locked.status = EnrolmentStatus.WITHDRAWN
        locked.save(update_fields=["status"])
        record(
            actor=acting_user,
            event=AuditEvent.KEUZEDEEL_WITHDRAWN,
            obj=locked,
            details={"by": Side.STUDENT if own else Side.HOME},
        )
        return locked
