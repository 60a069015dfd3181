from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from stagekans.companies.models import Company
from stagekans.companies.selectors import own_company
from stagekans.core.forms import apply_service_errors
from stagekans.stagemarkt import selectors, services
from stagekans.stagemarkt.forms import CompanyProfileForm, VacancyForm, VacancySearchForm
from stagekans.stagemarkt.models import Vacancy
from stagekans.stagemarkt.workflow import (
    ALLOWED_TRANSITIONS,
    EDITABLE,
    TransitionNotAllowed,
    VacancyStatus,
)

# --- public ----------------------------------------------------------------------------------


def search(request: HttpRequest) -> HttpResponse:
    """The public search page; works without JavaScript, htmx swaps only the results."""
    searched = any(key in request.GET for key in VacancySearchForm.base_fields)
    form = VacancySearchForm(request.GET if searched else None)
    page = None
    status = 200
    if searched:
        if form.is_valid():
            page = selectors.search_vacancies(
                form.criteria(), page=form.cleaned_data.get("page") or 1
            )
        else:
            status = 400
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "searched": searched,
        "page": page,
        "query_string": params.urlencode(),
        "search_fields_top": [form["q"], form["waar"], form["straal"]],
        "search_fields_more": [
            form[name] for name in ("niveau", "leerweg", "sector", "van", "tot")
        ],
        "search_fields_features": [form["kenmerken"]],
        "search_fields_sort": [form["sortering"]],
        "origin": form.criteria().point if page is not None else None,
    }
    if request.htmx:  # type: ignore[attr-defined]
        # htmx swaps only 2xx responses; the partial shows the errors itself.
        return render(request, "stagemarkt/_results.html", context)
    return render(request, "stagemarkt/search.html", context, status=status)


def vacancy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = selectors.public_vacancy(pk)
    if vacancy is None:
        raise Http404
    return render(
        request,
        "stagemarkt/vacancy_detail.html",
        {"vacancy": vacancy, "profile": selectors.profile_of(vacancy.company)},
    )


def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = get_object_or_404(selectors.recognised_companies(), pk=pk)
    return render(
        request,
        "stagemarkt/company_detail.html",
        {
            "company": company,
            "profile": selectors.profile_of(company),
            "vacancies": selectors.public_vacancies_of(company),
        },
    )


# --- company portal ----------------------------------------------------------------------------


def _portal_company(request: HttpRequest) -> Company:
    company = own_company(request.user)
    if company is None:
        raise PermissionDenied
    return company


@login_required
@permission_required("stagemarkt.view_vacancy", raise_exception=True)
def my_vacancies(request: HttpRequest) -> HttpResponse:
    company = _portal_company(request)
    vacancies = selectors.vacancies_visible_to(request.user).filter(company=company)
    status = request.GET.get("status", "")
    if status in VacancyStatus.values:
        vacancies = vacancies.order_by("-updated_at").filter(status=status)
    else:
        status = ""
        vacancies = vacancies.order_by("-updated_at")
    page = Paginator(vacancies, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "stagemarkt/my_vacancies.html",
        {
            "company": company,
            "page_obj": page,
            "status": status,
            "statuses": VacancyStatus.choices,
            "query_string": f"status={status}" if status else "",
            "recognised": selectors.recognised_qualifications(company).exists(),
        },
    )


@login_required
@permission_required("stagemarkt.add_vacancy", raise_exception=True)
def vacancy_create(request: HttpRequest) -> HttpResponse:
    company = _portal_company(request)
    form = VacancyForm(request.POST or None, company=company)
    if request.method == "POST" and form.is_valid():
        try:
            vacancy = services.create_vacancy(
                acting_user=request.user, company=company, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("De vacature is als concept opgeslagen."))
            return redirect("stagemarkt:manage_vacancy", pk=vacancy.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "stagemarkt/vacancy_form.html",
        {"form": form, "company": company, "vacancy": None},
        status=status,
    )


def _own_vacancy(request: HttpRequest, pk: int) -> Vacancy:
    return get_object_or_404(selectors.vacancies_visible_to(request.user), pk=pk)


@login_required
@permission_required("stagemarkt.view_vacancy", raise_exception=True)
def manage_vacancy(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = _own_vacancy(request, pk)
    allowed = ALLOWED_TRANSITIONS[VacancyStatus(vacancy.status)]
    return render(
        request,
        "stagemarkt/manage_vacancy.html",
        {
            "vacancy": vacancy,
            "editable": VacancyStatus(vacancy.status) in EDITABLE,
            "can_publish": VacancyStatus.PUBLISHED in allowed,
            "can_unpublish": vacancy.status == VacancyStatus.PUBLISHED,
            "can_fill": VacancyStatus.FILLED in allowed,
            "can_withdraw": VacancyStatus.WITHDRAWN in allowed,
        },
    )


@login_required
@permission_required("stagemarkt.change_vacancy", raise_exception=True)
def vacancy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = _own_vacancy(request, pk)
    initial: dict[str, Any] = {field: getattr(vacancy, field) for field in services.EDITABLE_FIELDS}
    form = VacancyForm(request.POST or None, initial=initial, company=vacancy.company)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_vacancy(acting_user=request.user, vacancy=vacancy, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("De vacature is bijgewerkt."))
            return redirect("stagemarkt:manage_vacancy", pk=vacancy.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "stagemarkt/vacancy_form.html",
        {"form": form, "company": vacancy.company, "vacancy": vacancy},
        status=status,
    )


_ACTIONS = {
    "publish": (services.publish_vacancy, gettext_lazy("De vacature is gepubliceerd.")),
    "unpublish": (
        services.unpublish_vacancy,
        gettext_lazy("De vacature is teruggezet naar concept."),
    ),
    "fill": (services.fill_vacancy, gettext_lazy("De vacature is als vervuld gemarkeerd.")),
    "withdraw": (services.withdraw_vacancy, gettext_lazy("De vacature is ingetrokken.")),
}


@login_required
@permission_required("stagemarkt.publish_vacancy", raise_exception=True)
@require_POST
def vacancy_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    vacancy = _own_vacancy(request, pk)
    if action not in _ACTIONS:
        raise Http404
    service, message = _ACTIONS[action]
    try:
        service(acting_user=request.user, vacancy=vacancy)
    except (ValidationError, TransitionNotAllowed) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
    else:
        messages.success(request, str(message))
    return redirect("stagemarkt:manage_vacancy", pk=vacancy.pk)


@login_required
@permission_required("stagemarkt.change_companyprofile", raise_exception=True)
def profile_edit(request: HttpRequest) -> HttpResponse:
    company = _portal_company(request)
    profile = selectors.profile_of(company)
    initial = (
        {"features": profile.features, "inclusivity_text": profile.inclusivity_text}
        if profile
        else {}
    )
    form = CompanyProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_company_profile(
                acting_user=request.user, company=company, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Het inclusiviteitsprofiel is opgeslagen."))
            return redirect("stagemarkt:my_vacancies")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "stagemarkt/profile_form.html", {"form": form, "company": company}, status=status
    )
