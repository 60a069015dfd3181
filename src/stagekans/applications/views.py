"""Pages for applications: the student's, the company's (anonymised until invitation) and the
school's. Views only read through selectors and write through services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from stagekans.applications import selectors, services
from stagekans.applications.forms import ApplyForm, RecommendForm, RejectForm, StatusFilterForm
from stagekans.applications.models import Application
from stagekans.applications.workflow import ApplicationStatus, TransitionNotAllowed
from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.core.forms import apply_service_errors
from stagekans.stagemarkt import selectors as stagemarkt_selectors


def _error_text(error: ValidationError | TransitionNotAllowed) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


def _status_param(request: HttpRequest) -> str:
    status = request.GET.get("status", "")
    return status if status in ApplicationStatus.values else ""


def _cv_response(application: Application, request: HttpRequest) -> FileResponse:
    if not application.cv:
        raise Http404
    with transaction.atomic():
        record(
            actor=request.user,
            event=AuditEvent.APPLICATION_CV_DOWNLOADED,
            obj=application,
            details={},
        )
    handle = application.cv.open("rb")
    return FileResponse(
        handle, as_attachment=True, filename="cv.pdf", content_type="application/pdf"
    )


# --- student -----------------------------------------------------------------------------------


@login_required
@permission_required("applications.apply_to_vacancy", raise_exception=True)
def apply(request: HttpRequest, vacancy_pk: int) -> HttpResponse:
    student = selectors.own_student(request.user)
    vacancy = stagemarkt_selectors.public_vacancy(vacancy_pk)
    if student is None or vacancy is None:
        raise Http404
    existing = selectors.open_application_to(student, vacancy.pk)
    if existing is not None:
        messages.info(request, _("Je hebt al gesolliciteerd op deze vacature."))
        return redirect("applications:student_detail", pk=existing.pk)
    refusal = services.why_student_cannot_apply(student, vacancy)
    form = ApplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            application = services.apply(
                acting_user=request.user,
                student=student,
                vacancy=vacancy,
                motivation=form.cleaned_data["motivation"],
                competences=form.cleaned_data["competences"],
                availability=form.cleaned_data["availability"],
                cv=form.cleaned_data.get("cv") or None,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Je sollicitatie is verstuurd. Het leerbedrijf ziet eerst je sollicitatie "
                    "zonder naam."
                ),
            )
            return redirect("applications:student_detail", pk=application.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "applications/apply.html",
        {"form": form, "vacancy": vacancy, "student": student, "refusal": refusal},
        status=status,
    )


@login_required
@permission_required("applications.apply_to_vacancy", raise_exception=True)
def my_applications(request: HttpRequest) -> HttpResponse:
    student = selectors.own_student(request.user)
    if student is None:
        raise Http404
    rows = [
        (application, selectors.student_status_sentence(application))
        for application in selectors.student_applications(student)[:200]
    ]
    return render(request, "applications/my_applications.html", {"rows": rows})


@login_required
@permission_required("applications.apply_to_vacancy", raise_exception=True)
def student_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.student_application(request.user, pk)
    if application is None:
        raise Http404
    status = ApplicationStatus(application.status)
    return render(
        request,
        "applications/student_detail.html",
        {
            "application": application,
            "sentence": selectors.student_status_sentence(application),
            "can_withdraw": status
            in (
                ApplicationStatus.SENT,
                ApplicationStatus.SEEN,
                ApplicationStatus.INVITED,
                ApplicationStatus.OFFERED,
            ),
            "can_decide": status == ApplicationStatus.OFFERED,
        },
    )


_STUDENT_ACTIONS = {
    "intrekken": (services.withdraw, gettext_lazy("Je sollicitatie is ingetrokken.")),
    "accepteren": (
        services.accept,
        gettext_lazy(
            "Je hebt het aanbod geaccepteerd. Je stage is aangemaakt; je school maakt de "
            "praktijkovereenkomst."
        ),
    ),
    "afwijzen": (services.decline, gettext_lazy("Je hebt het aanbod afgewezen.")),
}


def _run_action(request: HttpRequest, application: Any, service: Any, message: Any) -> None:
    """Run one button's service on the application; say how it went in a message."""
    try:
        service(acting_user=request.user, application=application)
    except (ValidationError, TransitionNotAllowed) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, str(message))


@login_required
@permission_required("applications.apply_to_vacancy", raise_exception=True)
@require_POST
def student_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    application = selectors.student_application(request.user, pk)
    if application is None or action not in _STUDENT_ACTIONS:
        raise Http404
    _run_action(request, application, *_STUDENT_ACTIONS[action])
    return redirect("applications:student_detail", pk=pk)


@login_required
@permission_required("applications.apply_to_vacancy", raise_exception=True)
def student_cv(request: HttpRequest, pk: int) -> FileResponse:
    application = selectors.student_application(request.user, pk)
    if application is None:
        raise Http404
    return _cv_response(application, request)


# --- company ----------------------------------------------------------------------------------


