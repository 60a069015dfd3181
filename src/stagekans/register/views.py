from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagekans.core.forms import apply_service_errors
from stagekans.register import selectors, services
from stagekans.register.forms import DecisionForm, RecognitionRequestForm
from stagekans.register.workflow import RecognitionStatus, TransitionNotAllowed


@login_required
@permission_required("register.view_recognition", raise_exception=True)
def recognition_list(request: HttpRequest) -> HttpResponse:
    recognitions = selectors.recognitions_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in RecognitionStatus.values:
        recognitions = recognitions.filter(status=status)
    page = Paginator(recognitions, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "register/recognition_list.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": RecognitionStatus.choices,
            "query_string": f"status={status}" if status else "",
        },
    )


@login_required
@permission_required("register.view_recognition", raise_exception=True)
def recognition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recognition = get_object_or_404(selectors.recognitions_visible_to(request.user), pk=pk)
    return render(
        request,
        "register/recognition_detail.html",
        {
            "recognition": recognition,
            "history": selectors.history(recognition),
            "form": DecisionForm(),
        },
    )


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
    recognition = get_object_or_404(selectors.recognitions_visible_to(request.user), pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.grant_recognition(
                acting_user=request.user,
                recognition=recognition,
                reason=form.cleaned_data["reason"],
            )
        except TransitionNotAllowed as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("De erkenning is verleend voor vier jaar."))
        return redirect("register:recognition_detail", pk=recognition.pk)
    return render(
        request,
        "register/recognition_detail.html",
        {
            "recognition": recognition,
            "history": selectors.history(recognition),
            "form": form,
        },
        status=400,
    )
