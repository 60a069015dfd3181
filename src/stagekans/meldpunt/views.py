"""Pages of the meldpunt: intake, follow-up by code or account, the work queue, triage,
messages and statistics. Views convert requests; the rules live in services and selectors."""

from __future__ import annotations

import csv
import time
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagekans.core.forms import apply_service_errors
from stagekans.education.selectors import students_visible_to
from stagekans.meldpunt import ratelimit, selectors, services
from stagekans.meldpunt.forms import (
    FollowForm,
    ForwardForm,
    MessageForm,
    ReferForm,
    ReportForm,
    TriageForm,
)
from stagekans.meldpunt.models import Report
from stagekans.meldpunt.workflow import ALLOWED_TRANSITIONS, ReportStatus, TransitionNotAllowed

INTAKE_LIMIT = ratelimit.INTAKE_ACCEPTED.limit
CODE_LIMIT = ratelimit.CODE_PER_CLIENT.limit
FOLLOW_SESSION_KEY = "meldpunt_follow"
FOLLOW_SECONDS = 30 * 60


def _too_many(request: HttpRequest, limit: ratelimit.Limit) -> HttpResponse:
    response = render(request, "meldpunt/too_many.html", {"minutes": limit.minutes}, status=429)
    response["Retry-After"] = str(limit.window_seconds)
    return response


def _intake_limits(request: HttpRequest, user: Any) -> tuple[ratelimit.Limit, str]:
    """The limit on accepted reports and the key it counts under: the account when logged in,
    else the (hashed) client address."""
    if user.is_authenticated:
        return ratelimit.INTAKE_ACCOUNT, f"user:{user.pk}"
    return ratelimit.INTAKE_ACCEPTED, ratelimit.client_key(request)


# --- intake -----------------------------------------------------------------------------------


