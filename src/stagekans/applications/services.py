"""The only code that writes applications. Every status change is one function here: it locks
the row, checks the transition table (applications/workflow.py), writes a history row and an
audit row in the same transaction and queues mail through the outbox.

Privacy: a mail to a company never carries the student's identity before invitation; it names
the application by its opaque reference (K-…). A mail to a student about a rejection is one
neutral sentence, never the reason category.

Warme match (recommend): the coordinator's recommendation *is* an application, marked
`recommended_by`, with the coordinator's recommendation as its motivation. The student is told
by mail and can withdraw it from "Mijn sollicitaties" like any other
(docs/adr/0510-applications.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from stagekans.applications.anonymised import candidate_reference
from stagekans.applications.hooks import run_applications_changed_handlers
from stagekans.applications.models import Application, ApplicationStatusChange
from stagekans.applications.workflow import (
    OPEN,
    ApplicationStatus,
    CloseReason,
    RejectionReason,
    check_transition,
)
from stagekans.audit import services as audit
from stagekans.audit.models import AuditEvent
from stagekans.companies.models import Trainer
from stagekans.core.anonymity import Identity, IdentityHit, IdentityKind, find_identity
from stagekans.education.models import SchoolStaff, Student
from stagekans.geo.places import haversine_km
from stagekans.notifications.services import enqueue_mail
from stagekans.placements.services.creation import create_placement
from stagekans.placements.workflow import PlacementSource
from stagekans.stagemarkt import services as stagemarkt_services
from stagekans.stagemarkt.models import Vacancy
from stagekans.stagemarkt.workflow import VacancyStatus

S = ApplicationStatus

MAX_MOTIVATION = 4000
MAX_COMPETENCES = 2000
MAX_AVAILABILITY = 300
MAX_REJECTION_TEXT = 2000
MAX_CV_BYTES = 5 * 1024 * 1024


def reference_of(application: Application) -> str:
    """The opaque reference a company knows the application by before invitation."""
    return candidate_reference(
        scope=f"application:{application.pk}", student_id=application.student_id
    )


# --- checks ------------------------------------------------------------------------------------


def _identity_of(student: Student) -> Identity:
    email = student.user.email if student.user_id and student.user else ""
    return Identity(
        names=(f"{student.given_name} {student.family_name}",),
        emails=(email,) if email else (),
    )


def _identity_refusal(hit: IdentityHit, label: str) -> str:
    kind = {
        IdentityKind.NAME: _("je naam"),
        IdentityKind.EMAIL: _("je e-mailadres"),
        IdentityKind.PHONE: _("je telefoonnummer"),
    }[hit.kind]
    return _(
        "%(label)s: “%(fragment)s” lijkt %(kind)s. Het leerbedrijf leest je sollicitatie eerst "
        "zonder naam en contactgegevens, zodat alleen je kwaliteiten tellen. Haal het eruit; "
        "het leerbedrijf ziet je naam pas als het je uitnodigt."
    ) % {"label": label, "fragment": hit.fragment, "kind": kind}


def _check_texts(student: Student, texts: dict[str, tuple[str, str]]) -> None:
    """Refuse a text that names the student. `texts`: field → (label, text)."""
    identity = _identity_of(student)
    errors: dict[str, str] = {}
    for field, (label, text) in texts.items():
        hit = find_identity(text, [identity])
        if hit is not None:
            errors[field] = _identity_refusal(hit, label)
        elif student.student_number and student.student_number in text:
            errors[field] = _(
                "%(label)s: “%(fragment)s” is je studentnummer. Haal het eruit; het leerbedrijf "
                "ziet je gegevens pas als het je uitnodigt."
            ) % {"label": label, "fragment": student.student_number}
    if errors:
        raise ValidationError(errors)


def _check_lengths(**fields: tuple[str, str, int]) -> None:
    errors = {
        name: _("%(label)s: gebruik hoogstens %(max)d tekens (nu %(n)d).")
        % {"label": label, "max": limit, "n": len(text)}
        for name, (label, text, limit) in fields.items()
        if len(text) > limit
    }
    if errors:
        raise ValidationError(errors)


def _clean_cv(cv: UploadedFile) -> bytes:
    if cv.size is not None and cv.size > MAX_CV_BYTES:
        raise ValidationError({"cv": _("Cv: het bestand is groter dan 5 MB. Maak het kleiner.")})
    cv.seek(0)
    data = cv.read(MAX_CV_BYTES + 1)
    if len(data) > MAX_CV_BYTES:
        raise ValidationError({"cv": _("Cv: het bestand is groter dan 5 MB. Maak het kleiner.")})
    if not data.startswith(b"%PDF-"):
        raise ValidationError(
            {
                "cv": _(
                    "Cv: alleen een PDF is mogelijk (het bestand zelf is gecontroleerd, niet "
                    "alleen de naam)."
                )
            }
        )
    return data


def _check_vacancy_open_to(student: Student, vacancy: Vacancy) -> None:
    if vacancy.status != VacancyStatus.PUBLISHED:
        raise ValidationError(_("Op deze vacature kun je niet (meer) solliciteren."))
    if vacancy.qualification_id != student.programme.qualification_id:
        raise ValidationError(
            _(
                "Deze vacature is voor %(qualification)s; jouw opleiding is %(own)s. Solliciteer "
                "op een vacature voor je eigen opleiding."
            )
            % {
                "qualification": vacancy.qualification.title,
                "own": student.programme.qualification.title,
            }
        )
    if vacancy.end_date < timezone.localdate():
        raise ValidationError(_("De periode van deze vacature is voorbij."))


def why_student_cannot_apply(student: Student, vacancy: Vacancy) -> str | None:
    """The reason `apply` would refuse this student for this vacancy whatever they write (the
    vacancy is closed, for another qualification or over), so the page can say it up front."""
    try:
        _check_vacancy_open_to(student, vacancy)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


# acting_user None is the system (demo data, imports); every view passes the logged-in user.


def _own_student(acting_user: Any, application: Application) -> None:
    if acting_user is None:
        return
    if getattr(acting_user, "pk", None) is None or application.student.user_id != acting_user.pk:
        raise PermissionDenied


def _own_company(acting_user: Any, application: Application) -> None:
    if acting_user is None:
        return
    trainer = getattr(acting_user, "trainer", None) if getattr(acting_user, "pk", None) else None
    if trainer is None or trainer.company_id != application.company_id:
        raise PermissionDenied


# --- writing -----------------------------------------------------------------------------------


def _history(application: Application, status: ApplicationStatus, acting_user: Any) -> None:
    ApplicationStatusChange.objects.create(
        application=application,
        status=status,
        actor=acting_user if getattr(acting_user, "pk", None) else None,
    )


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("student__user", "vacancy", "company")
        .get(pk=application.pk)
    )


def _move(
    application: Application,
    target: ApplicationStatus,
    *,
    acting_user: Any,
    event: AuditEvent,
    details: dict[str, Any] | None = None,
    **fields: Any,
) -> Application:
    """Change the status of a locked application: check, set, history row, audit row."""
    current = ApplicationStatus(application.status)
    check_transition(current, target)
    application.status = target
    for name, value in fields.items():
        setattr(application, name, value)
    application.save(update_fields=["status", *fields])
    _history(application, target, acting_user)
    run_applications_changed_handlers(student_ids=[application.student_id])
    audit.record(
        actor=acting_user,
        event=event,
        obj=application,
        details={"from": current.value, "to": target.value, **(details or {})},
    )
    return application


def _company_emails(company_id: int) -> list[str]:
    return sorted(
        set(
            Trainer.objects.filter(company_id=company_id)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def _mail_company_new(application: Application, vacancy: Vacancy) -> None:
    """New application: only the reference, the vacancy and the warme-match flag. No name,
    no e-mail, no school — nothing that identifies the student."""
    reference = reference_of(application)
    warm = (
        _("De school van de kandidaat heeft deze kandidaat bij u aanbevolen (warme match).\n\n")
        if application.recommended_by_id
        else ""
    )
    for email in _company_emails(application.company_id):
        enqueue_mail(
            to=email,
            subject=_("Nieuwe sollicitatie op %(title)s (%(reference)s)")
            % {"title": vacancy.title, "reference": reference},
            body=_(
                "Beste praktijkopleider,\n\nEr is een nieuwe sollicitatie op uw vacature "
                "'%(title)s': kandidaat %(reference)s.\n\n%(warm)sU ziet de sollicitatie eerst "
                "zonder naam: competenties, motivatie, beschikbaarheid en reisafstand. Naam en "
                "contactgegevens ziet u zodra u de kandidaat uitnodigt.\n\nBekijk de sollicitatie "
                "in Stagekans onder 'Sollicitaties'.\n"
            )
            % {"title": vacancy.title, "reference": reference, "warm": warm},
            dedup_key=f"application:{application.pk}:new:{email}",
        )


def _mail_student(application: Application, kind: str, subject: str, body: str) -> None:
    user = application.student.user
    if user is None or not user.email:
        return
    enqueue_mail(
        to=user.email,
        subject=subject,
        body=body,
        dedup_key=f"application:{application.pk}:{kind}",
    )


@transaction.atomic
def apply(
    *,
    acting_user: Any,
    student: Student,
    vacancy: Vacancy,
    motivation: str,
    competences: str = "",
    availability: str = "",
    cv: UploadedFile | None = None,
) -> Application:
    """The student applies to a published vacancy for their own qualification."""
    if acting_user is not None and (
        getattr(acting_user, "pk", None) is None or student.user_id != acting_user.pk
    ):
        raise PermissionDenied
    return _create(
        acting_user=acting_user,
        student=student,
        vacancy=vacancy,
        motivation=motivation,
        competences=competences,
        availability=availability,
        cv=cv,
        recommended_by=None,
    )


def _create(
    *,
    acting_user: Any,
    student: Student,
    vacancy: Vacancy,
    motivation: str,
    competences: str,
    availability: str,
    cv: UploadedFile | None,
    recommended_by: SchoolStaff | None,
) -> Application:
    motivation, competences, availability = (
        motivation.strip(),
        competences.strip(),
        availability.strip(),
    )
    motivation_label = _("Aanbeveling") if recommended_by else _("Motivatie")
    if not motivation:
        raise ValidationError(
            {"motivation": _("%(label)s: vul dit in.") % {"label": motivation_label}}
        )
    _check_lengths(
        motivation=(motivation_label, motivation, MAX_MOTIVATION),
        competences=(_("Competenties en ervaring"), competences, MAX_COMPETENCES),
        availability=(_("Beschikbaarheid"), availability, MAX_AVAILABILITY),
    )
    _check_texts(
        student,
        {
            "motivation": (motivation_label, motivation),
            "competences": (_("Competenties en ervaring"), competences),
            "availability": (_("Beschikbaarheid"), availability),
        },
    )
    cv_data = _clean_cv(cv) if cv is not None else None
    vacancy = Vacancy.objects.select_related("qualification").get(pk=vacancy.pk)
    _check_vacancy_open_to(student, vacancy)
    if Application.objects.filter(student=student, vacancy=vacancy, status__in=OPEN).exists():
        raise ValidationError(
            _("Je hebt al een lopende sollicitatie op deze vacature.")
            if recommended_by is None
            else _("Deze student heeft al een lopende sollicitatie op deze vacature.")
        )
    check_transition(None, S.SENT)
    application = Application(
        student=student,
        vacancy=vacancy,
        company_id=vacancy.company_id,
        school_id=student.school_id,
        motivation=motivation,
        competences=competences,
        availability=availability,
        distance_km=round(
            haversine_km(student.latitude, student.longitude, vacancy.latitude, vacancy.longitude),
            1,
        ),
        status=S.SENT,
        recommended_by=recommended_by,
    )
    if cv_data is not None:
        application.cv.save("cv.pdf", ContentFile(cv_data), save=False)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as error:  # a second tab sent the same application at the same time
        raise ValidationError(_("Je hebt al een lopende sollicitatie op deze vacature.")) from error
    _history(application, S.SENT, acting_user)
    run_applications_changed_handlers(student_ids=[student.pk])
    audit.record(
        actor=acting_user,
        event=AuditEvent.APPLICATION_RECOMMENDED if recommended_by else AuditEvent.APPLICATION_SENT,
        obj=application,
        details={"vacancy": vacancy.pk, "company": vacancy.company_id, "cv": bool(cv_data)},
    )
    _mail_company_new(application, vacancy)
    return application


@transaction.atomic
def recommend(
    *,
    acting_user: Any,
    student: Student,
    vacancy: Vacancy,
    recommendation: str,
    competences: str = "",
    availability: str = "",
) -> Application:
    """Warme match: a coordinator recommends a student of their own school for a vacancy. This
    creates the student's application (recommended_by set); the student is told and can
    withdraw it."""
    user_pk = getattr(acting_user, "pk", None)
    staff = SchoolStaff.objects.filter(user_id=user_pk).first() if user_pk else None
    if staff is None or staff.school_id != student.school_id:
        raise PermissionDenied
    application = _create(
        acting_user=acting_user,
        student=student,
        vacancy=vacancy,
        motivation=recommendation,
        competences=competences,
        availability=availability,
        cv=None,
        recommended_by=staff,
    )
    _mail_student(
        application,
        "recommended",
        _("Je bent aanbevolen voor de stage '%(title)s'") % {"title": application.vacancy.title},
        _(
            "Hoi %(name)s,\n\nJe stagecoördinator heeft je aanbevolen bij %(company)s voor de "
            "stage '%(title)s'. Het leerbedrijf ziet de aanbeveling eerst zonder je naam.\n\n"
            "Wil je dit niet? Trek de sollicitatie dan in via 'Mijn sollicitaties' in Stagekans.\n"
        )
        % {
            "name": student.given_name,
            "company": application.company.name,
            "title": application.vacancy.title,
        },
    )
    return application


@transaction.atomic
def mark_seen(*, acting_user: Any, application: Application) -> Application:
    """The first time someone of the company opens the application. Idempotent."""
    application = _lock(application)
    _own_company(acting_user, application)
    if application.status != S.SENT:
        return application
    return _move(
        application,
        S.SEEN,
        acting_user=acting_user,
        event=AuditEvent.APPLICATION_SEEN,
        seen_at=timezone.now(),
    )


@transaction.atomic
def invite(*, acting_user: Any, application: Application) -> Application:
    """The company invites the student: from now on it sees the student's name and e-mail."""
    application = _lock(application)
    _own_company(acting_user, application)
    now = timezone.now()
    fields: dict[str, Any] = {"invited_at": now}
    if application.seen_at is None:
        fields["seen_at"] = now
    _move(
        application,
        S.INVITED,
        acting_user=acting_user,
        event=AuditEvent.APPLICATION_INVITED,
        **fields,
    )
    _mail_student(
        application,
        "invited",
        _("Uitnodiging van %(company)s") % {"company": application.company.name},
        _(
            "Hoi %(name)s,\n\nGoed nieuws: %(company)s nodigt je uit voor een kennismaking over "
            "de stage '%(title)s'. Het leerbedrijf ziet nu je naam en je e-mailadres van school "
            "en neemt contact met je op.\n\nJe sollicitaties staan in Stagekans onder "
            "'Mijn sollicitaties'.\n"
        )
        % {
            "name": application.student.given_name,
            "company": application.company.name,
            "title": application.vacancy.title,
        },
    )
    return application


