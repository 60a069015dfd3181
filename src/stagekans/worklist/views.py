from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagekans.worklist import selectors, services


@login_required
@permission_required("worklist.view_schooltask", raise_exception=True)
def task_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.open_tasks_for(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "worklist/task_list.html", {"page_obj": page, "query_string": ""})


@login_required
@permission_required("worklist.change_schooltask", raise_exception=True)
@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(selectors.tasks_visible_to(request.user), pk=pk)
    try:
        services.complete_school_task(acting_user=request.user, task=task)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De taak is afgerond."))
    return redirect("worklist:task_list")
