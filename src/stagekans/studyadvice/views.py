"""Study advice pages: the school's advice (and giving one), the student's own advice with how
to object, marked school years (with the source document) and the report per school."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from stagekans.core.forms import apply_service_errors
from stagekans.studyadvice import rules, selectors, services
from stagekans.studyadvice.forms import AdviceForm, MarkYearForm
from stagekans.studyadvice.models import AdviceKind


def _school(user: Any) -> Any:
    staff = getattr(user, "school_staff", None)
    return staff.school if staff is not None else None


@login_required
def advice_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.has_perm("studyadvice.give_study_advice") and _school(user) is not None:
        school = _school(user)
        current_year = rules.school_year_of(dt.date.today())
        return render(
            request,
            "studyadvice/advice_list.html",
            {
                "school": school,
                "page_obj": Paginator(selectors.advice_visible_to(user), 25).get_page(
                    request.GET.get("page")
                ),
                "current_mark": selectors.marking_for(school, current_year),
                "current_year": f"{current_year}-{current_year + 1}",
            },
        )
    if user.has_perm("studyadvice.view_own_study_advice"):
        advice = list(selectors.advice_visible_to(user))
        for item in advice:
            item.objection_deadline = rules.objection_deadline(item.advice_date)  # type: ignore[attr-defined]
        return render(request, "studyadvice/own_advice.html", {"advice": advice})
    raise PermissionDenied


@login_required
@permission_required("studyadvice.give_study_advice", raise_exception=True)
def give_advice(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    school = _school(user)
    if school is None:
        raise PermissionDenied
    students = selectors.students_for_advice(user).order_by("family_name", "given_name")
    form = AdviceForm(
        request.POST or None, students=students, initial={"advice_date": dt.date.today()}
    )
    proposal = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.give_advice(
                acting_user=user,
                student=data["student"],
                kind=AdviceKind(data["kind"]),
                binding=data["binding"],
                advice_date=data["advice_date"],
                reasoning=data["reasoning"],
                next_moment=data["next_moment"],
            )
        except services.BindingAdviceRefused as refusal:
            proposal = refusal.proposal
            form = AdviceForm(
                initial={
                    **data,
                    "kind": proposal["kind"],
                    "binding": False,
                    "next_moment": proposal["next_moment"],
                },
                students=students,
            )
            form.refusal = refusal.messages[0]  # type: ignore[attr-defined]
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Het studieadvies is vastgelegd. De student ziet het in het eigen overzicht."),
            )
            return redirect("studyadvice:advice_list")
    current_year = rules.school_year_of(dt.date.today())
    return render(
        request,
        "studyadvice/give_advice.html",
        {
            "form": form,
            "proposal": proposal,
            "refusal": getattr(form, "refusal", None),
            "current_mark": selectors.marking_for(school, current_year),
            "current_year": f"{current_year}-{current_year + 1}",
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def marked_years(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    platform = user.has_perm("studyadvice.mark_school_year_all")
    school = _school(user)
    may_mark = platform or (school is not None and user.has_perm("studyadvice.mark_school_year"))
    if not may_mark and not user.has_perm("studyadvice.view_study_advice_report"):
        raise PermissionDenied
    form = (
        MarkYearForm(request.POST or None, request.FILES or None, platform=platform)
        if may_mark
        else None
    )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            upload = data.get("document")
            content = upload.read() if upload else None
            try:
                services.mark_school_year(
                    acting_user=user,
                    school=None
                    if (platform and (data.get("all_schools") or school is None))
                    else school,
                    school_year=data["school_year"],
                    reason=data["reason"],
                    document=content,
                    document_reference=data["document_reference"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Het schooljaar is gemarkeerd als niet-bindend."))
                return redirect("studyadvice:marked_years")
    return render(
        request,
        "studyadvice/marked_years.html",
        {"marks": selectors.markings_visible_to(user), "form": form, "platform": platform},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def marked_year_document(request: HttpRequest, pk: int) -> FileResponse:
    mark = get_object_or_404(selectors.markings_visible_to(request.user), pk=pk)
    if not mark.document:
        raise Http404
    services.record_document_view(acting_user=request.user, mark=mark)
    return FileResponse(
        mark.document.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"besluit-niet-bindend-{mark.label}.pdf",
    )


@login_required
@permission_required("studyadvice.view_study_advice_report", raise_exception=True)
def report(request: HttpRequest) -> HttpResponse:
    rows = selectors.report(request.user)
    chart = [{"label": f"{r.school} ({r.school_year})", "value": r.total} for r in rows]
    return render(request, "studyadvice/report.html", {"rows": rows, "chart": chart})
