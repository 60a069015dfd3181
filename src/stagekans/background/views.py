"""The student's own page to state or withdraw her voluntary background. Views convert requests;
the rules live in background.services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from stagekans.background import selectors, services
from stagekans.background.forms import StatementForm
from stagekans.background.models import VALUES, Attribute


def _student(request: HttpRequest) -> Any:
    student = getattr(request.user, "student", None)
    if student is None:
        raise Http404
    return student


@login_required
@permission_required("background.state_own_background", raise_exception=True)
def my_background(request: HttpRequest) -> HttpResponse:
    student = _student(request)
    forms = {a: StatementForm(attribute=a) for a in Attribute}
    if request.method == "POST":
        action = request.POST.get("action", "")
        attribute_value = request.POST.get("attribute", "")
        if action == "withdraw_all":
            services.withdraw_background(acting_user=request.user, student=student)
            messages.success(request, _("Je gegevens zijn gewist. Je toestemming is ingetrokken."))
            return redirect("background:mine")
        if attribute_value not in Attribute.values:
            raise Http404
        attribute = Attribute(attribute_value)
        if action == "withdraw":
            services.withdraw_background(
                acting_user=request.user, student=student, attribute=attribute
            )
            messages.success(request, _("Dit gegeven is gewist. Je toestemming is ingetrokken."))
            return redirect("background:mine")
        form = StatementForm(request.POST, attribute=attribute)
        forms[attribute] = form
        if form.is_valid():
            try:
                services.state_background(
                    acting_user=request.user,
                    student=student,
                    attribute=attribute,
                    value=form.cleaned_data["value"],
                    consent=form.cleaned_data["consent"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Opgeslagen. Dank je wel."))
                return redirect("background:mine")
    own = selectors.own_statements(student)
    sections = [
        {
            "attribute": a,
            "form": forms[a],
            "statement": own.get(a),
            "value_label": dict(VALUES[a].choices).get(own[a].value) if a in own else None,
        }
        for a in Attribute
    ]
    return render(request, "background/mine.html", {"sections": sections, "any": bool(own)})
