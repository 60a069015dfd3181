"""Cooperation agreements: list, detail with every version, signing, creating, a new version,
withdrawing a version being signed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagekans.core.forms import apply_service_errors
from stagekans.keuzedelen import selectors
from stagekans.keuzedelen.forms import AgreementCreateForm, AgreementVersionForm, ReasonForm
from stagekans.keuzedelen.models import AgreementVersion
from stagekans.keuzedelen.services import agreements as agreement_services
from stagekans.keuzedelen.views._common import (
    MANAGE,
    _errors_to_messages,
    _require_agreement_reader,
    _school,
    _visible_agreement,
)
from stagekans.keuzedelen.workflow import VersionStatus


def _may_manage(user: Any) -> bool:
    return _school(user) is not None and bool(user.has_perm(MANAGE))


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _require_agreement_reader(user)
    page_obj = Paginator(
        selectors.agreements_visible_to(user).prefetch_related("versions").order_by("title", "pk"),
        25,
    ).get_page(request.GET.get("page"))
    rows = []
    for agreement in page_obj:
        versions = list(agreement.versions.all())
        rows.append(
            {
                "agreement": agreement,
                "active": next((v for v in versions if v.status == VersionStatus.ACTIVE), None),
                "signing": next((v for v in versions if v.status == VersionStatus.SIGNING), None),
            }
        )
    return render(
        request,
        "keuzedelen/agreement_list.html",
        {"rows": rows, "page_obj": page_obj, "can_create": _may_manage(user)},
    )


@login_required
def agreement_detail(request: HttpRequest, pk: int, version: int | None = None) -> HttpResponse:
    agreement = _visible_agreement(request, pk)
    user: Any = request.user
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
    school = _school(user)
    own_partner = next(
        (p for p in shown.partners.all() if school and p.school_id == school.pk), None
    )
    can_sign = (
        shown.status == VersionStatus.SIGNING
        and own_partner is not None
        and own_partner.signed_at is None
        and user.has_perm("keuzedelen.sign_cooperation_agreement")
    )
    manages = _may_manage(user)
    is_host = manages and school.pk == agreement.host_id
    in_current = manages and school.pk in selectors.current_partner_ids(agreement)
    signing = next((v for v in versions if v.status == VersionStatus.SIGNING), None)
    offerings = agreement.offerings.select_related("keuzedeel", "host").order_by(
        "-start_date", "keuzedeel__title"
    )
    if not is_host:
        offerings = offerings.filter(published=True)
    return render(
        request,
        "keuzedelen/agreement_detail.html",
        {
            "agreement": agreement,
            "shown": shown,
            "versions": versions,
            "shared_day": selectors.day_names(shown.shared_day) if shown.shared_day else "",
            "can_sign": can_sign,
            "can_propose": in_current and signing is None,
            "can_offer": is_host
            and any(v.status in (VersionStatus.SIGNING, VersionStatus.ACTIVE) for v in versions),
            "withdraw_form": ReasonForm()
            if is_host and shown.status == VersionStatus.SIGNING
            else None,
            "offerings": offerings,
            "is_host": is_host,
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


@login_required
@permission_required(MANAGE, raise_exception=True)
def agreement_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    school = _school(user)
    if school is None:
        raise PermissionDenied
    schools = selectors.schools_for_partnership()
    form = AgreementCreateForm(
        request.POST or None,
        schools=schools,
        initial={
            "host": school,
            "partners": [school],
            "shared_day": 0,
            "absence_threshold_percent": 20,
            "finance_per_student": 0,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = agreement_services.create_agreement(
                acting_user=user,
                title=form.cleaned_data["title"],
                host=form.cleaned_data["host"],
                partners=list(form.cleaned_data["partners"]),
                terms=form.terms(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied:
            form.add_error("partners", _("Uw eigen school moet partner zijn in de overeenkomst."))
        else:
            messages.success(
                request,
                _("De overeenkomst staat klaar. Elke partner tekent nu namens de eigen school."),
            )
            return redirect("keuzedelen:agreement_detail", pk=version.agreement_id)
    return render(
        request,
        "keuzedelen/agreement_form.html",
        {"form": form, "agreement": None},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def agreement_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _visible_agreement(request, pk)
    user: Any = request.user
    school = _school(user)
    if school is None or school.pk not in selectors.current_partner_ids(agreement):
        raise PermissionDenied
    current = selectors.current_version(agreement)
    assert current is not None
    signing = current if current.status == VersionStatus.SIGNING else None
    form = AgreementVersionForm(
        request.POST or None,
        schools=selectors.schools_for_partnership(),
        initial={
            "partners": [p.school for p in current.partners.select_related("school")],
            "examiner": current.examiner,
            "finance_per_student": current.finance_per_student,
            "finance_terms": current.finance_terms,
            "insurance": current.insurance,
            "responsibility": current.responsibility,
            "progress_reporting": current.progress_reporting,
            "attendance_reporting": current.attendance_reporting,
            "shared_day": current.shared_day,
            "absence_threshold_percent": current.absence_threshold_percent,
        },
    )
    if request.method == "POST" and signing is None and form.is_valid():
        try:
            version = agreement_services.propose_version(
                acting_user=user,
                agreement=agreement,
                partners=list(form.cleaned_data["partners"]),
                terms=form.terms(),
                change_summary=form.cleaned_data["change_summary"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Versie %(n)s ligt ter ondertekening bij alle partners. Tot iedereen getekend "
                    "heeft, blijft de huidige versie gelden."
                )
                % {"n": version.version},
            )
            return redirect("keuzedelen:agreement_detail", pk=agreement.pk)
    return render(
        request,
        "keuzedelen/agreement_form.html",
        {"form": form, "agreement": agreement, "current": current, "signing": signing},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
@permission_required(MANAGE, raise_exception=True)
def withdraw_version(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    agreement = _visible_agreement(request, pk)
    found = get_object_or_404(AgreementVersion, agreement=agreement, version=version)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect("keuzedelen:agreement_version", pk=pk, version=version)
    try:
        agreement_services.withdraw_version(
            acting_user=request.user, version=found, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(
            request,
            _("Versie %(n)s is ingetrokken. U kunt nu een nieuwe versie voorstellen.")
            % {"n": found.version},
        )
    return redirect("keuzedelen:agreement_detail", pk=pk)