@transaction.atomic
def offer(*, acting_user: Any, application: Application) -> Application:
    """After an invitation the company offers the student the internship."""
    application = _lock(application)
    _own_company(acting_user, application)
    _move(
        application,
        S.OFFERED,
        acting_user=acting_user,
        event=AuditEvent.APPLICATION_OFFERED,
        offered_at=timezone.now(),
    )
    _mail_student(
        application,
        "offered",
        _("Stageaanbod van %(company)s") % {"company": application.company.name},
        _(
            "Hoi %(name)s,\n\n%(company)s biedt je de stage '%(title)s' aan "
            "(%(start)s – %(end)s).\n\nAccepteer of wijs het aanbod af in Stagekans onder "
            "'Mijn sollicitaties'.\n"
        )
        % {
            "name": application.student.given_name,
            "company": application.company.name,
            "title": application.vacancy.title,
            "start": application.vacancy.start_date.strftime("%d-%m-%Y"),
            "end": application.vacancy.end_date.strftime("%d-%m-%Y"),
        },
    )
    return application


@transaction.atomic
def reject(
    *,
    acting_user: Any,
    application: Application,
    reason: RejectionReason | str,
    text: str = "",
) -> Application:
    """The company refuses the application. The reason category is required and stored for
    analysis; the student gets a neutral message, never the category."""
    if reason not in RejectionReason.values:
        raise ValidationError({"reason": _("Reden: kies een reden voor de afwijzing.")})
    text = text.strip()
    _check_lengths(text=(_("Toelichting"), text, MAX_REJECTION_TEXT))
    application = _lock(application)
    _own_company(acting_user, application)
    _move(
        application,
        S.REJECTED,
        acting_user=acting_user,
        event=AuditEvent.APPLICATION_REJECTED,
        details={"reason": str(reason)},
        rejection_reason=str(reason),
        rejection_text=text,
        decided_at=timezone.now(),
    )
    _mail_student(
        application,
        "rejected",
        _("Je sollicitatie bij %(company)s") % {"company": application.company.name},
        _(
            "Hoi %(name)s,\n\n%(company)s gaat niet verder met je sollicitatie op '%(title)s'. "
            "Dat is jammer. Blijf solliciteren: je stagecoördinator helpt je graag verder.\n\n"
            "Denk je dat je bent afgewezen om wie je bent en niet om wat je kunt? Meld het bij "
            "het meldpunt stagediscriminatie in Stagekans.\n"
        )
        % {
            "name": application.student.given_name,
            "company": application.company.name,
            "title": application.vacancy.title,
        },
    )
    return application


