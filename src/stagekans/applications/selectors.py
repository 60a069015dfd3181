"""Reads of applications, scoped to who asks.

* a student: their own applications;
* a company (praktijkopleider): applications to its own vacancies, only ever as
  `CompanyApplication` rows — the anonymised profile, plus the name and school e-mail once the
  company has invited the student. Pages, API and exports for a company get these rows, never
  the Application model, so an identity field cannot leak by a template or serializer slip;
* school staff: the applications of their own school's students, with company and timeline.

Lists are keyset pages, newest first, with a fixed number of queries whatever the volume.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stagekans.applications.anonymised import AnonymisedProfile, anonymised_profile
from stagekans.applications.models import Application, ApplicationStatusChange
from stagekans.applications.services import reference_of
from stagekans.applications.workflow import OPEN, ApplicationStatus, CloseReason, RejectionReason
from stagekans.companies.models import Company
from stagekans.core.keyset import KeysetPage, keyset_page
from stagekans.education.models import School, Student

PER_PAGE = 25
NEWEST_FIRST = ("-id",)


# --- scope -------------------------------------------------------------------------------------


def own_student(user: Any) -> Student | None:
    if not user.is_authenticated or not user.has_perm("applications.apply_to_vacancy"):
        return None
    return (
        Student.objects.filter(user=user)
        .select_related("programme__qualification", "school", "user")
        .first()
    )


def own_company(user: Any) -> Company | None:
    if not user.is_authenticated or not user.has_perm("applications.review_applications"):
        return None
    trainer = getattr(user, "trainer", None)
    return trainer.company if trainer is not None else None


def own_school(user: Any) -> School | None:
    if not user.is_authenticated or not user.has_perm("applications.view_school_applications"):
        return None
    staff = getattr(user, "school_staff", None)
    return staff.school if staff is not None else None


def _history_prefetch() -> Prefetch[Any]:
    return Prefetch("history", queryset=ApplicationStatusChange.objects.order_by("at", "id"))


# --- student ----------------------------------------------------------------------------------


def student_applications(student: Student) -> QuerySet[Application]:
    return (
        Application.objects.filter(student=student)
        .select_related("vacancy", "company", "placement")
        .prefetch_related(_history_prefetch())
        .order_by("-id")
    )


def student_application(user: Any, pk: int) -> Application | None:
    student = own_student(user)
    if student is None:
        return None
    return student_applications(student).filter(pk=pk).first()


def open_application_to(student: Student, vacancy_id: int) -> Application | None:
    return Application.objects.filter(
        student=student, vacancy_id=vacancy_id, status__in=list(OPEN)
    ).first()


# --- company ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RevealedIdentity:
    name: str
    email: str


@dataclass(frozen=True)
class CompanyApplication:
    """What a company may know of an application. `identity` is None until invitation."""

    pk: int
    reference: str
    vacancy_id: int
    vacancy_title: str
    status: str
    status_label: str
    sent_at: Any
    seen_at: Any
    invited_at: Any
    offered_at: Any
    decided_at: Any
    recommended: bool
    rejection_reason_label: str
    has_cv: bool
    profile: AnonymisedProfile
    identity: RevealedIdentity | None

    @property
    def can_invite(self) -> bool:
        return self.status in (ApplicationStatus.SENT, ApplicationStatus.SEEN)

    @property
    def can_reject(self) -> bool:
        return self.status in (
            ApplicationStatus.SENT,
            ApplicationStatus.SEEN,
            ApplicationStatus.INVITED,
        )

    @property
    def can_offer(self) -> bool:
        return self.status == ApplicationStatus.INVITED


def _company_queryset(company: Company) -> QuerySet[Application]:
    return Application.objects.filter(company=company).select_related(
        "vacancy", "student__programme__qualification", "student__user"
    )


def as_company_application(application: Application) -> CompanyApplication:
    """The company's view of one application (the student's identity only after invitation)."""
    student = application.student
    identity = None
    if application.invited_at is not None:
        identity = RevealedIdentity(
            name=f"{student.given_name} {student.family_name}",
            email=student.user.email if student.user_id and student.user else "",
        )
    return CompanyApplication(
        pk=application.pk,
        reference=reference_of(application),
        vacancy_id=application.vacancy_id,
        vacancy_title=application.vacancy.title,
        status=application.status,
        status_label=application.get_status_display(),
        sent_at=application.sent_at,
        seen_at=application.seen_at,
        invited_at=application.invited_at,
        offered_at=application.offered_at,
        decided_at=application.decided_at,
        recommended=application.recommended_by_id is not None,
        rejection_reason_label=application.get_rejection_reason_display()
        if application.rejection_reason
        else "",
        has_cv=bool(application.cv),
        profile=anonymised_profile(
            student=student,
            scope=f"application:{application.pk}",
            competences=application.competences,
            motivation=application.motivation,
            availability=application.availability,
            distance_km=application.distance_km,
        ),
        identity=identity,
    )


def company_inbox(
    user: Any, *, params: Any, vacancy_id: int | None = None, status: str = ""
) -> KeysetPage | None:
    """A keyset page of CompanyApplication rows, newest first; None outside a company."""
    company = own_company(user)
    if company is None:
        return None
    qs = _company_queryset(company)
    extra: dict[str, str] = {}
    if vacancy_id is not None:
        qs = qs.filter(vacancy_id=vacancy_id)
    if status in ApplicationStatus.values:
        qs = qs.filter(status=status)
        extra["status"] = status
    page = keyset_page(qs, ordering=NEWEST_FIRST, params=params, per_page=PER_PAGE, extra=extra)
    page.object_list = [as_company_application(a) for a in page.object_list]
    return page


def company_application(user: Any, pk: int) -> CompanyApplication | None:
    company = own_company(user)
    if company is None:
        return None
    application = _company_queryset(company).filter(pk=pk).first()
    return None if application is None else as_company_application(application)


def company_application_model(user: Any, pk: int) -> Application | None:
    """For the company's actions (services lock the row themselves); never rendered."""
    company = own_company(user)
    if company is None:
        return None
    return Application.objects.filter(company=company, pk=pk).first()


