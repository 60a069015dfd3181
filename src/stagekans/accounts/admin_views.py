"""Beheer pages in the app (not /beheer/): role requests with four-eyes, login lockouts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagekans.accounts import selectors, services
from stagekans.accounts.forms import RoleChangeForm, RoleDecisionForm
from stagekans.accounts.models import RoleGrant, RoleGrantStatus, User
from stagekans.accounts.roles import ROLES, Role
from stagekans.core.forms import apply_service_errors


@login_required
@permission_required("accounts.request_role_grant", raise_exception=True)
def role_grants(request: HttpRequest) -> HttpResponse:
    acting: User = request.user  # type: ignore[assignment]
    form = RoleChangeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                grant = services.change_role(
                    acting_user=acting,
                    user=form.cleaned_data["user"],
                    role=Role(form.cleaned_data["role"]),
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                if grant is None:
                    messages.success(request, _("De rol is gewijzigd."))
                else:
                    messages.success(
                        request,
                        _("De aanvraag is vastgelegd. Een tweede beheerder moet haar goedkeuren."),
                    )
                return redirect("accounts:role_grants")
    decided = Paginator(selectors.decided_role_grants(), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/role_grants.html",
        {
            "form": form,
            "pending": [
                (g, ROLES[Role(g.role)].group_name) for g in selectors.pending_role_grants()
            ],
            "decided": decided,
            "decided_rows": [(g, ROLES[Role(g.role)].group_name) for g in decided],
            "decision_form": RoleDecisionForm(),
        },
        status=status,
    )


@login_required
@permission_required("accounts.decide_role_grant", raise_exception=True)
@require_POST
def decide_role_grant(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(RoleGrant, pk=pk, status=RoleGrantStatus.PENDING)
    form = RoleDecisionForm(request.POST)
    approve = request.POST.get("decision") == "approve"
    if form.is_valid():
        try:
            services.decide_role_grant(
                acting_user=request.user,  # type: ignore[arg-type]
                grant=grant,
                approve=approve,
                note=form.cleaned_data["note"],
            )
        except (ValidationError, PermissionDenied) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            messages.error(request, text)
        else:
            messages.success(
                request,
                _("De rol is toegekend.") if approve else _("De aanvraag is afgewezen."),
            )
    return redirect("accounts:role_grants")


@login_required
@permission_required("accounts.unlock_login", raise_exception=True)
def lockouts(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        username = request.POST.get("username") or None
        ip = request.POST.get("ip") or None
        try:
            services.unlock_login(
                acting_user=request.user,  # type: ignore[arg-type]
                username=username,
                ip=ip,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("De blokkade is opgeheven."))
        return redirect("accounts:lockouts")
    return render(
        request,
        "accounts/lockouts.html",
        {
            "usernames": selectors.locked_out_usernames(),
            "addresses": selectors.locked_out_addresses(),
        },
    )