@transaction.atomic
def withdraw(*, acting_user: Any, application: Application) -> Application:
    """The student withdraws an open application."""
    application = _lock(application)
    _own_student(acting_user, application)
    return _move(
        application,
        S.WITHDRAWN,
        acting_user=acting_user,
        event=AuditEvent.APPLICATION_WITHDRAWN,
        decided_at=timezone.now(),
    )


@transaction.atomic
def decline(*, acting_user: Any, application: Application) -> Application:
    """The student declines an offer."""
    application = _lock(application)
    _own_student(acting_user, application)
    _move(
        application,
        S.DECLINED,
        acting_user=acting_user,
        event=AuditEvent.APPLICATION_DECLINED,
        decided_at=timezone.now(),
    )
    student = application.student
    for email in _company_emails(application.company_id):
        enqueue_mail(
            to=email,
            subject=_("Aanbod afgewezen: %(title)s") % {"title": application.vacancy.title},
            body=_(
                "Beste praktijkopleider,\n\n%(name)s heeft uw aanbod voor '%(title)s' afgewezen.\n"
            )
            % {
                "name": f"{student.given_name} {student.family_name}",
                "title": application.vacancy.title,
            },
            dedup_key=f"application:{application.pk}:declined:{email}",
        )
    return application


def _offering_trainer(application: Application) -> Trainer | None:
    change = (
        ApplicationStatusChange.objects.filter(application=application, status=S.OFFERED)
        .exclude(actor=None)
        .order_by("-at")
        .first()
    )
    if change is None or change.actor_id is None:
        return None
    return Trainer.objects.filter(
        user_id=change.actor_id, company_id=application.company_id
    ).first()


