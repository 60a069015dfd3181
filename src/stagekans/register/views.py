from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from stagekans.core.forms import apply_service_errors
from stagekans.core.keyset import keyset_page
from stagekans.jobs import selectors as jobs_selectors
from stagekans.jobs.models import BackgroundJob, JobState
from stagekans.register import import_jobs, selectors, services
from stagekans.register.forms import (
    ConditionsForm,
    ImportForm,
    RecognitionRequestForm,
    RevocationRejectForm,
    RevocationRequestForm,
)
from stagekans.register.hooks import assessment_panels, revocation_asks, revocation_effects
from stagekans.register.importer import IMPORT_JOB
from stagekans.register.models import RevocationRequest, RevocationState
from stagekans.register.workflow import (
    RECOGNITION_CONDITIONS,
    RecognitionStatus,
    TransitionNotAllowed,
)


@login_required
@permission_required("register.view_recognition", raise_exception=True)
def recognition_list(request: HttpRequest) -> HttpResponse:
    recognitions = selectors.recognitions_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in RecognitionStatus.values:
        recognitions = recognitions.filter(status=status)
    # Keyset pagination over an index on (company name, id): a deep page costs what page 1 does.
    page = keyset_page(
        recognitions,
        ordering=selectors.RECOGNITION_LIST_ORDER,
        params=request.GET,
        extra={"status": status},
    )
    return render(
        request,
        "register/recognition_list.html",
        {"page_obj": page, "status": status, "statuses": RecognitionStatus.choices},
    )


def _detail(
    request: HttpRequest, recognition: Any, status: int = 200, **forms: Any
) -> HttpResponse:
    user: Any = request.user
    context = {
        "recognition": recognition,
        "history": selectors.history(recognition),
        "conditions": selectors.conditions_of(recognition),
        "condition_labels": RECOGNITION_CONDITIONS,
        "revocations": selectors.revocations_of(recognition),
        "pending": recognition.revocation_requests.filter(state=RevocationState.PENDING).first(),
        "form": forms.get("form") or ConditionsForm(),
        "revoke_form": forms.get("revoke_form") or RevocationRequestForm(),
        "reject_form": forms.get("reject_form") or RevocationRejectForm(),
        "user_id": user.pk,
        "assessment_panels": assessment_panels(recognition=recognition, user=user),
    }
    return render(request, "register/recognition_detail.html", context, status=status)


@login_required
@permission_required("register.view_recognition", raise_exception=True)
def recognition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recognition = get_object_or_404(selectors.recognitions_visible_to(request.user), pk=pk)
    return _detail(request, recognition)


@login_required
@permission_required("register.manage_recognitions", raise_exception=True)
def recognition_request(request: HttpRequest) -> HttpResponse:
    form = RecognitionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recognition = services.request_recognition(
                acting_user=request.user,
                company=form.cleaned_data["kvk_number"],
                qualification=form.cleaned_data["crebo"],
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, TransitionNotAllowed) as error:
            apply_service_errors(
                form, error if isinstance(error, ValidationError) else ValidationError(str(error))
            )
        else:
            messages.success(request, _("De aanvraag is geregistreerd."))
            return redirect("register:recognition_detail", pk=recognition.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "register/recognition_form.html", {"form": form}, status=status)


