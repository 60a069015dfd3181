from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagekans.core.forms import apply_service_errors
from stagekans.equalchances import selectors, services
from stagekans.equalchances.forms import (
    AttendanceForm,
    PolicyForm,
    QuestionForm,
    RegisterAttendanceForm,
    SelfScanForm,
    VersionIntroForm,
    WebinarForm,
)
from stagekans.equalchances.models import ScanQuestion, ScanVersion
from stagekans.equalchances.workflow import TransitionNotAllowed


def _own_company_or_403(request: HttpRequest) -> Any:
    company = selectors.own_company(request.user)
    if company is None:
        raise PermissionDenied
    return company


def _posted(request: HttpRequest) -> Any:
    """The POST data, also when empty (an empty submission must show errors, not a new form)."""
    return request.POST if request.method == "POST" else None


def _grouping(request: HttpRequest) -> str:
    per = request.GET.get("per", "sector")
    if per not in ("sector", "provincie"):
        messages.error(request, _("Kies 'sector' of 'provincie'."))
        per = "sector"
    return per


# --- self-scan: company --------------------------------------------------------------------


@login_required
@permission_required("equalchances.take_selfscan", raise_exception=True)
def scan_home(request: HttpRequest) -> HttpResponse:
    company = _own_company_or_403(request)
    results = selectors.results_visible_to(request.user)
    latest = results.filter(is_latest=True).first()
    return render(
        request,
        "equalchances/scan_home.html",
        {
            "company": company,
            "version": selectors.current_version(),
            "progress": selectors.progress_of(company),
            "latest": latest,
            "latest_steps": selectors.result_report(latest) if latest else [],
            "refusals": selectors.refusal_figures(company),
        },
    )


