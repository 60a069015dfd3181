"""Pages of the investigation: SBB's work queue and case page, and the parties' portal.

Views hold no rules: they call cases.services and show cases.selectors. Every GET of a case
page (or a file of it) writes a CASE_VIEWED audit row.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagekans.cases import selectors, services
from stagekans.cases.forms import (
    AssignForm,
    CompanyObjectionForm,
    DecisionForm,
    ExtendForm,
    HearingForm,
    MessageForm,
    ObjectionForm,
    OpenCaseForm,
    ReasonForm,
    ReopenForm,
    ResponseForm,
    RevocationProposalForm,
    StudentResponseForm,
)
from stagekans.cases.letters import decision_letter_pdf
from stagekans.cases.models import (
    Case,
    CaseDecision,
    CaseReporter,
    CaseSource,
    HearingAttachment,
    HearingRequest,
    Party,
)
from stagekans.cases.workflow import ALLOWED_TRANSITIONS, CaseStatus, CaseWorkflowError
from stagekans.core.forms import apply_service_errors
from stagekans.education.models import School

QUEUE_VIEWS = {
    "assigned": _("Aan mij toegewezen"),
    "due": _("Termijn loopt bijna af"),
    "overdue": _("Termijn verstreken"),
    "unassigned": _("Nog niet toegewezen"),
    "team": _("Alle zaken van het team"),
}


def sbb_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user: Any = request.user
        if not (user.has_perm("cases.investigate_case") or user.has_perm("cases.view_team_cases")):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _case(request: HttpRequest, pk: int) -> Case:
    return get_object_or_404(selectors.cases_visible_to(request.user), pk=pk)


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


# --- SBB ----------------------------------------------------------------------------------------


@sbb_required
def queue(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    team_queue = selectors.may_see_unassigned(user)
    view = request.GET.get("weergave", "assigned")
    team_lead = user.has_perm("cases.view_team_cases")
    if (
        view not in QUEUE_VIEWS
        or (view == "unassigned" and not team_queue)
        or (view == "team" and not team_lead)
    ):
        view = "assigned"
    today = timezone.localdate()
    page = Paginator(selectors.work_queue(user, view, today), 25).get_page(request.GET.get("page"))
    for case in page:
        case.pick_up_by = selectors.pick_up_deadline(case)  # type: ignore[attr-defined]
    return render(
        request,
        "cases/queue.html",
        {
            "page_obj": page,
            "view": view,
            "views": [
                (key, label)
                for key, label in QUEUE_VIEWS.items()
                if (key != "unassigned" or team_queue) and (key != "team" or team_lead)
            ],
            "can_pick_up": team_queue and user.has_perm("cases.investigate_case"),
            "counts": selectors.queue_counts(user, today),
            "team": selectors.team_of(user),
            "today": today,
            "query_string": f"weergave={view}",
        },
    )


@sbb_required
def open_case(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("cases.investigate_case"):
        raise PermissionDenied
    form = OpenCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.open_case(
                acting_user=request.user,
                company=form.cleaned_data["kvk_number"],
                summary=form.cleaned_data["summary"],
                source=CaseSource.OFFICER,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("De zaak is geopend en aan u toegewezen."))
            return redirect("cases:detail", pk=case.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/open.html", {"form": form}, status=status)


def _open_hearings(case: Case, party: Party | None = None) -> Any:
    qs = HearingRequest.objects.filter(case=case, responded_at__isnull=True).select_related(
        "school"
    )
    if party is not None:
        qs = qs.filter(party=party)
    return qs.order_by("sent_on", "id")


def _detail(request: HttpRequest, case: Case, status: int = 200, **forms: Any) -> HttpResponse:
    services.record_case_view(acting_user=request.user, case=case)
    reporters = list(selectors.reporters_of(case))
    concerned = selectors.schools_concerned(case)
    schools = (
        School.objects.filter(pk__in=concerned) if concerned else School.objects.all()
    ).order_by("name")
    allowed = {s.value for s in ALLOWED_TRANSITIONS.get(CaseStatus(case.status), frozenset())}
    context = {
        "case": case,
        "allowed": allowed,
        "reporters": reporters,
        "report_references": list(case.source_reports.values_list("reference", flat=True)),
        "hearings": selectors.hearings_of(case),
        "problems": selectors.hearing_problems(case)
        if case.status == CaseStatus.ASSESSMENT
        else [],
        "decisions": selectors.decisions_of(case),
        "revocations": selectors.revocations_of(case),
        "revocation_asked": selectors.decisions_asking_revocation().filter(case=case).exists(),
        "timeline": selectors.timeline(case),
        "today": timezone.localdate(),
        "pick_up_by": selectors.pick_up_deadline(case) if case.assigned_to_id is None else None,
        "can_pick_up": case.assigned_to_id is None
        and case.status != CaseStatus.CLOSED
        and selectors.may_see_unassigned(request.user)
        and request.user.has_perm("cases.investigate_case"),
        "hearing_form": forms.get("hearing_form")
        or HearingForm(schools=schools, reporters=reporters),
        "extend_form": forms.get("extend_form") or ExtendForm(hearings=_open_hearings(case)),
        "reason_form": forms.get("reason_form") or ReasonForm(),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "objection_form": forms.get("objection_form") or ObjectionForm(),
        "reopen_form": forms.get("reopen_form") or ReopenForm(),
        "assign_form": forms.get("assign_form")
        or AssignForm(assignees=selectors.team_investigators(case)),
        "message_form": forms.get("message_form")
        or MessageForm(schools=School.objects.filter(pk__in=concerned).order_by("name")),
        "student_form": forms.get("student_form")
        or StudentResponseForm(hearings=_open_hearings(case, Party.STUDENT)),
    }
    return render(request, "cases/detail.html", context, status=status)


@sbb_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _case(request, pk))


def _done(request: HttpRequest, case: Case, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("cases:detail", pk=case.pk)


def _refused(request: HttpRequest, case: Case, error: Exception) -> HttpResponse:
    messages.error(request, _error_text(error))
    return redirect("cases:detail", pk=case.pk)


@sbb_required
@require_POST
def step(request: HttpRequest, pk: int) -> HttpResponse:
    """start, assess or close: the transitions without a form of their own."""
    case = _case(request, pk)
    action = request.POST.get("action", "")
    form = ReasonForm(request.POST) if action == "close" else None
    try:
        if action == "start":
            services.start_investigation(acting_user=request.user, case=case)
        elif action == "assess":
            services.start_assessment(acting_user=request.user, case=case)
        elif action == "close":
            assert form is not None
            if not form.is_valid():
                return _detail(request, case, status=400, reason_form=form)
            services.close_case(
                acting_user=request.user, case=case, reason=form.cleaned_data["reason"]
            )
        else:
            raise Http404
    except ValidationError as error:
        if form is not None:
            apply_service_errors(form, error)
            return _detail(request, case, status=400, reason_form=form)
        return _refused(request, case, error)
    except (CaseWorkflowError, PermissionDenied) as error:
        return _refused(request, case, error)
    return _done(request, case, _("De status van de zaak is bijgewerkt."))


@sbb_required
@require_POST
def pick_up(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a case from the team's queue of unassigned cases."""
    case = _case(request, pk)
    try:
        services.pick_up_case(acting_user=request.user, case=case)
    except (ValidationError, CaseWorkflowError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
        if selectors.cases_visible_to(request.user).filter(pk=case.pk).exists():
            return redirect("cases:detail", pk=case.pk)
        return redirect("cases:queue")
    return _done(request, case, _("U heeft de zaak opgepakt; hij staat nu op uw naam."))


@sbb_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = AssignForm(request.POST, assignees=selectors.team_investigators(case))
    if not form.is_valid():
        return _detail(request, case, status=400, assign_form=form)
    try:
        services.assign_case(
            acting_user=request.user, case=case, assignee=form.cleaned_data["assignee"]
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return _detail(request, case, status=400, assign_form=form)
    except (CaseWorkflowError, PermissionDenied) as error:
        return _refused(request, case, error)
    return _done(request, case, _("De zaak is toegewezen."))


@sbb_required
@require_POST
def hearing(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    reporters = list(selectors.reporters_of(case))
    form = HearingForm(request.POST, schools=School.objects.all(), reporters=reporters)
    if not form.is_valid():
        return _detail(request, case, status=400, hearing_form=form)
    data = form.cleaned_data
    reporter = None
    if data["party"] == Party.STUDENT and data.get("reporter"):
        reporter = CaseReporter.objects.filter(case=case, pk=data["reporter"]).first()
    try:
        services.request_hearing(
            acting_user=request.user,
            case=case,
            party=Party(data["party"]),
            questions=data["questions"],
            school=data.get("school"),
            reporter=reporter,
            working_days=data["working_days"],
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return _detail(request, case, status=400, hearing_form=form)
    except (CaseWorkflowError, PermissionDenied) as error:
        return _refused(request, case, error)
    return _done(request, case, _("Het verzoek om een reactie is verstuurd."))


@sbb_required
@require_POST
def extend(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = ExtendForm(request.POST, hearings=_open_hearings(case))
    if not form.is_valid():
        return _detail(request, case, status=400, extend_form=form)
    try:
        services.extend_hearing_deadline(
            acting_user=request.user,
            hearing=form.cleaned_data["hearing"],
            extra_working_days=form.cleaned_data["extra_working_days"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return _detail(request, case, status=400, extend_form=form)
    except (CaseWorkflowError, PermissionDenied) as error:
        return _refused(request, case, error)
    return _done(request, case, _("De termijn is verlengd."))


@sbb_required
@require_POST
def student_response(request: HttpRequest, pk: int) -> HttpResponse:
    """SBB records what the student (reporter) said, e.g. in an interview."""
    case = _case(request, pk)
    form = StudentResponseForm(
        request.POST, request.FILES, hearings=_open_hearings(case, Party.STUDENT)
    )
    if not form.is_valid():
        return _detail(request, case, status=400, student_form=form)
    try:
        services.respond_to_hearing(
            acting_user=request.user,
            hearing=form.cleaned_data["hearing"],
            statement=form.cleaned_data["statement"],
            attachments=form.cleaned_data["attachments"],
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return _detail(request, case, status=400, student_form=form)
    except (CaseWorkflowError, PermissionDenied) as error:
        return _refused(request, case, error)
    return _done(request, case, _("De reactie van de student is vastgelegd."))


@sbb_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _detail(request, case, status=400, decision_form=form)
    data = form.cleaned_data
    try:
        services.decide(
            acting_user=request.user,
            case=case,
            outcome=data["outcome"],
            reasons=data["reasons"],
            measure=data["measure"],
            improvement_terms=data["improvement_terms"],
            follow_up_on=data["follow_up_on"],
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return _detail(request, case, status=400, decision_form=form)
    except (CaseWorkflowError, PermissionDenied) as error:
        form.add_error(None, _error_text(error))
        return _detail(request, case, status=400, decision_form=form)
    return _done(request, case, _("Het besluit is vastgelegd; het leerbedrijf krijgt bericht."))


@sbb_required
@require_POST
def objection(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        return _detail(request, case, status=400, objection_form=form)
    try:
        services.register_objection(
            acting_user=request.user,
            case=case,
            received_on=form.cleaned_data["received_on"],
            grounds=form.cleaned_data["grounds"],
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return _detail(request, case, status=400, objection_form=form)
    except (CaseWorkflowError, PermissionDenied) as error:
        return _refused(request, case, error)
    return _done(request, case, _("Het bezwaar is geregistreerd."))


@sbb_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return _detail(request, case, status=400, reopen_form=form)
    try:
        services.reopen_assessment(
            acting_user=request.user,
            case=case,
            assignee=form.cleaned_data["assignee"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return _detail(request, case, status=400, reopen_form=form)
    except (CaseWorkflowError, PermissionDenied) as error:
        return _refused(request, case, error)
    messages.success(request, _("De zaak is opnieuw in beoordeling bij een andere medewerker."))
    if selectors.cases_visible_to(request.user).filter(pk=case.pk).exists():
        return redirect("cases:detail", pk=case.pk)
    return redirect("cases:queue")


@sbb_required
@require_POST
def message(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    concerned = selectors.schools_concerned(case)
    form = MessageForm(request.POST, schools=School.objects.filter(pk__in=concerned))
    if not form.is_valid():
        return _detail(request, case, status=400, message_form=form)
    data = form.cleaned_data
    try:
        services.send_message(
            acting_user=request.user,
            case=case,
            party=Party(data["party"]),
            subject=data["subject"],
            body=data["body"],
            school=data.get("school"),
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return _detail(request, case, status=400, message_form=form)
    except (CaseWorkflowError, PermissionDenied) as error:
        return _refused(request, case, error)
    return _done(request, case, _("Het bericht is verstuurd."))


def _letter(decision: CaseDecision) -> HttpResponse:
    response = HttpResponse(decision_letter_pdf(decision), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="besluit-{decision.case.number}-{decision.pk}.pdf"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@sbb_required
def letter(request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    case = _case(request, pk)
    decision = get_object_or_404(CaseDecision, case=case, pk=decision_pk)
    services.record_case_view(acting_user=request.user, case=case, what="decision_letter")
    return _letter(decision)


@sbb_required
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    case = _case(request, pk)
    found = get_object_or_404(HearingAttachment, response__hearing__case=case, pk=attachment_pk)
    services.record_case_view(acting_user=request.user, case=case, what="attachment")
    response: HttpResponse = FileResponse(  # type: ignore[assignment]
        found.file.open("rb"),
        content_type=found.content_type,
        as_attachment=True,
        filename=found.download_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the parties' portal ------------------------------------------------------------------------


@login_required
@permission_required("cases.respond_to_hearing", raise_exception=True)
def party_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.party_hearings(request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/party_list.html",
        {"page_obj": page, "today": timezone.localdate(), "query_string": ""},
    )


def _party_page(
    request: HttpRequest,
    found: HearingRequest,
    *,
    form: ResponseForm | None = None,
    objection_form: CompanyObjectionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    services.record_case_view(acting_user=request.user, case=found.case, what="party_portal")
    case = found.case
    decision = selectors.latest_decision(case) if found.party == Party.COMPANY else None
    today = timezone.localdate()
    can_object = (
        decision is not None
        and case.status == CaseStatus.DECIDED
        and today <= decision.objection_deadline
    )
    return render(
        request,
        "cases/party_detail.html",
        {
            "hearing": found,
            "case": case,
            "responses": found.responses.prefetch_related("attachments").order_by("created_at"),
            "messages_to_party": selectors.party_messages(found),
            "decisions": selectors.party_decisions(found),
            "form": form or ResponseForm(),
            "today": today,
            "can_respond": case.status in (CaseStatus.HEARING, CaseStatus.ASSESSMENT),
            "can_object": can_object,
            "objection_deadline": decision.objection_deadline if decision else None,
            "objection_form": objection_form or CompanyObjectionForm(),
        },
        status=status,
    )


@login_required
@permission_required("cases.respond_to_hearing", raise_exception=True)
def party_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(selectors.party_hearings(request.user), pk=pk)
    form = ResponseForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.respond_to_hearing(
                    acting_user=request.user,
                    hearing=found,
                    statement=form.cleaned_data["statement"],
                    attachments=form.cleaned_data["attachments"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            except (CaseWorkflowError, PermissionDenied) as error:
                form.add_error(None, _error_text(error))
            else:
                messages.success(request, _("Dank u wel. Uw reactie is ontvangen door SBB."))
                return redirect("cases:party_detail", pk=found.pk)
        return _party_page(request, found, form=form, status=400)
    return _party_page(request, found, form=form)


@login_required
@permission_required("cases.respond_to_hearing", raise_exception=True)
@require_POST
def party_objection(request: HttpRequest, pk: int) -> HttpResponse:
    """The company objects to the decision in its own portal (a trainer of another company
    gets 404, anyone else who is not a trainer of this company 403)."""
    found = get_object_or_404(selectors.party_hearings(request.user), pk=pk)
    form = CompanyObjectionForm(request.POST)
    if form.is_valid():
        try:
            services.file_objection_by_company(
                acting_user=request.user,
                case=found.case,
                grounds=form.cleaned_data["grounds"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        except CaseWorkflowError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request,
                _(
                    "Uw bezwaar is ontvangen door SBB. Een andere medewerker beoordeelt het "
                    "besluit."
                ),
            )
            return redirect("cases:party_detail", pk=found.pk)
    return _party_page(request, found, objection_form=form, status=400)


@login_required
@permission_required("cases.respond_to_hearing", raise_exception=True)
def party_letter(request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    found = get_object_or_404(selectors.party_hearings(request.user), pk=pk)
    decision = get_object_or_404(selectors.party_decisions(found), pk=decision_pk)
    services.record_case_view(acting_user=request.user, case=found.case, what="decision_letter")
    return _letter(decision)


@login_required
@permission_required("register.propose_revocation", raise_exception=True)
def revocation_ask(request: HttpRequest, decision_pk: int) -> HttpResponse:
    """An SBB adviser (the first officer) proposes the revocation a decided case asks for.

    Advisers see only the anonymised decision (never the case file or the reporter); a second,
    different adviser approves the proposal in the register.
    """
    from stagekans.cases.revocation import describe_revocation_effects
    from stagekans.register import selectors as register_selectors
    from stagekans.register.hooks import revocation_effects

    decision = get_object_or_404(selectors.decisions_asking_revocation(), pk=decision_pk)
    case = decision.case
    form = RevocationProposalForm(request.POST or None, initial={"reason": decision.reasons})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.propose_revocation_for_decision(
                    acting_user=request.user, decision=decision, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            except (CaseWorkflowError, PermissionDenied) as error:
                form.add_error(None, _error_text(error))
            else:
                messages.success(
                    request,
                    _(
                        "Het voorstel tot intrekking is vastgelegd. Een tweede, andere adviseur "
                        "moet het goedkeuren voordat het ingaat."
                    ),
                )
                return redirect("register:revocation_list")
    recognitions = list(
        register_selectors.valid_recognitions()
        .filter(company=case.company)
        .select_related("qualification")
        .order_by("qualification__title")
    )
    # What the other apps will do (vacancies withdrawn, …), and the schools of this case that
    # will get a task (the cases' own preview, told about the case not yet linked).
    effects: list[str] = []
    for recognition in recognitions:
        generic = set(describe_revocation_effects(recognition=recognition))
        effects += [e for e in revocation_effects(recognition=recognition) if e not in generic]
        effects += describe_revocation_effects(recognition=recognition, case=case)
    return render(
        request,
        "cases/revocation_ask.html",
        {
            "decision": decision,
            "case": case,
            "recognitions": recognitions,
            "effects": list(dict.fromkeys(effects)),
            "form": form,
        },
        status=status,
    )