@login_required
@permission_required("register.manage_recognitions", raise_exception=True)
@require_POST
def recognition_grant(request: HttpRequest, pk: int) -> HttpResponse:
    """Grant a requested recognition, or reassess a recognised one, with the five conditions."""
    recognition = get_object_or_404(selectors.recognitions_visible_to(request.user), pk=pk)
    form = ConditionsForm(request.POST)
    if form.is_valid():
        try:
            services.grant_recognition(
                acting_user=request.user,
                recognition=recognition,
                reason=form.cleaned_data["reason"],
                conditions=form.conditions(),
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        except TransitionNotAllowed as error:
            messages.error(request, str(error))
            return redirect("register:recognition_detail", pk=recognition.pk)
        else:
            messages.success(request, _("De erkenning is verleend voor vier jaar."))
            return redirect("register:recognition_detail", pk=recognition.pk)
    return _detail(request, recognition, status=400, form=form)


@login_required
@permission_required("register.propose_revocation", raise_exception=True)
@require_POST
def revocation_request(request: HttpRequest, pk: int) -> HttpResponse:
    recognition = get_object_or_404(selectors.recognitions_visible_to(request.user), pk=pk)
    form = RevocationRequestForm(request.POST)
    if form.is_valid():
        try:
            services.request_revocation(
                acting_user=request.user,
                recognition=recognition,
                reason=form.cleaned_data["reason"],
                decision_reference=form.cleaned_data["decision_reference"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Het voorstel tot intrekking is vastgelegd. Een tweede adviseur moet het "
                    "goedkeuren voordat het ingaat."
                ),
            )
            return redirect("register:recognition_detail", pk=recognition.pk)
    return _detail(request, recognition, status=400, revoke_form=form)


def _pending_or_404(request: HttpRequest, pk: int) -> RevocationRequest:
    visible = selectors.recognitions_visible_to(request.user)
    return get_object_or_404(
        RevocationRequest.objects.filter(recognition__in=visible, state=RevocationState.PENDING),
        pk=pk,
    )


@login_required
@permission_required("register.approve_revocation", raise_exception=True)
def revocation_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Before the second adviser approves: what the revocation will do, then one button."""
    revocation = _pending_or_404(request, pk)
    recognition = revocation.recognition
    return render(
        request,
        "register/revocation_confirm.html",
        {
            "revocation": revocation,
            "recognition": recognition,
            "effects": revocation_effects(recognition=recognition, revocation=revocation),
            "mail_recipients": len(selectors.revocation_mail_recipients(recognition)),
            "own_proposal": revocation.requested_by_id == request.user.pk,
        },
    )


@login_required
@permission_required("register.approve_revocation", raise_exception=True)
@require_POST
def revocation_approve(request: HttpRequest, pk: int) -> HttpResponse:
    revocation = _pending_or_404(request, pk)
    if request.POST.get("bevestigd") != "1":
        # Never one click: approval only from the confirmation page that shows the effects.
        return redirect("register:revocation_confirm", pk=revocation.pk)
    recipients = len(selectors.revocation_mail_recipients(revocation.recognition))
    try:
        services.approve_revocation(acting_user=request.user, revocation=revocation)
    except (PermissionDenied, ValidationError, TransitionNotAllowed) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
    else:
        messages.success(
            request,
            _("De erkenning is ingetrokken; de gevolgen hieronder zijn doorgevoerd."),
        )
        if recipients:
            messages.success(
                request,
                ngettext(
                    "E-mail met de redenen verzonden naar het leerbedrijf (%(n)d adres).",
                    "E-mail met de redenen verzonden naar het leerbedrijf (%(n)d adressen).",
                    recipients,
                )
                % {"n": recipients},
            )
        else:
            messages.warning(
                request,
                _(
                    "Let op: het leerbedrijf heeft geen e-mailadres in Stagekans, dus er is geen "
                    "e-mail verzonden. Stuur het besluit per post of neem telefonisch contact op."
                ),
            )
    return redirect("register:recognition_detail", pk=revocation.recognition_id)


@login_required
@permission_required("register.approve_revocation", raise_exception=True)
@require_POST
def revocation_reject(request: HttpRequest, pk: int) -> HttpResponse:
    revocation = _pending_or_404(request, pk)
    form = RevocationRejectForm(request.POST)
    if form.is_valid():
        try:
            services.reject_revocation(
                acting_user=request.user,
                revocation=revocation,
                reason=form.cleaned_data["reject_reason"],
            )
        except (PermissionDenied, ValidationError) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            messages.error(request, text)
        else:
            messages.success(request, _("Het voorstel tot intrekking is afgewezen."))
        return redirect("register:recognition_detail", pk=revocation.recognition_id)
    return _detail(request, revocation.recognition, status=400, reject_form=form)


@login_required
@permission_required("register.manage_recognitions", raise_exception=True)
def reassessment_list(request: HttpRequest) -> HttpResponse:
    """SBB task list: recognitions whose four-year period ends soon (or has ended)."""
    try:
        days = max(0, min(int(request.GET.get("dagen", 180)), 3650))
    except ValueError:
        days = 180
        messages.error(request, _("Het aantal dagen moet een geheel getal zijn; we tonen 180."))
    page = Paginator(selectors.due_for_reassessment(days), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "register/reassessment_list.html",
        {"page_obj": page, "days": days, "query_string": f"dagen={days}"},
    )


@login_required
@permission_required("register.approve_revocation", raise_exception=True)
def revocation_list(request: HttpRequest) -> HttpResponse:
    """Decisions asking for a revocation (a first adviser proposes) and proposals waiting for a
    second adviser."""
    page = Paginator(selectors.pending_revocations(), 25).get_page(request.GET.get("page"))
    asks = revocation_asks(user=request.user)
    return render(
        request,
        "register/revocation_list.html",
        {"page_obj": page, "asks": asks, "query_string": ""},
    )


@login_required
@permission_required("register.manage_recognitions", raise_exception=True)
def register_import(request: HttpRequest) -> HttpResponse:
    """Upload a register CSV. The file is queued; a worker checks every row and writes it in
    chunks while this page shows the progress (register.import_jobs)."""
    form = ImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            source = str(getattr(request.FILES.get("file"), "name", "") or "upload.csv")
            queued = import_jobs.queue_import(
                acting_user=request.user, text=form.cleaned_data["file"], source=source
            )
            messages.success(
                request,
                _(
                    "Het bestand is ontvangen. Elke regel wordt nu gecontroleerd en daarna "
                    "geïmporteerd; de voortgang staat hieronder."
                ),
            )
            response = redirect(f"{reverse('register:register_import')}?taak={queued.pk}")
            response.status_code = 303
            return response
        status = 400
    upload: BackgroundJob | None = None
    wanted = request.GET.get("taak", "")
    if wanted.isdigit():
        upload = BackgroundJob.objects.filter(pk=int(wanted), kind=import_jobs.UPLOAD_JOB).first()
    upload = upload or jobs_selectors.latest(import_jobs.UPLOAD_JOB)
    import_job: BackgroundJob | None = None
    if upload is not None and upload.result.get("import_job"):
        import_job = BackgroundJob.objects.filter(pk=upload.result["import_job"]).first()
    elif upload is not None and upload.state == JobState.RUNNING:
        import_job = jobs_selectors.latest(IMPORT_JOB, upload.subject)
        if import_job is not None and import_job.started_at < upload.started_at:
            import_job = None
    context = {"form": form, "upload": upload, "job": import_job}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "register/_import_status.html", context)
    return render(request, "register/import.html", context, status=status)