@login_required
@permission_required("applications.review_applications", raise_exception=True)
def company_inbox(request: HttpRequest) -> HttpResponse:
    company = selectors.own_company(request.user)
    if company is None:
        raise Http404
    vacancy = None
    vacancy_param = request.GET.get("vacature", "")
    if vacancy_param.isdigit():
        vacancy = (
            stagemarkt_selectors.vacancies_visible_to(request.user)
            .filter(company=company, pk=int(vacancy_param))
            .first()
        )
        if vacancy is None:
            raise Http404
    status = _status_param(request)
    page = selectors.company_inbox(
        request.user,
        params=request.GET,
        vacancy_id=vacancy.pk if vacancy else None,
        status=status,
    )
    if page is not None and vacancy is not None:
        page.extra["vacature"] = str(vacancy.pk)
    return render(
        request,
        "applications/company_inbox.html",
        {
            "company": company,
            "vacancy": vacancy,
            "page_obj": page,
            "filter_form": StatusFilterForm(initial={"status": status}),
            "status": status,
            "counts": selectors.company_counts(company),
        },
    )


@login_required
@permission_required("applications.review_applications", raise_exception=True)
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    model = selectors.company_application_model(request.user, pk)
    if model is None:
        raise Http404
    if model.status == ApplicationStatus.SENT:
        services.mark_seen(acting_user=request.user, application=model)
    view = selectors.company_application(request.user, pk)
    return render(
        request,
        "applications/company_detail.html",
        {
            "app": view,
            "timeline": selectors.company_timeline(request.user, pk),
            "reject_form": RejectForm(),
        },
    )


_COMPANY_ACTIONS = {
    "uitnodigen": (
        services.invite,
        gettext_lazy(
            "De kandidaat is uitgenodigd. U ziet nu naam en e-mailadres; de student krijgt bericht."
        ),
    ),
    "aanbieden": (
        services.offer,
        gettext_lazy("Het aanbod is verstuurd; de student krijgt bericht."),
    ),
}


@login_required
@permission_required("applications.review_applications", raise_exception=True)
@require_POST
def company_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    application = selectors.company_application_model(request.user, pk)
    if application is None or action not in _COMPANY_ACTIONS:
        raise Http404
    _run_action(request, application, *_COMPANY_ACTIONS[action])
    return redirect("applications:company_detail", pk=pk)


@login_required
@permission_required("applications.review_applications", raise_exception=True)
def company_reject(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.company_application_model(request.user, pk)
    if application is None:
        raise Http404
    form = RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reject(
                acting_user=request.user,
                application=application,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        except TransitionNotAllowed as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("De sollicitatie is afgewezen; de student krijgt een neutraal bericht.")
            )
            return redirect("applications:company_detail", pk=pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "applications/company_reject.html",
        {"form": form, "app": selectors.company_application(request.user, pk)},
        status=status,
    )


@login_required
@permission_required("applications.review_applications", raise_exception=True)
def company_cv(request: HttpRequest, pk: int) -> FileResponse:
    application = selectors.company_application_model(request.user, pk)
    # The CV names the student: never before invitation.
    if application is None or application.invited_at is None:
        raise Http404
    return _cv_response(application, request)


# --- school -----------------------------------------------------------------------------------


@login_required
@permission_required("applications.view_school_applications", raise_exception=True)
def school_overview(request: HttpRequest) -> HttpResponse:
    school = selectors.own_school(request.user)
    if school is None:
        raise Http404
    status = _status_param(request)
    page = selectors.school_overview(request.user, params=request.GET, status=status)
    return render(
        request,
        "applications/school_overview.html",
        {
            "school": school,
            "page_obj": page,
            "filter_form": StatusFilterForm(initial={"status": status}),
        },
    )


@login_required
@permission_required("applications.view_school_applications", raise_exception=True)
def school_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.school_application(request.user, pk)
    if application is None:
        raise Http404
    return render(request, "applications/school_detail.html", {"application": application})


@login_required
@permission_required("applications.recommend_student", raise_exception=True)
def recommend(request: HttpRequest) -> HttpResponse:
    students = selectors.recommendable_students(request.user)
    initial = {}
    if request.GET.get("vacature", "").isdigit():
        initial["vacancy"] = int(request.GET["vacature"])
    form = RecommendForm(request.POST or None, initial=initial, students=students)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.recommend(
                acting_user=request.user,
                student=form.cleaned_data["student"],
                vacancy=form.cleaned_data["vacancy"],
                recommendation=form.cleaned_data["recommendation"],
                competences=form.cleaned_data["competences"],
                availability=form.cleaned_data["availability"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("De aanbeveling is verstuurd als sollicitatie; de student krijgt bericht."),
            )
            return redirect("applications:school_detail", pk=application.pk)
    status = 400 if request.method == "POST" else 200
    vacancy = None
    if initial.get("vacancy"):
        vacancy = stagemarkt_selectors.public_vacancy(initial["vacancy"])
    return render(
        request, "applications/recommend.html", {"form": form, "vacancy": vacancy}, status=status
    )
