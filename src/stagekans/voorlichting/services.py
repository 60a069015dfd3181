"""Writes for voorlichting: publish a version, acknowledge reading it, announce an internship
period (everyone in the programme reads again), and the reminder job."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.education.models import Programme, Student
from stagekans.jobs import services as jobs
from stagekans.notifications.services import Mail, enqueue_mails
from stagekans.voorlichting import selectors
from stagekans.voorlichting.models import Acknowledgement, InformationText, InternshipPeriod


@transaction.atomic
def publish_text(
    *,
    acting_user: Any,
    title_nl: str,
    title_en: str,
    body_nl: str,
    body_en: str,
    published_at: dt.datetime | None = None,
) -> InformationText:
    """Publish the next version; from then on every student must read it again.

    `acting_user` needs voorlichting.publish_text; None only for system jobs (seeding)."""
    if acting_user is not None and not acting_user.has_perm("voorlichting.publish_text"):
        raise PermissionDenied(_("U mag geen nieuwe versie van de voorlichtingstekst publiceren."))
    if not all(v.strip() for v in (title_nl, title_en, body_nl, body_en)):
        raise ValidationError(_("Vul titel en tekst in, in het Nederlands en in het Engels."))
    # Lock the table's newest row so two publications cannot take the same number.
    latest = InformationText.objects.select_for_update().order_by("-version").first()
    version = (latest.version if latest else 0) + 1
    text = InformationText.objects.create(
        version=version,
        title_nl=title_nl.strip(),
        title_en=title_en.strip(),
        body_nl=body_nl.strip(),
        body_en=body_en.strip(),
        published_at=published_at or timezone.now(),
        published_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    record(
        actor=acting_user,
        event=AuditEvent.VOORLICHTING_PUBLISHED,
        obj=text,
        details={"version": version},
    )
    return text


@transaction.atomic
def acknowledge(*, acting_user: Any, student: Student, text: InformationText) -> Acknowledgement:
    """The student confirms having read `text`; the moment is what they owed (idempotent)."""
    if getattr(acting_user, "pk", None) != student.user_id:
        raise PermissionDenied(_("Alleen de student zelf bevestigt dat hij of zij dit las."))
    current = selectors.current_text()
    if current is None or current.pk != text.pk:
        raise ValidationError(_("Er is een nieuwere versie van deze tekst. Lees die eerst."))
    Student.objects.select_for_update().filter(pk=student.pk).first()
    moment = selectors.pending_moment(student, text)
    if moment is None:
        existing = Acknowledgement.objects.filter(student=student, text=text).first()
        if existing is not None:
            return existing
        moment = "onboarding"
    period = selectors.latest_period_of(student.programme_id)
    acknowledgement = Acknowledgement.objects.create(
        student=student,
        text=text,
        moment=moment,
        internship_period=period if moment == "before_internship" else None,
    )
    record(
        actor=acting_user,
        event=AuditEvent.VOORLICHTING_ACKNOWLEDGED,
        obj=student,
        details={"version": text.version, "moment": moment},
    )
    return acknowledgement


@transaction.atomic
def announce_internship_period(
    *, acting_user: Any, programme: Programme, starts_on: dt.date
) -> InternshipPeriod:
    """School staff announce an internship period: the programme's students read again."""
    school_staff = getattr(acting_user, "school_staff", None)
    if (
        not acting_user.has_perm("voorlichting.announce_internship_period")
        or school_staff is None
        or school_staff.school_id != programme.school_id
    ):
        raise PermissionDenied(
            _("Alleen medewerkers van deze school kondigen een stageperiode aan.")
        )
    if starts_on < timezone.localdate():
        raise ValidationError({"starts_on": _("Begindatum: kies een datum vanaf vandaag.")})
    period = InternshipPeriod.objects.create(
        programme=programme, starts_on=starts_on, announced_by=acting_user
    )
    record(
        actor=acting_user,
        event=AuditEvent.VOORLICHTING_PERIOD_ANNOUNCED,
        obj=programme,
        details={"starts_on": starts_on.isoformat(), "period": period.pk},
    )
    return period


REMINDER_JOB = "voorlichting.reminders"


def reminder_mail(*, email: str, given_name: str, student_id: int, version: int, week: str) -> Mail:
    """The reminder to one student; its dedup key allows one per version per ISO week."""
    url = f"{settings.SITE_URL}/voorlichting/"
    return Mail(
        to=email,
        subject=_("Lees even: discriminatie bij je stage, wat kun je doen?"),
        body=_(
            "Hoi %(name)s,\n\n"
            "Op Stagekans staat korte uitleg over discriminatie bij stages: wat het "
            "is, hoe je het meldt en wat er daarna gebeurt. Lees het voordat je "
            "stage begint en bevestig dat je het gelezen hebt:\n%(url)s\n\n"
            "Stagekans"
        )
        % {"name": given_name, "url": url},
        dedup_key=f"voorlichting:reminder:{student_id}:v{version}:{week}",
    )


def send_reminders(
    *, now: dt.datetime | None = None, batch: int = 5000, acting_user: Any = None
) -> int:
    """Enqueue a reminder for each student (with an account) who has not read the current text.

    At most one reminder per student per version per ISO week (the outbox dedup key), so
    running the job twice, or daily, never sends twice in a week. Set-based: students are read
    in keyset chunks (id order), each chunk's mails written in one transaction with a set-based
    duplicate check, with progress (jobs.BackgroundJob). Returns mails enqueued now.
    """
    now = now or timezone.now()
    text = selectors.current_text(now)
    if text is None:
        return 0
    year, week_number, _weekday = timezone.localdate(now).isocalendar()
    week = f"{year}-W{week_number:02d}"
    owing = selectors.not_informed_with_login().order_by("pk")
    job = jobs.start(
        acting_user=acting_user,
        kind=REMINDER_JOB,
        label=_("Herinneringen voorlichting versie %(v)s, week %(w)s")
        % {"v": text.version, "w": week},
        total=owing.count(),
    )
    enqueued = 0
    last = 0
    try:
        while True:
            chunk = list(
                owing.filter(pk__gt=last).values_list("pk", "user__email", "given_name")[:batch]
            )
            if not chunk:
                break
            last = chunk[-1][0]
            with transaction.atomic():
                enqueued += enqueue_mails(
                    reminder_mail(
                        email=email or "",
                        given_name=given_name,
                        student_id=pk,
                        version=text.version,
                        week=week,
                    )
                    for pk, email, given_name in chunk
                )
                jobs.advance(job, done=len(chunk), cursor={"last_student": last})
    except Exception as error:
        jobs.fail(job, error=f"{type(error).__name__}: {error}")
        raise
    jobs.finish(job, result={"enqueued": enqueued})
    return enqueued