def company_counts(company: Company) -> dict[str, int]:
    rows = (
        Application.objects.filter(company=company)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["status"]: row["n"] for row in rows}


def company_timeline(user: Any, pk: int) -> list[ApplicationStatusChange]:
    company = own_company(user)
    if company is None:
        return []
    return list(
        ApplicationStatusChange.objects.filter(application__company=company, application_id=pk)
        .only("status", "at")
        .order_by("at", "id")
    )


# --- school -----------------------------------------------------------------------------------


def school_applications_queryset(school: School, *, status: str = "") -> QuerySet[Application]:
    qs = Application.objects.filter(school=school)
    if status in ApplicationStatus.values:
        qs = qs.filter(status=status)
    return qs.select_related(
        "student", "company", "vacancy", "recommended_by__user"
    ).prefetch_related(_history_prefetch())


def school_overview(user: Any, *, params: Any, status: str = "") -> KeysetPage | None:
    school = own_school(user)
    if school is None:
        return None
    qs = school_applications_queryset(school, status=status)
    extra = {"status": status} if status in ApplicationStatus.values else {}
    page = keyset_page(qs, ordering=NEWEST_FIRST, params=params, per_page=PER_PAGE, extra=extra)
    _label(page.object_list)
    return page


def _label(applications: list[Application]) -> None:
    """Translate every label once per page, not once per row and history entry (each
    get_FOO_display builds the choices dict and translates every label again)."""
    statuses = {value: str(label) for value, label in ApplicationStatus.choices}
    reasons = {value: str(label) for value, label in RejectionReason.choices}
    closes = {value: str(label) for value, label in CloseReason.choices}
    for application in applications:
        application.status_label = statuses[application.status]  # type: ignore[attr-defined]
        application.reason_label = reasons.get(  # type: ignore[attr-defined]
            application.rejection_reason
        ) or closes.get(application.close_reason, "")
        for change in application.history.all():
            change.status_label = statuses[change.status]  # type: ignore[attr-defined]


def school_application(user: Any, pk: int) -> Application | None:
    school = own_school(user)
    if school is None:
        return None
    return school_applications_queryset(school).filter(pk=pk).first()


def recommendable_students(user: Any) -> QuerySet[Student]:
    staff = getattr(user, "school_staff", None)
    if staff is None or not user.has_perm("applications.recommend_student"):
        return Student.objects.none()
    return Student.objects.filter(school_id=staff.school_id).select_related(
        "programme__qualification"
    )


# --- register preview ----------------------------------------------------------------------


def describe_revocation_effects(*, recognition: Any, revocation: Any = None) -> list[str]:
    """For the revocation preview: how many open applications the revocation closes."""
    n = Application.objects.filter(
        Q(company_id=recognition.company_id)
        & Q(vacancy__qualification_id=recognition.qualification_id)
        & Q(status__in=list(OPEN))
    ).count()
    if not n:
        return []
    return [
        ngettext(
            "%(n)d open sollicitatie wordt gesloten; de student ziet dat in Mijn sollicitaties.",
            "%(n)d open sollicitaties worden gesloten; de studenten zien dat in Mijn "
            "sollicitaties.",
            n,
        )
        % {"n": n}
    ]


def student_status_sentence(application: Application) -> str:
    """What a student reads about the state of an application: never a rejection category."""
    status = application.status
    if status == ApplicationStatus.REJECTED:
        return _("Het leerbedrijf gaat niet verder met je sollicitatie.")
    if status == ApplicationStatus.CLOSED:
        return _("Gesloten: %(reason)s.") % {"reason": application.get_close_reason_display()}
    if status == ApplicationStatus.OFFERED:
        return _("Het leerbedrijf biedt je de stage aan. Accepteer of wijs af.")
    if status == ApplicationStatus.INVITED:
        return _("Het leerbedrijf nodigt je uit en neemt contact met je op.")
    if status == ApplicationStatus.ACCEPTED:
        return _("Je hebt het aanbod geaccepteerd: je stage is aangemaakt.")
    return str(application.get_status_display()).capitalize()