@transaction.atomic
def accept(*, acting_user: Any, application: Application) -> Application:
    """The student accepts an offer: a placement is made (create_placement checks recognition
    on the start date and overlap), the student's other open applications for an overlapping
    period close, and when every place of the vacancy is taken the vacancy is filled (which
    closes its remaining open applications).

    The vacancy row is locked first, so two students accepting the last place one after the
    other: the second finds the place taken (or its application already closed)."""
    vacancy = (
        Vacancy.objects.select_for_update()
        .select_related("location__company")
        .get(pk=application.vacancy_id)
    )
    application = _lock(application)
    _own_student(acting_user, application)
    check_transition(ApplicationStatus(application.status), S.ACCEPTED)
    taken = Application.objects.filter(vacancy=vacancy, status=S.ACCEPTED).count()
    if taken >= vacancy.places:
        raise ValidationError(_("Alle plaatsen bij deze vacature zijn inmiddels vergeven."))
    placement = create_placement(
        acting_user=acting_user,
        student=application.student,
        location=vacancy.location,
        start_date=vacancy.start_date,
        end_date=vacancy.end_date,
        source=PlacementSource.APPLICATION,
        trainer=_offering_trainer(application),
    )
    _move(
        application,
        S.ACCEPTED,
        acting_user=acting_user,
        event=AuditEvent.APPLICATION_ACCEPTED,
        details={"placement": placement.pk},
        decided_at=timezone.now(),
        placement=placement,
    )
    student = application.student
    for email in _company_emails(application.company_id):
        enqueue_mail(
            to=email,
            subject=_("Aanbod geaccepteerd: %(title)s") % {"title": vacancy.title},
            body=_(
                "Beste praktijkopleider,\n\n%(name)s heeft uw aanbod voor '%(title)s' "
                "geaccepteerd. De stage staat in Stagekans; de school maakt de "
                "praktijkovereenkomst.\n"
            )
            % {"name": f"{student.given_name} {student.family_name}", "title": vacancy.title},
            dedup_key=f"application:{application.pk}:accepted:{email}",
        )
    _close(
        Application.objects.filter(
            student_id=application.student_id,
            status__in=list(OPEN),
            vacancy__start_date__lte=vacancy.end_date,
            vacancy__end_date__gte=vacancy.start_date,
        ).exclude(pk=application.pk),
        reason=CloseReason.PLACED_ELSEWHERE,
        acting_user=acting_user,
    )
    if taken + 1 >= vacancy.places:
        if vacancy.status == VacancyStatus.PUBLISHED:
            # stagemarkt runs its vacancy-closed hooks: close_for_vacancy below, via apps.py
            stagemarkt_services.fill_vacancy(acting_user=acting_user, vacancy=vacancy)
        else:
            close_for_vacancy(
                acting_user=acting_user, vacancy=vacancy, reason=CloseReason.VACANCY_FILLED
            )
    return application