@login_required
@permission_required("equalchances.take_selfscan", raise_exception=True)
def scan_fill(request: HttpRequest) -> HttpResponse:
    company = _own_company_or_403(request)
    version = selectors.current_version()
    if version is None:
        messages.error(request, _("Er is nog geen zelfscan gepubliceerd."))
        return redirect("equalchances:scan_home")
    questions = selectors.questions_of(version)
    form = SelfScanForm(_posted(request), questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.submit_scan(
                acting_user=request.user, company=company, version=version, answers=form.answers()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Uw zelfscan is opgeslagen. Hieronder ziet u uw advies."))
            return redirect("equalchances:scan_result", pk=result.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "equalchances/scan_fill.html",
        {"form": form, "version": version, "company": company},
        status=status,
    )


@login_required
@permission_required("equalchances.take_selfscan", raise_exception=True)
def scan_result(request: HttpRequest, pk: int) -> HttpResponse:
    result = get_object_or_404(selectors.results_visible_to(request.user), pk=pk)
    return render(
        request,
        "equalchances/scan_result.html",
        {
            "result": result,
            "steps": selectors.result_report(result),
            "refusals": selectors.refusal_figures(result.company),
            "current": selectors.current_version(),
        },
    )


# --- self-scan: SBB ------------------------------------------------------------------------


@login_required
@permission_required("equalchances.view_selfscan_aggregates", raise_exception=True)
def scan_aggregates(request: HttpRequest) -> HttpResponse:
    per = _grouping(request)
    aggregates = selectors.scan_aggregates("sector" if per == "sector" else "province")
    if request.GET.get("formaat") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="zelfscan-per-{per}.csv"'
        writer = csv.writer(response, delimiter=";")
        writer.writerow(
            [
                per,
                "leerbedrijven",
                *[f"op_orde_{key}" for key, _l in aggregates.steps],
                "op_orde_totaal",
            ]
        )

        def out(value: Any) -> Any:
            return "afgeschermd" if value is None else value

        for row in aggregates.rows:
            writer.writerow(
                [
                    row.label,
                    out(row.companies),
                    *[out(c.count) for c in row.steps],
                    out(row.total.count),
                ]
            )
        writer.writerow(
            [
                "Nederland",
                out(aggregates.national_companies),
                *[out(aggregates.national_in_order[key]) for key, _l in aggregates.steps],
                out(aggregates.national_in_order[selectors.TOTAL]),
            ]
        )
        return response
    context = {
        "aggregates": aggregates,
        "per": per,
        "chart_rows": [{"label": r.label, "value": r.total.percentage} for r in aggregates.rows],
        "national": [
            aggregates.national_percentage(key)
            for key in [*[k for k, _l in aggregates.steps], selectors.TOTAL]
        ],
    }
    return render(request, "equalchances/scan_aggregates.html", context)


@login_required
@permission_required("equalchances.manage_scan_versions", raise_exception=True)
def version_list(request: HttpRequest) -> HttpResponse:
    versions = ScanVersion.objects.order_by("-number")
    return render(request, "equalchances/version_list.html", {"versions": versions})


@login_required
@permission_required("equalchances.manage_scan_versions", raise_exception=True)
@require_POST
def version_create(request: HttpRequest) -> HttpResponse:
    try:
        draft = services.create_draft(acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("equalchances:version_list")
    messages.success(request, _("Concept aangemaakt als kopie van de nieuwste versie."))
    return redirect("equalchances:version_detail", pk=draft.pk)


@login_required
@permission_required("equalchances.manage_scan_versions", raise_exception=True)
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(ScanVersion, pk=pk)
    form = VersionIntroForm(
        _posted(request), initial={"title": version.title, "intro": version.intro}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_draft_intro(
                acting_user=request.user, version=version, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("De inleiding is bijgewerkt."))
            return redirect("equalchances:version_detail", pk=version.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "equalchances/version_detail.html",
        {"version": version, "questions": selectors.questions_of(version), "form": form},
        status=status,
    )


@login_required
@permission_required("equalchances.manage_scan_versions", raise_exception=True)
@require_POST
def version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(ScanVersion, pk=pk)
    try:
        services.publish_draft(acting_user=request.user, version=version)
    except (ValidationError, TransitionNotAllowed) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
    else:
        messages.success(
            request,
            _("Versie %(n)s is gepubliceerd. Leerbedrijven vullen vanaf nu deze versie in.")
            % {"n": version.number},
        )
    return redirect("equalchances:version_detail", pk=version.pk)


@login_required
@permission_required("equalchances.manage_scan_versions", raise_exception=True)
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(ScanQuestion.objects.select_related("version"), pk=pk)
    options = list(question.options.order_by("position"))
    initial: dict[str, Any] = {
        "step": question.step,
        "text": question.text,
        "help_text": question.help_text,
    }
    for i, option in enumerate(options, start=1):
        initial |= {
            f"label_{i}": option.label,
            f"points_{i}": option.points,
            f"advice_{i}": option.advice,
        }
    form = QuestionForm(_posted(request), initial=initial, option_count=len(options))
    if request.method == "POST":
        if not question.version.is_editable:
            messages.error(request, _("Een gepubliceerde versie kan niet meer worden gewijzigd."))
            return redirect("equalchances:version_detail", pk=question.version_id)
        if form.is_valid():
            try:
                services.update_question(
                    acting_user=request.user,
                    question=question,
                    step=form.cleaned_data["step"],
                    text=form.cleaned_data["text"],
                    help_text=form.cleaned_data["help_text"],
                    options=form.options(),
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("De vraag is bijgewerkt."))
                return redirect("equalchances:version_detail", pk=question.version_id)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "equalchances/question_edit.html",
        {"question": question, "form": form, "editable": question.version.is_editable},
        status=status,
    )


# --- recruitment policy --------------------------------------------------------------------


@login_required
@permission_required("equalchances.record_recruitment_policy", raise_exception=True)
def policy(request: HttpRequest) -> HttpResponse:
    company = _own_company_or_403(request)
    status = selectors.policy_status(company)
    current = status.policy
    initial: dict[str, Any] = {}
    if current is not None:
        initial = {
            name: getattr(current, name)
            for name in (
                "covers_interns",
                "criteria_in_advance",
                "anonymised_selection",
                "structured_interviews",
                "multiple_assessors",
                "written_refusal_reasons",
                "complaint_route",
                "responsible",
                "notes",
            )
        }
    form = PolicyForm(
        _posted(request),
        request.FILES if request.method == "POST" else None,
        initial=initial,
        has_document=bool(current and current.document),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_policy(
                acting_user=request.user,
                company=company,
                answers=form.answers(),
                document=form.cleaned_data.get("document"),
                keep_document=not form.cleaned_data.get("remove_document", False),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Uw wervingsbeleid is vastgelegd."))
            return redirect("equalchances:policy")
    history = selectors.policies_visible_to(request.user).filter(company=company)[:10]
    return render(
        request,
        "equalchances/policy.html",
        {"form": form, "status": status, "policy": current, "history": history},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def policy_document(request: HttpRequest, pk: int) -> FileResponse:
    policy = get_object_or_404(selectors.policies_visible_to(request.user), pk=pk)
    try:
        handle = services.open_policy_document(acting_user=request.user, policy=policy)
    except ValidationError:
        raise PermissionDenied from None
    response = FileResponse(
        handle,
        content_type="application/pdf",
        as_attachment=True,
        filename=policy.document_name or "wervingsbeleid.pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- training record -----------------------------------------------------------------------


@login_required
def training(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not (
        user.has_perm("equalchances.record_own_training")
        or user.has_perm("equalchances.register_training")
    ):
        raise PermissionDenied
    trainer = getattr(user, "trainer", None)
    form = AttendanceForm(_posted(request)) if trainer is not None else None
    if request.method == "POST":
        if form is None or trainer is None or not user.has_perm("equalchances.record_own_training"):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.record_attendance(acting_user=user, trainer=trainer, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Het webinar is vastgelegd."))
                return redirect("equalchances:training")
    records = selectors.attendances_visible_to(user)
    page = Paginator(records, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "equalchances/training.html",
        {
            "form": form,
            "page_obj": page,
            "webinars": selectors.active_webinars(),
            "own_trainer_id": trainer.pk if trainer else None,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@permission_required("equalchances.register_training", raise_exception=True)
def training_register(request: HttpRequest) -> HttpResponse:
    form = RegisterAttendanceForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        trainer = form.cleaned_data["email"]
        try:
            services.record_attendance(
                acting_user=request.user,
                trainer=trainer,
                webinar=form.cleaned_data["webinar"],
                attended_on=form.cleaned_data["attended_on"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Vastgelegd: %(n)s volgde “%(w)s”.")
                % {
                    "n": trainer.user.get_full_name() or trainer.user.username,
                    "w": form.cleaned_data["webinar"].title,
                },
            )
            return redirect("equalchances:training_register")
    return render(
        request,
        "equalchances/training_register.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def training_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attendance = get_object_or_404(selectors.attendances_visible_to(request.user), pk=pk)
    services.remove_attendance(acting_user=request.user, attendance=attendance)
    messages.success(request, _("Het webinar is verwijderd uit de lijst."))
    return redirect("equalchances:training")


@login_required
@permission_required("equalchances.view_training_coverage", raise_exception=True)
def training_coverage(request: HttpRequest) -> HttpResponse:
    per = _grouping(request)
    coverage = selectors.training_coverage("sector" if per == "sector" else "province")
    if request.GET.get("formaat") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="webinars-bereik-per-{per}.csv"'
        writer = csv.writer(response, delimiter=";")
        writer.writerow(["webinar", per, "erkende_leerbedrijven", "gevolgd", "percentage"])

        def out(value: Any) -> Any:
            return "afgeschermd" if value is None else value

        for index, webinar in enumerate(coverage.webinars):
            for row in coverage.rows:
                cell = row.webinars[index]
                writer.writerow(
                    [
                        webinar.title,
                        row.label,
                        out(row.recognised),
                        out(cell.count),
                        out(cell.percentage),
                    ]
                )
            writer.writerow(
                [
                    webinar.title,
                    "Nederland",
                    out(coverage.national_recognised),
                    out(coverage.national_followed[index]),
                    out(coverage.national_percentage(index)),
                ]
            )
        return response
    tables = [
        {
            "webinar": webinar,
            "rows": [
                {
                    "label": row.label,
                    "recognised": row.recognised,
                    "cell": row.webinars[index],
                    "percentage": row.webinars[index].percentage,
                }
                for row in coverage.rows
            ],
            "national_followed": coverage.national_followed[index],
            "national_percentage": coverage.national_percentage(index),
        }
        for index, webinar in enumerate(coverage.webinars)
    ]
    return render(
        request,
        "equalchances/training_coverage.html",
        {"coverage": coverage, "tables": tables, "per": per},
    )


# --- webinars (maintained by SBB) --------------------------------------------------------


@login_required
@permission_required("equalchances.manage_webinars", raise_exception=True)
def webinar_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.all_webinars(), 25).get_page(request.GET.get("page"))
    return render(request, "equalchances/webinar_list.html", {"page_obj": page})


@login_required
@permission_required("equalchances.manage_webinars", raise_exception=True)
def webinar_create(request: HttpRequest) -> HttpResponse:
    return _webinar_page(request, None)


@login_required
@permission_required("equalchances.manage_webinars", raise_exception=True)
def webinar_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _webinar_page(request, get_object_or_404(selectors.all_webinars(), pk=pk))


def _webinar_page(request: HttpRequest, webinar: Any) -> HttpResponse:
    """The form for a new webinar (None) or a change to one; the service checks and audits."""
    initial: dict[str, Any] = {"active": True}
    if webinar is not None:
        initial = {
            "title": webinar.title,
            "description": webinar.description,
            "source_url": webinar.source_url,
            "active": webinar.active,
        }
    form = WebinarForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if webinar is None:
                services.create_webinar(acting_user=request.user, **form.cleaned_data)
            else:
                services.update_webinar(
                    acting_user=request.user, webinar=webinar, **form.cleaned_data
                )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            done = (
                _("Het webinar is toegevoegd.")
                if webinar is None
                else _("Het webinar is bijgewerkt.")
            )
            messages.success(request, done)
            return redirect("equalchances:webinar_list")
    return render(
        request,
        "equalchances/webinar_edit.html",
        {"form": form, "webinar": webinar},
        status=400 if request.method == "POST" else 200,
    )
