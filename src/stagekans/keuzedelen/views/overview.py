"""The home timetable with planned activities, and the regional overview."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from stagekans.core.forms import apply_service_errors
from stagekans.education.selectors import programmes_of
from stagekans.geo.places import Province
from stagekans.keuzedelen import selectors
from stagekans.keuzedelen.forms import (
    ActivityForm,
    TimetableForm,
)
from stagekans.keuzedelen.services import timetable as timetable_services
from stagekans.keuzedelen.views._common import _school


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