# --- closing in bulk -------------------------------------------------------------------------


def _close(applications: QuerySet[Application], *, reason: CloseReason, acting_user: Any) -> int:
    """Close every open application of `applications` (locked, set-based: one UPDATE, one
    history insert and one audit insert per chunk)."""
    ids = list(
        applications.filter(status__in=list(OPEN))
        .select_for_update(of=("self",))
        .order_by("pk")
        .values_list("pk", "status")
    )
    if not ids:
        return 0
    for _pk, status in ids:
        check_transition(ApplicationStatus(status), S.CLOSED)
    now = timezone.now()
    actor = acting_user if getattr(acting_user, "pk", None) else None
    closed = 0
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        pks = [pk for pk, _status in chunk]
        closed += Application.objects.filter(pk__in=pks).update(
            status=S.CLOSED, close_reason=reason, decided_at=now
        )
        ApplicationStatusChange.objects.bulk_create(
            [ApplicationStatusChange(application_id=pk, status=S.CLOSED, actor=actor) for pk in pks]
        )
        audit.record_many(
            actor=acting_user,
            event=AuditEvent.APPLICATION_CLOSED,
            items=_audit_items(chunk, reason),
        )
    return closed


def _audit_items(
    chunk: Iterable[tuple[int, str]], reason: CloseReason
) -> Iterable[tuple[Application, dict[str, Any]]]:
    for pk, status in chunk:
        yield Application(pk=pk), {"from": status, "to": S.CLOSED.value, "reason": reason.value}


