"""Pages of keuzedelen at another institution: catalogue, requests, decisions of both schools,
attendance and result, cooperation agreements, home timetable and the regional overview."""

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

from stagekans.core.forms import apply_service_errors
from stagekans.education.selectors import programmes_of
from stagekans.geo.places import Province
from stagekans.keuzedelen import selectors
from stagekans.keuzedelen.forms import (
    ATTENDANCE_CHOICES,
    ActivityForm,
    AttendanceDateForm,
    DecisionForm,
    GroupRequestForm,
    RequestForm,
    ResultForm,
    TimetableForm,
)
from stagekans.keuzedelen.models import AgreementVersion, CooperationAgreement, Offering
from stagekans.keuzedelen.services import agreements as agreement_services
from stagekans.keuzedelen.services import attendance as attendance_services
from stagekans.keuzedelen.services import enrolment as enrolment_services
from stagekans.keuzedelen.services import timetable as timetable_services
from stagekans.keuzedelen.workflow import (
    OPEN_ENROLMENT,
    AttendanceStatus,
    EnrolmentStatus,
    RefusalReason,
    Result,
    VersionStatus,
)


def _school(user: Any) -> Any:
    staff = getattr(user, "school_staff", None)
    return staff.school if staff is not None else None


def _errors_to_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# -- catalogue --------------------------------------------------------------------------------
@login_required
@permission_required("keuzedelen.view_offering", raise_exception=True)
def catalogue(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    offerings = selectors.offerings(place_query=q)
    page_obj = Paginator(offerings, 25).get_page(request.GET.get("page"))
    for offering in page_obj:
        offering.day_names = selectors.day_names(offering.weekdays)  # type: ignore[attr-defined]
        offering.free = offering.places - offering.taken  # type: ignore[attr-defined]
    return render(request, "keuzedelen/catalogue.html", {"page_obj": page_obj, "q": q})


@login_required
@permission_required("keuzedelen.view_offering", raise_exception=True)
def offering_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offering = get_object_or_404(
        Offering.objects.select_related("keuzedeel", "host", "agreement"), pk=pk, published=True
    )
    user: Any = request.user
    student = getattr(user, "student", None)
    can_request = student is not None and user.has_perm("keuzedelen.request_keuzedeel")
    form = RequestForm(request.POST or None)
    if request.method == "POST":
        if not can_request or student is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                enrolment = enrolment_services.request_keuzedeel(
                    acting_user=user,
                    student=student,
                    offering=offering,
                    motivation=form.cleaned_data["motivation"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                if enrolment.status == EnrolmentStatus.REFUSED:
                    messages.error(
                        request, _("Je aanvraag kan niet doorgaan. Hieronder lees je waarom.")
                    )
                else:
                    messages.success(
                        request,
                        _(
                            "Je aanvraag is verstuurd. Eerst beslist je eigen school, daarna de "
                            "gastschool."
                        ),
                    )
                return redirect("keuzedelen:request_detail", pk=enrolment.pk)
    version = selectors.active_version(offering.agreement)
    school = _school(user)
    return render(
        request,
        "keuzedelen/offering_detail.html",
        {
            "offering": offering,
            "days": selectors.day_names(offering.weekdays),
            "taken": selectors.places_taken(offering),
            "version": version,
            "form": form if can_request else None,
            "can_group": school is not None
            and school.pk != offering.host_id
            and user.has_perm("keuzedelen.decide_keuzedeel_request"),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@permission_required("keuzedelen.decide_keuzedeel_request", raise_exception=True)
def group_request(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    school = _school(user)
    if school is None:
        raise PermissionDenied
    offering = get_object_or_404(
        Offering.objects.select_related("keuzedeel", "host"), pk=pk, published=True
    )
    students = school.students.select_related("programme__qualification").order_by(
        "family_name", "given_name"
    )
    form = GroupRequestForm(request.POST or None, students=students)
    if request.method == "POST" and form.is_valid():
        try:
            created = enrolment_services.request_for_group(
                acting_user=user,
                students=list(form.cleaned_data["students"]),
                offering=offering,
                motivation=form.cleaned_data["motivation"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            refused = sum(1 for e in created if e.status == EnrolmentStatus.REFUSED)
            messages.success(
                request,
                _("%(n)s aanvragen vastgelegd; %(r)s daarvan direct geweigerd door de controles.")
                % {"n": len(created), "r": refused},
            )
            return redirect("keuzedelen:request_list")
    return render(
        request,
        "keuzedelen/group_request.html",
        {"offering": offering, "form": form},
        status=400 if request.method == "POST" else 200,
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
    current: dict[int, str] = {}
    if lesson_date is not None:
        from stagekans.keuzedelen.models import AttendanceRecord

        current = dict(
            AttendanceRecord.objects.filter(
                enrolment__offering=offering, lesson_date=lesson_date
            ).values_list("enrolment_id", "status")
        )
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


# -- cooperation agreements -------------------------------------------------------------------
def _require_agreement_reader(user: Any) -> None:
    if not (
        user.has_perm("keuzedelen.view_school_keuzedeel_requests")
        or user.has_perm("keuzedelen.manage_cooperation_agreement")
        or user.has_perm("keuzedelen.view_regional_overview")
    ):
        raise PermissionDenied


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _require_agreement_reader(user)
    agreements = selectors.agreements_visible_to(user)
    rows = []
    for agreement in agreements:
        versions = list(agreement.versions.all())
        rows.append(
            {
                "agreement": agreement,
                "active": next((v for v in versions if v.status == VersionStatus.ACTIVE), None),
                "signing": next((v for v in versions if v.status == VersionStatus.SIGNING), None),
            }
        )
    return render(request, "keuzedelen/agreement_list.html", {"rows": rows})


def _visible_agreement(request: HttpRequest, pk: int) -> CooperationAgreement:
    _require_agreement_reader(request.user)
    found = selectors.agreements_visible_to(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@login_required
def agreement_detail(request: HttpRequest, pk: int, version: int | None = None) -> HttpResponse:
    agreement = _visible_agreement(request, pk)
    versions = list(selectors.versions_of(agreement))
    if not versions:
        raise Http404
    if version is None:
        shown = next(
            (v for v in versions if v.status == VersionStatus.SIGNING),
            next((v for v in versions if v.status == VersionStatus.ACTIVE), versions[0]),
        )
    else:
        found = next((v for v in versions if v.version == version), None)
        if found is None:
            raise Http404
        shown = found
    school = _school(request.user)
    own_partner = next(
        (p for p in shown.partners.all() if school and p.school_id == school.pk), None
    )
    can_sign = (
        shown.status == VersionStatus.SIGNING
        and own_partner is not None
        and own_partner.signed_at is None
        and request.user.has_perm("keuzedelen.sign_cooperation_agreement")
    )
    return render(
        request,
        "keuzedelen/agreement_detail.html",
        {
            "agreement": agreement,
            "shown": shown,
            "versions": versions,
            "shared_day": selectors.day_names(shown.shared_day) if shown.shared_day else "",
            "can_sign": can_sign,
            "offerings": agreement.offerings.select_related("keuzedeel", "host"),
        },
    )


@login_required
@require_POST
@permission_required("keuzedelen.sign_cooperation_agreement", raise_exception=True)
def sign_agreement(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    agreement = _visible_agreement(request, pk)
    found = get_object_or_404(AgreementVersion, agreement=agreement, version=version)
    try:
        signed = agreement_services.sign_version(acting_user=request.user, version=found)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        if signed.status == VersionStatus.ACTIVE:
            messages.success(
                request, _("Getekend. Alle partners hebben getekend: deze versie geldt nu.")
            )
        else:
            messages.success(
                request, _("Getekend namens uw school. We wachten op de andere partners.")
            )
    return redirect("keuzedelen:agreement_detail", pk=pk)


# -- home timetable and planned activities ----------------------------------------------------
@login_required
@permission_required("keuzedelen.manage_timetable", raise_exception=True)
def timetable(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    school = _school(user)
    if school is None:
        raise PermissionDenied
    programmes = programmes_of(school)
    timetable_form = TimetableForm(prefix="rooster", programmes=programmes)
    activity_form = ActivityForm(prefix="activiteit", programmes=programmes)
    status = 200
    if request.method == "POST" and "rooster-programme" in request.POST:
        timetable_form = TimetableForm(request.POST, prefix="rooster", programmes=programmes)
        if timetable_form.is_valid():
            try:
                timetable_services.set_timetable(acting_user=user, **timetable_form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(timetable_form, error)
            else:
                messages.success(request, _("Het rooster is opgeslagen."))
                return redirect("keuzedelen:timetable")
        status = 400
    elif request.method == "POST":
        activity_form = ActivityForm(request.POST, prefix="activiteit", programmes=programmes)
        if activity_form.is_valid():
            try:
                activity = timetable_services.plan_activity(
                    acting_user=user, **activity_form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(activity_form, error)
            else:
                if activity.warning:
                    messages.warning(request, activity.warning)
                else:
                    messages.success(request, _("De activiteit is gepland."))
                return redirect("keuzedelen:timetable")
        status = 400
    timetables = [
        {"t": t, "days": selectors.day_names(t.lesson_days)}
        for t in selectors.timetables_of(school)
    ]
    shared = selectors.shared_days_for(school)
    return render(
        request,
        "keuzedelen/timetable.html",
        {
            "school": school,
            "timetables": timetables,
            "activities": Paginator(selectors.activities_of(school), 25).get_page(
                request.GET.get("page")
            ),
            "timetable_form": timetable_form,
            "activity_form": activity_form,
            "shared_days": selectors.day_names(shared) if shared else "",
        },
        status=status,
    )


# -- regional overview ------------------------------------------------------------------------
@login_required
@permission_required("keuzedelen.view_regional_overview", raise_exception=True)
def overview(request: HttpRequest) -> HttpResponse:
    school = _school(request.user)
    province = request.GET.get("provincie")
    if province is None and school is not None:
        province = school.province
    if province not in Province.values:
        province = ""
    data = selectors.region_overview(province or None)
    return render(
        request,
        "keuzedelen/overview.html",
        {
            "data": data,
            "province": province,
            "province_label": Province(province).label if province else _("heel Nederland"),
            "provinces": Province.choices,
            "offerings_on_map": data.offering_rows,
        },
    )
