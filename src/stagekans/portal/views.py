"""The home page per role, the about page and the error pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from stagekans.accounts.roles import ROLES
from stagekans.accounts.selectors import role_of
from stagekans.companies.selectors import own_company
from stagekans.portal import selectors


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    context: dict[str, Any] = {}
    if user.is_authenticated:
        role = role_of(user)
        context["role"] = ROLES[role] if role else None
        context["school"] = getattr(getattr(user, "school_staff", None), "school", None)
        context["company"] = own_company(user)
        context["student"] = getattr(user, "student", None)
        context["pending_recognitions"] = selectors.pending_recognition_count(user)
        if user.has_perm("accounts.view_aggregates"):
            context["figures"] = selectors.national_figures()
    return render(request, "portal/home.html", context)


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/about.html")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/privacy.html",
        {
            "retention_months": settings.MELDPUNT_RETENTION_MONTHS,
            "signal_retention_days": settings.SCHOOL_SIGNAL_RETENTION_DAYS,
        },
    )


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/accessibility.html")


# In-app help: one template per topic under templates/help/. Users never need the repository.
HELP_TOPICS = {"register-importeren": "help/register_import.html"}


@require_GET
def help_page(request: HttpRequest, topic: str) -> HttpResponse:
    template = HELP_TOPICS.get(topic)
    if template is None:
        raise Http404
    return render(request, "portal/help.html", {"help_template": template})


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # Rendered without the request context: the failure may lie in a context processor.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
