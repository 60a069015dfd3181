from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagekans.core.forms import apply_service_errors
from stagekans.informatiepakket import selectors, services
from stagekans.informatiepakket.forms import PublishForm
from stagekans.informatiepakket.models import HandoutVersion
from stagekans.informatiepakket.rendering import render_text
from stagekans.jobs import selectors as jobs_selectors


@login_required
def delivery_list(request: HttpRequest) -> HttpResponse:
    deliveries = selectors.deliveries_visible_to(request.user)
    if not request.user.has_perm("informatiepakket.acknowledge_handout") and not (
        request.user.has_perm("companies.view_all_companies")
    ):
        raise PermissionDenied
    page = Paginator(deliveries, 25).get_page(request.GET.get("page"))
    return render(request, "informatiepakket/delivery_list.html", {"page_obj": page})


@login_required
def delivery_detail(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(selectors.deliveries_visible_to(request.user), pk=pk)
    language = get_language() or "nl"
    return render(
        request,
        "informatiepakket/delivery_detail.html",
        {
            "delivery": delivery,
            "title": delivery.version.title(language),
            "body": render_text(delivery.version.body(language)),
            "can_acknowledge": (
                delivery.acknowledged_at is None
                and request.user.has_perm("informatiepakket.acknowledge_handout")
                and getattr(getattr(request.user, "trainer", None), "company_id", None)
                == delivery.company_id
            ),
        },
    )


@login_required
@require_POST
def delivery_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(selectors.deliveries_visible_to(request.user), pk=pk)
    try:
        services.acknowledge(acting_user=request.user, delivery=delivery)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Bedankt. We hebben vastgelegd dat u deze hand-out gelezen heeft.")
        )
    return redirect("informatiepakket:delivery_detail", pk=delivery.pk)


@login_required
@permission_required("informatiepakket.view_handout_coverage", raise_exception=True)
def coverage(request: HttpRequest) -> HttpResponse:
    group_by = request.GET.get("per", "sector")
    if group_by not in ("sector", "provincie"):
        messages.error(request, _("Kies 'sector' of 'provincie'."))
        group_by = "sector"
    tables: list[dict[str, Any]] = []
    computed_at = None
    for version in selectors.current_versions():
        rows, snapshot = selectors.coverage_snapshot(
            version, "sector" if group_by == "sector" else "province"
        )
        computed_at = min(computed_at or snapshot.computed_at, snapshot.computed_at)
        tables.append({"version": version, "rows": rows, "total": selectors.coverage_total(rows)})
    if request.GET.get("formaat") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="informatiepakket-bereik-per-{group_by}.csv"'
        )
        writer = csv.writer(response, delimiter=";")
        writer.writerow(
            ["handout", "versie", group_by, "erkende_leerbedrijven", "gelezen", "percentage"]
        )
        for table in tables:
            for row in [*table["rows"], table["total"]]:
                writer.writerow(
                    [
                        table["version"].kind,
                        table["version"].version,
                        row.label,
                        row.recognised,
                        row.acknowledged,
                        "" if row.percentage is None else row.percentage,
                    ]
                )
        return response
    return render(
        request,
        "informatiepakket/coverage.html",
        {"tables": tables, "group_by": group_by, "computed_at": computed_at},
    )


@login_required
@permission_required("informatiepakket.publish_handout", raise_exception=True)
def publish(request: HttpRequest) -> HttpResponse:
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.publish_version(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Versie %(v)s is gepubliceerd en wordt nu aan alle erkende "
                    "leerbedrijven verstrekt."
                )
                % {"v": version.version},
            )
            return redirect("informatiepakket:publish")
    versions = HandoutVersion.objects.order_by("kind", "-version")
    template = (
        "informatiepakket/_versions.html"
        if request.htmx  # type: ignore[attr-defined]
        else "informatiepakket/publish.html"
    )
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "versions": versions,
        "job": jobs_selectors.latest(services.ISSUE_JOB),
    }
    return render(request, template, context, status=status)
