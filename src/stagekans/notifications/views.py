"""The mail outbox in the app: what Stagekans sent or will send (development and support)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from stagekans.notifications import selectors, services

STATES = ("", "sent", "waiting", "failing")


@login_required
@permission_required("notifications.view_outboxmessage", raise_exception=True)
def outbox_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("status", "")
    state = state if state in STATES else ""
    query = request.GET.get("q", "").strip()[:100]
    messages = selectors.outbox_for(request.user, state=state, query=query).only(
        "to", "subject", "created_at", "sent_at", "attempts"
    )
    page = Paginator(messages, 25).get_page(request.GET.get("page"))
    params = {k: v for k, v in (("status", state), ("q", query)) if v}
    return render(
        request,
        "notifications/outbox_list.html",
        {"page_obj": page, "state": state, "q": query, "query_string": urlencode(params)},
    )


@login_required
@permission_required("notifications.view_outboxmessage", raise_exception=True)
def outbox_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(selectors.outbox_for(request.user), pk=pk)
    services.record_outbox_view(acting_user=request.user, message=message)
    return render(request, "notifications/outbox_detail.html", {"message": message})
