"""Pages of the support app: school signals, the expert team and the referral directory.
Views convert requests; the rules live in services and selectors."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagekans.companies.models import Company
from stagekans.core.forms import apply_service_errors
from stagekans.education.selectors import students_visible_to
from stagekans.geo.places import Province
from stagekans.meldpunt import selectors as meldpunt_selectors
from stagekans.meldpunt import services as meldpunt_services
from stagekans.meldpunt.workflow import ReportStatus, TransitionNotAllowed
from stagekans.support import selectors, services
from stagekans.support.forms import (
    ConversationForm,
    DirectoryImportForm,
    EntryForm,
    OrganisationChoiceField,
    ReferralForm,
    SignalForm,
    SignalReportForm,
    SupportRequestForm,
)
from stagekans.support.importer import COLUMNS, import_directory
from stagekans.support.models import OrganisationKind, SignalOutcome
from stagekans.support.services.expert_team import requester_of
from stagekans.support.workflow import SupportRequestStatus
from stagekans.support.workflow import TransitionNotAllowed as RequestTransitionNotAllowed

# --- school signals -----------------------------------------------------------------------------


@login_required
@permission_required("support.log_school_signal", raise_exception=True)
def signal_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.signals_visible_to(request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "support/signal_list.html", {"page_obj": page})


@login_required
@permission_required("support.log_school_signal", raise_exception=True)
def signal_create(request: HttpRequest) -> HttpResponse:
    form = SignalForm(request.POST or None, students=students_visible_to(request.user))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                signal = services.log_signal(
                    acting_user=request.user,
                    company=data["kvk_number"],
                    student=data["student"],
                    observed=data["observed"],
                    observed_on=data["observed_on"],
                    grounds=data["grounds"],
                    phase=data["phase"],
                    conversation=data["conversation"],
                    conversation_on=data["conversation_on"],
                    outcome=data["outcome"] or SignalOutcome.NO_CONVERSATION_YET,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict") and "company" in error.error_dict:
                    error.error_dict["kvk_number"] = error.error_dict.pop("company")
                apply_service_errors(form, error)
            else:
                messages.success(
                    request, _("Het signaal is vastgelegd. Alleen jouw school ziet het.")
                )
                return redirect("support:signal_detail", pk=signal.pk)
    return render(request, "support/signal_form.html", {"form": form}, status=status)


def _signal_page(
    request: HttpRequest, signal: Any, status: int = 200, **forms: Any
) -> HttpResponse:
    return render(
        request,
        "support/signal_detail.html",
        {
            "signal": signal,
            "grounds": signal_grounds(signal),
            "consent": getattr(signal, "consent", None),
            "conversation_form": forms.get("conversation_form")
            or ConversationForm(
                initial={
                    "conversation": signal.conversation,
                    "conversation_on": signal.conversation_on,
                    "outcome": signal.outcome,
                }
            ),
            "report_form": forms.get("report_form") or SignalReportForm(),
            "retention_days": settings.SCHOOL_SIGNAL_RETENTION_DAYS,
        },
        status=status,
    )


def signal_grounds(signal: Any) -> list[str]:
    from stagekans.meldpunt.models import Ground

    labels = dict(Ground.choices)
    return [str(labels.get(g, g)) for g in signal.grounds]


@login_required
@permission_required("support.log_school_signal", raise_exception=True)
def signal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    signal = get_object_or_404(selectors.signals_visible_to(request.user), pk=pk)
    if request.method != "POST":
        return _signal_page(request, signal)
    form = ConversationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.update_signal(
                acting_user=request.user,
                signal=signal,
                conversation=data["conversation"],
                conversation_on=data["conversation_on"],
                outcome=data["outcome"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Het gesprek en de uitkomst zijn bijgewerkt."))
            return redirect("support:signal_detail", pk=signal.pk)
    return _signal_page(request, signal, status=400, conversation_form=form)


@login_required
@permission_required("support.log_school_signal", raise_exception=True)
@require_POST
def signal_report(request: HttpRequest, pk: int) -> HttpResponse:
    signal = get_object_or_404(selectors.signals_visible_to(request.user), pk=pk)
    form = SignalReportForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_signal(
                acting_user=request.user,
                signal=signal,
                consent_given=data["consent_given"],
                given_by=data["given_by"],
                method=data["method"],
                given_on=data["given_on"],
                share_identity=data["share_identity"],
                share_identity_with_sbb=data["share_identity_with_sbb"],
                follow_up=data["follow_up"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Gemeld bij het meldpunt: melding %(ref)s. Je volgt hem bij 'Mijn meldingen'.")
                % {"ref": report.reference},
            )
            return redirect("support:signal_detail", pk=signal.pk)
    return _signal_page(request, signal, status=400, report_form=form)


@login_required
@permission_required("support.log_school_signal", raise_exception=True)
@require_POST
def signal_close(request: HttpRequest, pk: int) -> HttpResponse:
    signal = get_object_or_404(selectors.signals_visible_to(request.user), pk=pk)
    try:
        services.close_signal(acting_user=request.user, signal=signal)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Het signaal is afgesloten."))
    return redirect("support:signal_detail", pk=signal.pk)


@login_required
@permission_required("support.view_signal_counts", raise_exception=True)
def signal_counts(request: HttpRequest) -> HttpResponse:
    table = selectors.signal_count_table(request.user)
    names = dict(Company.objects.filter(pk__in=table.row_keys).values_list("pk", "name"))
    rows = [
        {"company_id": key, "name": names.get(key, ""), "cells": cells, "total": total}
        for key, cells, total in zip(table.row_keys, table.cells, table.row_totals, strict=True)
    ]
    rows.sort(key=lambda r: str(r["name"]))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "support/signal_counts.html",
        {
            "page_obj": page,
            "columns": [SignalOutcome(c).label for c in table.column_keys],
            "column_totals": table.column_totals,
            "grand_total": table.grand_total,
            "k": table.k,
        },
    )


# --- expert team --------------------------------------------------------------------------------


@login_required
@permission_required("support.request_support", raise_exception=True)
def request_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.requests_visible_to(request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "support/request_list.html", {"page_obj": page})


@login_required
@permission_required("support.request_support", raise_exception=True)
def request_create(request: HttpRequest) -> HttpResponse:
    if requester_of(request.user) is None:
        raise PermissionDenied
    form = SupportRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                created = services.submit_support_request(
                    acting_user=request.user,
                    topic=form.cleaned_data["topic"],
                    urgency=form.cleaned_data["urgency"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Je hulpvraag is verstuurd naar het deskundig team."))
                return redirect("support:request_detail", pk=created.pk)
    return render(request, "support/request_form.html", {"form": form}, status=status)


@login_required
@permission_required("support.handle_support_request", raise_exception=True)
def team_queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.team_queue(request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "support/team_queue.html",
        {"page_obj": page, "counts": selectors.queue_counts(request.user)},
    )


def _request_page(
    request: HttpRequest, found: Any, status: int = 200, entry_form: Any = None
) -> HttpResponse:
    user: Any = request.user
    is_team = user.has_perm("support.handle_support_request")
    return render(
        request,
        "support/request_detail.html",
        {
            "item": found,
            "entries": found.entries.select_related("author"),
            "history": found.history.select_related("actor"),
            "is_team": is_team,
            "is_assignee": is_team and found.assigned_to_id == user.pk,
            "entry_form": entry_form or EntryForm(),
            "statuses": SupportRequestStatus,
        },
        status=status,
    )


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    if not (
        user.has_perm("support.request_support") or user.has_perm("support.handle_support_request")
    ):
        raise PermissionDenied
    found = get_object_or_404(selectors.requests_visible_to(user), pk=pk)
    return _request_page(request, found)


@login_required
@permission_required("support.handle_support_request", raise_exception=True)
@require_POST
def request_action(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(selectors.requests_visible_to(request.user), pk=pk)
    action = request.POST.get("action", "")
    form = EntryForm(request.POST)
    try:
        if action == "take":
            services.take_request(acting_user=request.user, request=found)
            messages.success(request, _("Je hebt de hulpvraag opgepakt."))
        elif action in ("advice", "follow_up"):
            if not form.is_valid():
                return _request_page(request, found, status=400, entry_form=form)
            log = services.give_advice if action == "advice" else services.log_follow_up
            log(acting_user=request.user, request=found, body=form.cleaned_data["body"])
            messages.success(request, _("Vastgelegd; de aanvrager krijgt bericht."))
        elif action == "close":
            services.close_request(acting_user=request.user, request=found)
            messages.success(request, _("De hulpvraag is afgesloten."))
        else:
            raise Http404
    except ValidationError as error:
        apply_service_errors(form, error)
        return _request_page(request, found, status=400, entry_form=form)
    except RequestTransitionNotAllowed as error:
        messages.error(request, str(error))
    return redirect("support:request_detail", pk=found.pk)


@login_required
@permission_required("support.view_support_overview", raise_exception=True)
def overview(request: HttpRequest) -> HttpResponse:
    from stagekans.support.models import SupportTopic, Urgency

    data = selectors.support_overview(request.user)
    table = data["table"]
    rows = [
        {"label": SupportTopic(key).label, "cells": cells, "total": total}
        for key, cells, total in zip(table.row_keys, table.cells, table.row_totals, strict=True)
    ]
    medians = [
        {"label": SupportTopic(m.key).label, "hidden": m.hidden, "hours": m.median_hours}
        for m in data["medians"]
    ]
    return render(
        request,
        "support/overview.html",
        {
            "rows": rows,
            "columns": [Urgency(c).label for c in table.column_keys],
            "column_totals": table.column_totals,
            "grand_total": table.grand_total,
            "medians": medians,
            "k": data["k"],
        },
    )


# --- referral directory -------------------------------------------------------------------------


def directory(request: HttpRequest) -> HttpResponse:
    """The public directory: where to go for support (anyone may look)."""
    kind = request.GET.get("soort", "")
    province = request.GET.get("provincie", "")
    province = province if province in Province.values else ""
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.organisations_for(kind=kind, province=province, q=q), 25).get_page(
        request.GET.get("page")
    )
    query = "&".join(
        f"{name}={value}"
        for name, value in (("soort", kind), ("provincie", province), ("q", q))
        if value
    )
    return render(
        request,
        "support/directory.html",
        {
            "page_obj": page,
            "kinds": OrganisationKind.choices,
            "provinces": Province.choices,
            "kind": kind,
            "province": province,
            "q": q,
            "query_string": query,
        },
    )


@login_required
@permission_required("support.import_support_organisations", raise_exception=True)
def directory_import(request: HttpRequest) -> HttpResponse:
    form = DirectoryImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "columns": COLUMNS, "kinds": OrganisationKind.choices}
    status = 200
    if request.method == "POST":
        status = 400
        upload = request.FILES.get("file")
        if upload is None:
            form.add_error("file", _("CSV-bestand: kies een bestand."))
        else:
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                form.add_error("file", _("CSV-bestand: het bestand is geen UTF-8-tekst."))
            else:
                report = import_directory(
                    acting_user=request.user, text=text, source=upload.name or "csv"
                )
                context["report"] = report
                if report.ok:
                    status = 200
                    messages.success(request, report.summary())
    return render(request, "support/directory_import.html", context, status=status)


@login_required
@permission_required("meldpunt.triage_report", raise_exception=True)
def refer(request: HttpRequest, reference: str) -> HttpResponse:
    report = get_object_or_404(
        meldpunt_selectors.reports_for_meldpunt(request.user), reference=reference
    )
    organisations = selectors.organisations_for(province=report.province or "")
    suggestions = selectors.referral_suggestions(report)
    form = ReferralForm(request.POST or None, organisations=organisations)
    field = form.fields["organisation"]
    assert isinstance(field, OrganisationChoiceField)
    field.choices = [(o.pk, field.label_from_instance(o)) for o in suggestions]
    may_refer = report.status in (ReportStatus.RECEIVED, ReportStatus.IN_TRIAGE)
    if request.method != "POST":
        meldpunt_services.record_report_view(
            acting_user=request.user, report=report, what="referral"
        )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.refer_report(
                    acting_user=request.user,
                    report=report,
                    organisation=form.cleaned_data["organisation"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            except TransitionNotAllowed as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("De melding is doorverwezen; de melder ziet waar hij of zij terecht kan."),
                )
                return redirect("meldpunt:report_detail", reference=report.reference)
    return render(
        request,
        "support/refer.html",
        {"report": report, "form": form, "may_refer": may_refer},
        status=status,
    )
