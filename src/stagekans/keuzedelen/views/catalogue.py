"""The catalogue and the offerings of host schools: browse, ask (alone or as a group), offer,
change and close."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from stagekans.core.forms import apply_service_errors
from stagekans.keuzedelen import selectors
from stagekans.keuzedelen.forms import GroupRequestForm, OfferingForm, ReasonForm, RequestForm
from stagekans.keuzedelen.models import Offering
from stagekans.keuzedelen.services import catalogue as catalogue_services
from stagekans.keuzedelen.services import enrolment as enrolment_services
from stagekans.keuzedelen.views._common import (
    MANAGE,
    _errors_to_messages,
    _school,
    _visible_agreement,
)
from stagekans.keuzedelen.workflow import (
    EnrolmentStatus,
)


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
    user: Any = request.user
    offering = selectors.offering_visible_to(user, pk)
    if offering is None:
        raise Http404
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
    is_host = (
        school is not None
        and school.pk == offering.host_id
        and user.has_perm("keuzedelen.manage_cooperation_agreement")
    )
    return render(
        request,
        "keuzedelen/offering_detail.html",
        {
            "offering": offering,
            "days": selectors.day_names(offering.weekdays),
            "taken": selectors.places_taken(offering),
            "version": version,
            "form": form if can_request and offering.published else None,
            "can_group": offering.published
            and school is not None
            and school.pk != offering.host_id
            and user.has_perm("keuzedelen.decide_keuzedeel_request"),
            "is_host": is_host,
            "shared_day_warning": selectors.shared_day_warning(offering) if is_host else "",
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


# -- offerings of the host --------------------------------------------------------------------
OFFERING_FIELDS = (
    "location_name",
    "place",
    "weekdays",
    "start_date",
    "end_date",
    "places",
    "min_niveau",
    "entry_conditions",
)


def _hosted_offering(request: HttpRequest, pk: int) -> Offering:
    """The host's own offering (open or closed); anyone else may not change it."""
    offering = selectors.offering_visible_to(request.user, pk)
    if offering is None:
        raise Http404
    school = _school(request.user)
    if school is None or school.pk != offering.host_id:
        raise PermissionDenied
    return offering


def _mask_days(mask: int) -> list[int]:
    return [bit for bit in (1, 2, 4, 8, 16) if mask & bit]


@login_required
@permission_required(MANAGE, raise_exception=True)
def offering_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The host offers a keuzedeel under agreement `pk`."""
    agreement = _visible_agreement(request, pk)
    user: Any = request.user
    school = _school(user)
    if school is None or school.pk != agreement.host_id:
        raise PermissionDenied
    shared = selectors.shared_day_of(agreement)
    form = OfferingForm(
        request.POST or None,
        keuzedelen=selectors.catalogue_entries(),
        initial={
            "place": school.place,
            "weekdays": _mask_days(shared),
            "min_niveau": 1,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            offering = catalogue_services.create_offering(
                acting_user=user, agreement=agreement, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Het keuzedeel staat in het aanbod. Studenten van de partners kunnen het "
                    "aanvragen."
                ),
            )
            warning = selectors.shared_day_warning(offering)
            if warning:
                messages.warning(request, warning)
            return redirect("keuzedelen:offering_detail", pk=offering.pk)
    return render(
        request,
        "keuzedelen/offering_form.html",
        {
            "form": form,
            "agreement": agreement,
            "offering": None,
            "shared_day": selectors.day_names(shared) if shared else "",
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def offering_edit(request: HttpRequest, pk: int) -> HttpResponse:
    offering = _hosted_offering(request, pk)
    shared = selectors.shared_day_of(offering.agreement)
    initial: dict[str, Any] = {name: getattr(offering, name) for name in OFFERING_FIELDS}
    initial["weekdays"] = _mask_days(offering.weekdays)
    form = OfferingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = catalogue_services.update_offering(
                acting_user=request.user, offering=offering, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Het aanbod is gewijzigd."))
            warning = selectors.shared_day_warning(changed)
            if warning:
                messages.warning(request, warning)
            return redirect("keuzedelen:offering_detail", pk=offering.pk)
    return render(
        request,
        "keuzedelen/offering_form.html",
        {
            "form": form,
            "agreement": offering.agreement,
            "offering": offering,
            "running": selectors.running_requests(offering),
            "shared_day": selectors.day_names(shared) if shared else "",
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def offering_close(request: HttpRequest, pk: int) -> HttpResponse:
    offering = _hosted_offering(request, pk)
    if not offering.published:
        messages.info(request, _("Dit aanbod is al gesloten."))
        return redirect("keuzedelen:offering_detail", pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            catalogue_services.close_offering(
                acting_user=request.user, offering=offering, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _errors_to_messages(request, error)
        else:
            messages.success(
                request,
                _(
                    "Het aanbod is gesloten voor nieuwe aanvragen. Lopende aanvragen en "
                    "plaatsingen blijven staan."
                ),
            )
            return redirect("keuzedelen:offering_detail", pk=pk)
    return render(
        request,
        "keuzedelen/offering_close.html",
        {"form": form, "offering": offering, "running": selectors.running_requests(offering)},
        status=400 if request.method == "POST" else 200,
    )