def report(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    students = students_visible_to(user) if user.is_authenticated else None
    query = request.POST.get("company_search", "") if request.method == "POST" else ""
    chosen = request.POST.get("company", "") if request.method == "POST" else ""
    companies = selectors.search_register_companies(query) if query else []
    chosen_company = selectors.register_company(chosen) if chosen else None
    if chosen_company is not None and chosen_company not in companies:
        companies = [chosen_company, *companies]
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        user=user,
        students=students,
        companies=companies,
    )
    if request.method != "POST":
        return render(request, "meldpunt/report_form.html", {"form": form})
    if "zoek_bedrijf" in request.POST:
        form.errors.clear()  # only searching: show the results, no validation yet
        return render(request, "meldpunt/report_form.html", {"form": form, "searched": True})
    accepted_limit, key = _intake_limits(request, user)
    # Every submission counts against the (large) attempts limit, which only protects the
    # server; only accepted reports count against the per-client limit (finding 7).
    if ratelimit.exceeded(ratelimit.INTAKE_ATTEMPTS, key):
        return _too_many(request, ratelimit.INTAKE_ATTEMPTS)
    if ratelimit.count(accepted_limit, key) >= accepted_limit.limit:
        return _too_many(request, accepted_limit)
    if form.is_valid():
        data = form.cleaned_data
        try:
            submitted = services.submit_report(
                acting_user=user,
                reporter_role=data["reporter_role"],
                what_happened=data["what_happened"],
                occurred_on=data["occurred_on"],
                grounds=data["grounds"],
                phase=data["phase"],
                follow_up=data["follow_up"],
                company=chosen_company,
                company_name=data["company_name"],
                vacancy_description=data["vacancy_description"],
                province=data["province"],
                consent_share_identity_with_sbb=data["consent_share_identity_with_sbb"],
                consent_share_identity_with_school=data["consent_share_identity_with_school"],
                contact=services.ContactDetails(
                    name=data.get("contact_name", ""),
                    email=data.get("contact_email", ""),
                    phone=data.get("contact_phone", ""),
                ),
                on_behalf_of=data.get("on_behalf_of"),
                attachments=data["attachments"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        except DatabaseError:
            # Nothing was stored (one transaction). Say so plainly; the form can be sent again.
            return render(request, "meldpunt/unavailable.html", status=503)
        else:
            ratelimit.increment(accepted_limit, key)
            # Rendered, not redirected: the receipt code is shown once and never stored.
            return render(
                request,
                "meldpunt/report_received.html",
                {
                    "report": submitted.report,
                    "receipt_code": submitted.receipt_code,
                    "mailed": bool(selectors.reporter_email(submitted.report)),
                },
                status=201,
            )
    return render(request, "meldpunt/report_form.html", {"form": form}, status=400)


# --- follow-up by receipt code ----------------------------------------------------------------


def follow(request: HttpRequest) -> HttpResponse:
    form = FollowForm(request.POST or None)
    if request.method != "POST":
        return render(request, "meldpunt/follow.html", {"form": form})
    if not form.is_valid():  # an empty code is no guess: say what is missing, count nothing
        return render(request, "meldpunt/follow.html", {"form": form}, status=400)
    key = ratelimit.client_key(request)
    code = request.POST.get("code", "")
    # Count the attempt before the (slow, constant-cost) check, so parallel guesses cannot all
    # slip under the limit; a right code takes its attempt back. Limited per client and for all
    # clients together, never per report number: that would let anyone who knows a number lock
    # its reporter out (finding 4, ADR 0300).
    if ratelimit.exceeded(ratelimit.CODE_PER_CLIENT, key):
        return _too_many(request, ratelimit.CODE_PER_CLIENT)
    if ratelimit.exceeded(ratelimit.CODE_GLOBAL, "all"):
        ratelimit.decrement(ratelimit.CODE_PER_CLIENT, key)
        return _too_many(request, ratelimit.CODE_GLOBAL)
    found = selectors.find_by_receipt_code(code)
    if found is None:
        form.add_error(
            "code",
            _(
                "Ontvangstcode: deze code kennen we niet. Controleer de 22 cijfers en probeer het "
                "opnieuw."
            ),
        )
        return render(request, "meldpunt/follow.html", {"form": form}, status=400)
    ratelimit.decrement(ratelimit.CODE_PER_CLIENT, key)
    ratelimit.decrement(ratelimit.CODE_GLOBAL, "all")
    request.session.cycle_key()
    # Anonymous follow-up ends with the browser (no lasting cookie), and sooner with "Stoppen".
    request.session.set_expiry(0)
    request.session[FOLLOW_SESSION_KEY] = {
        "report": found.pk,
        "until": time.time() + FOLLOW_SECONDS,
    }
    return redirect("meldpunt:follow_report")


def _followed_report(request: HttpRequest) -> Report | None:
    access = request.session.get(FOLLOW_SESSION_KEY)
    if not access or access.get("until", 0) < time.time():
        return None
    return Report.objects.filter(pk=access["report"], contact_erased_at__isnull=True).first()


def follow_report(request: HttpRequest) -> HttpResponse:
    found = _followed_report(request)
    if found is None:
        messages.info(request, _("Vul je ontvangstcode (opnieuw) in om je melding te bekijken."))
        return redirect("meldpunt:follow")
    return _reporter_page(request, found, post_url_name="meldpunt:follow_report")


@require_POST
def follow_stop(request: HttpRequest) -> HttpResponse:
    """End the follow-up at once (a shared or school computer): forget the code's access."""
    request.session.pop(FOLLOW_SESSION_KEY, None)
    if not request.user.is_authenticated:
        request.session.flush()
    messages.info(request, _("Je bent gestopt. Wil je weer kijken, vul dan je ontvangstcode in."))
    return redirect("meldpunt:follow")


def _reporter_page(request: HttpRequest, found: Report, post_url_name: str) -> HttpResponse:
    form = MessageForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        user: Any = request.user
        key = f"user:{user.pk}" if user.is_authenticated else ratelimit.client_key(request)
        if ratelimit.exceeded(ratelimit.MESSAGES, key):
            return _too_many(request, ratelimit.MESSAGES)
        if form.is_valid():
            try:
                services.post_reporter_message(
                    acting_user=request.user, report=found, body=form.cleaned_data["body"]
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Je bericht is verstuurd naar het meldpunt."))
                if post_url_name == "meldpunt:own_report":
                    return redirect(post_url_name, reference=found.reference)
                return redirect(post_url_name)
    return render(
        request,
        "meldpunt/reporter_report.html",
        {
            "report": found,
            "history": found.history.order_by("at", "id"),
            "thread": found.messages.order_by("created_at", "id"),
            "form": form,
            "closed": found.status == ReportStatus.CLOSED,
            "followed_by_code": post_url_name == "meldpunt:follow_report",
        },
        status=status,
    )


# --- the reporter's own reports -----------------------------------------------------------------


@login_required
@permission_required("meldpunt.view_own_reports", raise_exception=True)
def own_reports(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.own_reports(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "meldpunt/own_reports.html", {"page_obj": page})


@login_required
@permission_required("meldpunt.view_own_reports", raise_exception=True)
def own_report(request: HttpRequest, reference: str) -> HttpResponse:
    found = get_object_or_404(selectors.own_reports(request.user), reference=reference)
    return _reporter_page(request, found, post_url_name="meldpunt:own_report")


# --- meldpunt staff -----------------------------------------------------------------------------


@login_required
@permission_required("meldpunt.view_report", raise_exception=True)
def queue(request: HttpRequest) -> HttpResponse:
    reports = selectors.work_queue(request.user)
    status = request.GET.get("status", "")
    if status in ReportStatus.values:
        reports = reports.filter(status=status)
    page = Paginator(reports, 25).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for item in page.object_list:
        item.sla = selectors.sla_state(item, today)  # type: ignore[attr-defined]
    return render(
        request,
        "meldpunt/queue.html",
        {
            "page_obj": page,
            "counts": selectors.queue_counts(request.user, today),
            "status": status,
            "statuses": ReportStatus.choices,
            "query_string": f"status={status}" if status else "",
        },
    )


def _staff_detail(
    request: HttpRequest, found: Report, status: int = 200, **forms: Any
) -> HttpResponse:
    services.record_report_view(acting_user=request.user, report=found)
    allowed = {s.value for s in ALLOWED_TRANSITIONS.get(ReportStatus(found.status), frozenset())}
    return render(
        request,
        "meldpunt/report_detail.html",
        {
            "report": found,
            "grounds": [g.get_ground_display() for g in found.grounds.all()],
            "history": found.history.select_related("actor").order_by("at", "id"),
            "thread": found.messages.select_related("author").order_by("created_at", "id"),
            "attachments": found.attachments.all(),
            "contact": getattr(found, "contact", None),
            "sla": selectors.sla_state(found),
            "allowed": allowed,
            "message_form": forms.get("message_form") or MessageForm(),
            "triage_form": forms.get("triage_form") or TriageForm(),
            "refer_form": forms.get("refer_form") or ReferForm(),
            "forward_form": forms.get("forward_form") or ForwardForm(),
        },
        status=status,
    )


@login_required
@permission_required("meldpunt.view_report", raise_exception=True)
def report_detail(request: HttpRequest, reference: str) -> HttpResponse:
    found = get_object_or_404(selectors.reports_for_meldpunt(request.user), reference=reference)
    return _staff_detail(request, found)


@login_required
@permission_required("meldpunt.triage_report", raise_exception=True)
@require_POST
def report_transition(request: HttpRequest, reference: str) -> HttpResponse:
    found = get_object_or_404(selectors.reports_for_meldpunt(request.user), reference=reference)
    action = request.POST.get("action", "")
    note = request.POST.get("note", "")
    forms: dict[str, Any] = {}
    try:
        if action == "start_triage":
            services.start_triage(acting_user=request.user, report=found, note=note)
        elif action == "register_only":
            services.register_only(acting_user=request.user, report=found, note=note)
        elif action == "refer":
            forms["refer_form"] = ReferForm(request.POST)
            if not forms["refer_form"].is_valid():
                return _staff_detail(request, found, status=400, **forms)
            services.refer_to_support(
                acting_user=request.user,
                report=found,
                organisation=request.POST.get("organisation", ""),
                contact_details=request.POST.get("contact_details", ""),
                note=note,
            )
        elif action == "forward":
            forms["forward_form"] = ForwardForm(request.POST)
            if not forms["forward_form"].is_valid():
                return _staff_detail(request, found, status=400, **forms)
            services.forward_to_sbb(
                acting_user=request.user,
                report=found,
                summary=request.POST.get("summary", ""),
                note=note,
            )
        elif action == "close":
            services.close_report(acting_user=request.user, report=found, note=note)
        else:
            raise Http404
    except ValidationError as error:
        for form in forms.values():
            apply_service_errors(form, error)
        if not forms:
            messages.error(request, " ".join(error.messages))
            return redirect("meldpunt:report_detail", reference=found.reference)
        return _staff_detail(request, found, status=400, **forms)
    except TransitionNotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("De status van de melding is bijgewerkt."))
    return redirect("meldpunt:report_detail", reference=found.reference)


@login_required
@permission_required("meldpunt.triage_report", raise_exception=True)
@require_POST
def report_message(request: HttpRequest, reference: str) -> HttpResponse:
    found = get_object_or_404(selectors.reports_for_meldpunt(request.user), reference=reference)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _staff_detail(request, found, status=400, message_form=form)
    try:
        services.send_message_to_reporter(
            acting_user=request.user, report=found, body=form.cleaned_data["body"]
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return _staff_detail(request, found, status=400, message_form=form)
    messages.success(request, _("Je bericht is verstuurd naar de melder."))
    return redirect("meldpunt:report_detail", reference=found.reference)


@login_required
@permission_required("meldpunt.view_report", raise_exception=True)
def report_attachment(request: HttpRequest, reference: str, pk: int) -> FileResponse:
    found = get_object_or_404(selectors.reports_for_meldpunt(request.user), reference=reference)
    attachment = get_object_or_404(found.attachments, pk=pk)
    services.record_report_view(acting_user=request.user, report=found, what="attachment")
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=attachment.download_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- statistics ---------------------------------------------------------------------------------


@login_required
@permission_required("meldpunt.view_report_statistics", raise_exception=True)
def statistics(request: HttpRequest) -> HttpResponse:
    from django.conf import settings

    dimension = request.GET.get("indeling", "ground")
    if dimension not in selectors.DIMENSIONS:
        dimension = "ground"
    # Only whole calendar years that have ended are published (never a moving window), so a
    # published table never changes and differencing two days reveals nothing.
    today = timezone.localdate()
    years = selectors.published_years(today)
    requested = request.GET.get("jaar", "")
    year = int(requested) if requested.isdigit() and int(requested) in years else years[0]
    k = settings.MELDPUNT_SUPPRESSION_THRESHOLD
    table = selectors.published_statistics(dimension, year=year, k=k, today=today)
    rows: list[dict[str, Any]] = [
        {"label": label, "cells": cells, "total": total}
        for label, cells, total in zip(table.row_labels, table.cells, table.row_totals, strict=True)
    ]
    if request.GET.get("formaat") == "csv":
        hidden_label = _("afgeschermd")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="meldingen-{dimension}-{year}.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [str(selectors.DIMENSIONS[dimension])]
            + [m.strftime("%Y-%m") for m in table.months]
            + [_("totaal")]
        )
        for row in rows:
            writer.writerow(
                [row["label"]]
                + [hidden_label if v is None else v for v in row["cells"]]
                + [hidden_label if row["total"] is None else row["total"]]
            )
        writer.writerow(
            [_("totaal")]
            + [hidden_label if v is None else v for v in table.column_totals]
            + [hidden_label if table.grand_total is None else table.grand_total]
        )
        return response
    largest = max([r["total"] or 0 for r in rows] + [1])
    bars = [
        {
            "label": r["label"],
            "value": r["total"],
            "width": 0 if r["total"] is None else round(300 * r["total"] / largest),
            "y": 10 + i * 28,
        }
        for i, r in enumerate(rows)
    ]
    return render(
        request,
        "meldpunt/statistics.html",
        {
            "dimension": dimension,
            "dimensions": [(key, label) for key, label in selectors.DIMENSIONS.items()],
            "dimension_label": selectors.DIMENSIONS[dimension],
            "year": year,
            "years": years,
            "months": table.months,
            "rows": rows,
            "column_totals": table.column_totals,
            "grand_total": table.grand_total,
            "k": k,
            "bars": bars,
            "chart_height": 20 + 28 * len(bars),
        },
    )
