"""The information page (everyone), acknowledging it (students) and coverage (staff, analysts)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagekans.core.forms import apply_service_errors
from stagekans.education.selectors import programmes_of
from stagekans.jobs import selectors as jobs_selectors
from stagekans.voorlichting import selectors, services
from stagekans.voorlichting.forms import InternshipPeriodForm, PublishTextForm
from stagekans.voorlichting.models import InformationText, Moment
from stagekans.voorlichting.text import blocks


def page(request: HttpRequest) -> HttpResponse:
    text = selectors.current_text()
    if text is None:
        raise Http404
    english = (get_language() or "nl").startswith("en")
    user: Any = request.user
    student = getattr(user, "student", None) if user.is_authenticated else None
    moment = selectors.pending_moment(student, text) if student is not None else None
    return render(
        request,
        "voorlichting/page.html",
        {
            "text": text,
            "title": text.title_en if english else text.title_nl,
            "blocks": blocks(text.body_en if english else text.body_nl),
            "student": student,
            "moment": Moment(moment).label if moment else None,
        },
    )


@login_required
@require_POST
def acknowledge(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    student = getattr(user, "student", None)
    if student is None:
        raise PermissionDenied
    text_id = request.POST.get("text", "")
    if not text_id.isdigit():
        raise Http404
    text = InformationText.objects.filter(pk=int(text_id)).first()
    if text is None:
        raise Http404
    try:
        services.acknowledge(acting_user=user, student=student, text=text)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("voorlichting:page")
    messages.success(request, _("Dank je wel! We hebben vastgelegd dat je dit gelezen hebt."))
    return redirect("portal:home")


def _school_of(user: Any) -> Any:
    staff = getattr(user, "school_staff", None)
    return staff.school if staff is not None else None


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    national = user.has_perm("voorlichting.view_national_coverage")
    school = _school_of(user) if user.has_perm("voorlichting.view_school_coverage") else None
    if not national and school is None:
        raise PermissionDenied
    context: dict[str, Any] = {"text": selectors.current_text(), "school": school}
    if national:
        rows, snapshot = selectors.national_coverage_snapshot()
        context["national_computed_at"] = snapshot.computed_at
        context["national_rows"] = rows
        context["national_total"] = selectors.total_coverage(rows, _("Landelijk"))
        context["job"] = jobs_selectors.latest(services.REMINDER_JOB)
    if school is not None:
        rows = selectors.coverage_by_programme(school)
        context["programme_rows"] = rows
        context["school_total"] = selectors.total_coverage(rows, school.name)
        context["page_obj"] = Paginator(selectors.not_informed_students(school), 25).get_page(
            request.GET.get("page")
        )
        if user.has_perm("voorlichting.announce_internship_period"):
            context["period_form"] = InternshipPeriodForm(programmes=programmes_of(school))
    return render(request, "voorlichting/coverage.html", context)


@login_required
@require_POST
def announce_period(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    school = _school_of(user)
    if school is None or not user.has_perm("voorlichting.announce_internship_period"):
        raise PermissionDenied
    form = InternshipPeriodForm(request.POST, programmes=programmes_of(school))
    if form.is_valid():
        try:
            services.announce_internship_period(
                acting_user=user,
                programme=form.cleaned_data["programme"],
                starts_on=form.cleaned_data["starts_on"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "De stageperiode is aangekondigd. De studenten van deze opleiding lezen de "
                    "tekst opnieuw."
                ),
            )
            return redirect("voorlichting:coverage")
    for error_list in form.errors.values():
        for message in error_list:
            messages.error(request, str(message))
    return redirect("voorlichting:coverage")


@login_required
@permission_required("voorlichting.publish_text", raise_exception=True)
def publish(request: HttpRequest) -> HttpResponse:
    """Publish a new version of the text (Dutch and English); every student reads it again."""
    current = selectors.current_text()
    if request.method == "POST":
        form = PublishTextForm(request.POST)
        if form.is_valid():
            try:
                text = services.publish_text(acting_user=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Versie %(v)s is gepubliceerd. Alle studenten lezen de tekst opnieuw "
                        "en bevestigen dat ze hem gelezen hebben."
                    )
                    % {"v": text.version},
                )
                return redirect("voorlichting:publish")
    else:
        initial = (
            {
                "title_nl": current.title_nl,
                "body_nl": current.body_nl,
                "title_en": current.title_en,
                "body_en": current.body_en,
            }
            if current is not None
            else {}
        )
        form = PublishTextForm(initial=initial)
    versions = InformationText.objects.order_by("-version")
    return render(
        request,
        "voorlichting/publish.html",
        {
            "form": form,
            "current": current,
            "page_obj": Paginator(versions, 25).get_page(request.GET.get("page")),
        },
        status=400 if request.method == "POST" else 200,
    )
