"""The public register: search recognised companies, and a company's valid recognitions."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from stagekans.companies.selectors import locations_of
from stagekans.geo.selectors import point_for
from stagekans.register import selectors
from stagekans.register.forms import RegisterSearchForm

PAGE_SIZE = 20


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = RegisterSearchForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "searched": False}
    status = 200
    if form.is_bound and form.is_valid():
        q, where, radius = (
            form.cleaned_data["q"],
            form.cleaned_data["plaats"].strip(),
            form.cleaned_data["straal"],
        )
        qualifications = selectors.matching_qualifications(q) if q else None
        point = point_for(where) if where else None
        if where and point is None:
            form.add_error(
                "plaats",
                _(
                    "Plaats of postcode: '%(value)s' is niet bekend. Kies een Nederlandse plaats "
                    "of postcode."
                )
                % {"value": where},
            )
            status = 400
        elif qualifications is not None and not qualifications.exists():
            form.add_error(
                "q",
                _("Kwalificatie of crebocode: er is geen kwalificatie gevonden voor '%(value)s'.")
                % {"value": q},
            )
            status = 400
        else:
            companies = selectors.search_register(
                qualifications=qualifications, point=point, radius_km=radius
            )
            page = Paginator(companies, PAGE_SIZE).get_page(request.GET.get("page"))
            recognitions = selectors.public_recognitions().filter(
                company__in=[c.pk for c in page.object_list]
            )
            if qualifications is not None:
                recognitions = recognitions.filter(qualification__in=qualifications)
            by_company: dict[int, list[Any]] = {}
            for r in recognitions.select_related("qualification").order_by("qualification__title"):
                by_company.setdefault(r.company_id, []).append(r)
            for company in page.object_list:
                company.shown_recognitions = by_company.get(company.pk, [])  # type: ignore[attr-defined]
            context.update(
                searched=True,
                page_obj=page,
                near=bool(point),
                query_string=urlencode({"q": q, "plaats": where, "straal": radius}),
            )
    elif form.is_bound:
        status = 400
    return render(request, "register/public_search.html", context, status=status)


@require_GET
def company(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.public_company(pk)
    if found is None:
        raise Http404
    return render(
        request,
        "register/public_company.html",
        {
            "company": found,
            "recognitions": selectors.public_recognitions_of(found),
            "locations": locations_of(found),
        },
    )
