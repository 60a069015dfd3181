from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from stagekans.companies import selectors, services
from stagekans.companies.forms import CompanyForm, ContactForm, LocationForm
from stagekans.core.forms import apply_service_errors
from stagekans.register.selectors import recognitions_visible_to


@login_required
@permission_required("companies.view_company", raise_exception=True)
def company_list(request: HttpRequest) -> HttpResponse:
    companies = selectors.companies_visible_to(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        companies = companies.filter(Q(name__icontains=q) | Q(kvk_number=q))
    page = Paginator(companies, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "companies/company_list.html",
        {"page_obj": page, "q": q, "query_string": urlencode({"q": q}) if q else ""},
    )


@login_required
@permission_required("companies.add_company", raise_exception=True)
def company_create(request: HttpRequest) -> HttpResponse:
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            company = services.register_company(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Leerbedrijf %(name)s is geregistreerd.") % {"name": company}
            )
            return redirect("companies:company_detail", pk=company.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "companies/company_form.html", {"form": form}, status=status)


@login_required
@permission_required("companies.view_company", raise_exception=True)
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = get_object_or_404(selectors.companies_visible_to(request.user), pk=pk)
    return render(
        request,
        "companies/company_detail.html",
        {
            "company": company,
            "locations": selectors.locations_of(company),
            "trainers": company.trainers.select_related("user"),
            "recognitions": recognitions_visible_to(request.user).filter(company=company),
            "may_manage_contact": services.may_manage_contact(request.user, company),
        },
    )


@login_required
@permission_required("companies.add_location", raise_exception=True)
def location_create(request: HttpRequest, pk: int) -> HttpResponse:
    company = get_object_or_404(selectors.companies_visible_to(request.user), pk=pk)
    form = LocationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_location(acting_user=request.user, company=company, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("De vestiging is toegevoegd."))
            return redirect("companies:company_detail", pk=company.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "companies/location_form.html", {"form": form, "company": company}, status=status
    )


@login_required
@permission_required("companies.change_company", raise_exception=True)
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The company's contact for students and what of it is published with its vacancies."""
    company = get_object_or_404(selectors.companies_visible_to(request.user), pk=pk)
    if not services.may_manage_contact(request.user, company):
        raise PermissionDenied
    initial = {name: getattr(company, name) for name in services.CONTACT_FIELDS}
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_contact(acting_user=request.user, company=company, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("De contactgegevens voor studenten zijn opgeslagen."))
            return redirect("companies:company_detail", pk=company.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "companies/contact_form.html", {"form": form, "company": company}, status=status
    )
