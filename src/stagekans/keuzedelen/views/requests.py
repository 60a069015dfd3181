"""Enrolment requests: lists, the request page, both decisions, result, withdrawal, and the
host's attendance per lesson."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagekans.keuzedelen import selectors
from stagekans.keuzedelen.forms import (
    ATTENDANCE_CHOICES,
    AttendanceDateForm,
    DecisionForm,
    ResultForm,
)
from stagekans.keuzedelen.models import Offering
from stagekans.keuzedelen.services import attendance as attendance_services
from stagekans.keuzedelen.services import enrolment as enrolment_services
from stagekans.keuzedelen.views._common import _errors_to_messages, _school
from stagekans.keuzedelen.workflow import (
    OPEN_ENROLMENT,
    AttendanceStatus,
    EnrolmentStatus,
    RefusalReason,
    Result,
)


# -- requests ---------------------------------------------------------------------------------
@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    school = _school(user)
    if school is not None and user.has_perm("keuzedelen.view_school_keuzedeel_requests"):
        status = request.GET.get("status", "")
        home = selectors.home_queue(school)
        host = selectors.host_queue(school)
        if status in EnrolmentStatus.values:
            home, host = home.filter(status=status), host.filter(status=status)
        return render(
            request,
            "keuzedelen/request_list_staff.html",
            {
                "school": school,
                "home_page": Paginator(home, 25).get_page(request.GET.get("page")),
                # The host's list holds only requests past the home school; the newest 50.
                "host_page": list(host[:50]),
                "statuses": EnrolmentStatus.choices,
                "status": status,
                "hosted": selectors.offerings_hosted_by(school),
            },
        )
    if user.has_perm("keuzedelen.request_keuzedeel"):
        own = selectors.requests_visible_to(user)
        return render(request, "keuzedelen/request_list_student.html", {"requests": own})
    raise PermissionDenied


def _visible_request(request: HttpRequest, pk: int) -> Any:
    found = selectors.requests_visible_to(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _visible_request(request, pk)
    user: Any = request.user
    school = _school(user)
    is_home = school is not None and school.pk == enrolment.home_school_id
    is_host = school is not None and school.pk == enrolment.host_school_id
    may_decide = user.has_perm("keuzedelen.decide_keuzedeel_request")
    version = selectors.active_version(enrolment.offering.agreement)
    summary = selectors.attendance_summary(enrolment)
    return render(
        request,
        "keuzedelen/request_detail.html",
        {
            "enrolment": enrolment,
            "days": selectors.day_names(enrolment.offering.weekdays),
            "attendance": selectors.attendance_of(enrolment),
            "summary": summary,
            "threshold": version.absence_threshold_percent if version else 20,
            "home_form": DecisionForm()
            if is_home and may_decide and enrolment.status == EnrolmentStatus.SUBMITTED
            else None,
            "host_form": DecisionForm()
            if is_host and may_decide and enrolment.status == EnrolmentStatus.HOME_APPROVED
            else None,
            "result_form": ResultForm()
            if is_host
            and user.has_perm("keuzedelen.record_keuzedeel_attendance")
            and enrolment.status == EnrolmentStatus.ACCEPTED
            else None,
            "can_withdraw": (enrolment.student.user_id == user.pk or is_home)
            and (
                enrolment.status in OPEN_ENROLMENT or enrolment.status == EnrolmentStatus.ACCEPTED
            ),
            "is_host": is_host,
        },
    )


def _decide(request: HttpRequest, pk: int, side: str) -> HttpResponse:
    enrolment = _visible_request(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect("keuzedelen:request_detail", pk=pk)
    approve = form.cleaned_data["decision"] == "approve"
    reason = RefusalReason(form.cleaned_data["reason"]) if form.cleaned_data["reason"] else None
    try:
        if side == "home":
            result = enrolment_services.decide_home(
                acting_user=request.user,
                enrolment=enrolment,
                approve=approve,
                reason=reason,
                note=form.cleaned_data["note"],
            )
        else:
            result = enrolment_services.decide_host(
                acting_user=request.user,
                enrolment=enrolment,
                accept=approve,
                reason=reason,
                note=form.cleaned_data["note"],
            )
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        if result.status == EnrolmentStatus.REFUSED:
            messages.success(request, _("De aanvraag is geweigerd. De student ziet de reden."))
        elif result.status == EnrolmentStatus.ACCEPTED:
            messages.success(
                request, _("De student is geplaatst. De eigen school ziet het direct.")
            )
        else:
            messages.success(request, _("Goedgekeurd. De aanvraag ligt nu bij de gastschool."))
    return redirect("keuzedelen:request_detail", pk=pk)


@login_required
@require_POST
@permission_required("keuzedelen.decide_keuzedeel_request", raise_exception=True)
def decide_home(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "home")


@login_required
@require_POST
@permission_required("keuzedelen.decide_keuzedeel_request", raise_exception=True)
def decide_host(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "host")


@login_required
@require_POST
@permission_required("keuzedelen.record_keuzedeel_attendance", raise_exception=True)
def record_result(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _visible_request(request, pk)
    form = ResultForm(request.POST)
    if form.is_valid():
        try:
            attendance_services.record_result(
                acting_user=request.user,
                enrolment=enrolment,
                result=Result(form.cleaned_data["result"]),
                grade=form.cleaned_data["grade"],
            )
        except ValidationError as error:
            _errors_to_messages(request, error)
        else:
            messages.success(
                request, _("Het resultaat is vastgelegd. De eigen school ziet het direct.")
            )
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
    return redirect("keuzedelen:request_detail", pk=pk)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _visible_request(request, pk)
    try:
        enrolment_services.withdraw(acting_user=request.user, enrolment=enrolment)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, _("De aanvraag is ingetrokken."))
    return redirect("keuzedelen:request_detail", pk=pk)


# -- attendance (host) ------------------------------------------------------------------------
@login_required
@permission_required("keuzedelen.record_keuzedeel_attendance", raise_exception=True)
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    school = _school(request.user)
    offering = get_object_or_404(Offering.objects.select_related("keuzedeel"), pk=pk)
    if school is None or school.pk != offering.host_id:
        raise Http404
    today = timezone.localdate()
    dates = selectors.lesson_dates(offering, until=today)
    placed = list(selectors.placed_in(offering))
    date_form = AttendanceDateForm(request.POST or request.GET or None)
    lesson_date: dt.date | None = dates[-1] if dates else None
    if date_form.is_bound and date_form.is_valid():
        lesson_date = date_form.cleaned_data["lesson_date"]
    if request.method == "POST" and lesson_date is not None:
        statuses: dict[int, AttendanceStatus] = {}
        for enrolment in placed:
            value = request.POST.get(f"status_{enrolment.pk}", "")
            if enrolment.status == EnrolmentStatus.ACCEPTED and value in AttendanceStatus.values:
                statuses[enrolment.pk] = AttendanceStatus(value)
        if not statuses:
            messages.error(
                request, _("Kies voor minstens één student aanwezig, afwezig of afgemeld.")
            )
        else:
            try:
                attendance_services.record_attendance(
                    acting_user=request.user,
                    offering=offering,
                    lesson_date=lesson_date,
                    statuses=statuses,
                )
            except ValidationError as error:
                _errors_to_messages(request, error)
            else:
                messages.success(
                    request,
                    _("Aanwezigheid van %(date)s is vastgelegd. De eigen scholen zien het direct.")
                    % {"date": lesson_date.strftime("%d-%m-%Y")},
                )
                return redirect(f"{request.path}?lesson_date={lesson_date.isoformat()}")
    current = selectors.attendance_on(offering, lesson_date) if lesson_date else {}
    rows = [
        {"enrolment": e, "current": current.get(e.pk, ""), "name": f"status_{e.pk}"} for e in placed
    ]
    return render(
        request,
        "keuzedelen/attendance.html",
        {
            "offering": offering,
            "dates": dates,
            "lesson_date": lesson_date,
            "rows": rows,
            "choices": ATTENDANCE_CHOICES,
            "date_form": AttendanceDateForm(initial={"lesson_date": lesson_date}),
        },
    )