@transaction.atomic
def close_for_vacancy(*, acting_user: Any, vacancy: Vacancy, reason: CloseReason) -> int:
    """Close every open application to a vacancy that was filled or withdrawn."""
    return _close(
        Application.objects.filter(vacancy_id=vacancy.pk), reason=reason, acting_user=acting_user
    )


def on_vacancy_closed(*, vacancy: Vacancy, status: str, reason: str, acting_user: Any) -> None:
    """stagemarkt hook: the vacancy was filled or withdrawn (inside its transaction)."""
    if status == VacancyStatus.FILLED:
        close_reason = CloseReason.VACANCY_FILLED
    elif reason == "recognition_revoked":
        close_reason = CloseReason.RECOGNITION_REVOKED
    else:
        close_reason = CloseReason.VACANCY_WITHDRAWN
    close_for_vacancy(acting_user=acting_user, vacancy=vacancy, reason=close_reason)


@transaction.atomic
def close_for_revoked_recognition(*, recognition: Any, acting_user: Any) -> None:
    """Revocation hook: close every open application to a vacancy of that company for that
    qualification (published ones are withdrawn by stagemarkt; drafts keep theirs until now)."""
    _close(
        Application.objects.filter(
            company_id=recognition.company_id,
            vacancy__qualification_id=recognition.qualification_id,
        ),
        reason=CloseReason.RECOGNITION_REVOKED,
        acting_user=acting_user,
    )
