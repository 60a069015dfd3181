"""Pages of placements: the list and detail (every party in their own portal), placing a
student, drafting and signing the POK, contact moments, "Mijn stagiairs" and compliance.

Views only check who may do what and call selectors and services; rules live in services."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagekans.companies.models import Company
from stagekans.core.forms import apply_service_errors
from stagekans.education.models import Student
from stagekans.placements import selectors
from stagekans.placements.documents import agreement_pdf
from stagekans.placements.forms import (
    AgreementForm,
    CompanyLookupForm,
    ContactForm,
    ContactRequestForm,
    EvaluationForm,
    GuardianForm,
    PlaceStudentForm,
    SupervisorForm,
    weekday_labels,
)
from stagekans.placements.models import Agreement, Placement
from stagekans.placements.services import agreements as agreement_services
from stagekans.placements.services import supervision
from stagekans.placements.services.creation import create_placement
from stagekans.placements.workflow import (
    OPEN_AGREEMENT,
    RUNNING,
    AgreementStatus,
    ContactKind,
    EvaluationParty,
    PlacementSource,
    SigningParty,
)
from stagekans.register.selectors import is_validly_recognised


def _school_staff(user: Any, perm: str) -> Any:
    staff = getattr(user, "school_staff", None)
    if staff is None or not user.has_perm(perm):
        raise PermissionDenied
    return staff


def _visible(user: Any) -> Any:
    if not (
        user.has_perm("placements.view_school_placements")
        or getattr(user, "student", None) is not None
        or getattr(user, "trainer", None) is not None
    ):
        raise PermissionDenied
    return selectors.placements_visible_to(user)


def _placement(request: HttpRequest, pk: int) -> Placement:
    return get_object_or_404(_visible(request.user), pk=pk)


def _agreement(request: HttpRequest, pk: int) -> Agreement:
    agreement = get_object_or_404(Agreement.objects.select_related("placement"), pk=pk)
    # 404 (not 403) for a version of a placement the user may not see.
    _placement(request, agreement.placement_id)
    return agreement


def _errors_to_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def placement_list(request: HttpRequest) -> HttpResponse:
    qs = _visible(request.user).order_by("-start_date", "-id")
    status = request.GET.get("status", "")
    if status == "lopend":
        qs = qs.filter(status__in=list(RUNNING))
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "placements/list.html",
        {
            "page_obj": page,
            "status": status,
            "may_place": request.user.has_perm("placements.place_student"),
            "today": timezone.localdate(),
        },
    )


@login_required
def place_student(request: HttpRequest) -> HttpResponse:
    """The school places a student directly: first the company (KvK), then the details."""
    staff = _school_staff(request.user, "placements.place_student")
    lookup = CompanyLookupForm(request.GET or None)
    company = None
    if lookup.is_bound and lookup.is_valid():
        company = Company.objects.filter(kvk_number=lookup.cleaned_data["kvk"]).first()
        if company is None:
            lookup.add_error("kvk", _("KvK-nummer: er is geen leerbedrijf met dit nummer."))
    form = None
    if company is not None:
        form = PlaceStudentForm(
            request.POST if request.method == "POST" else None,
            company=company,
            school=staff.school,
            initial={"supervisor": staff.pk},
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            student = Student.objects.filter(
                school=staff.school, student_number=data["student_number"].strip()
            ).first()
            if student is None:
                form.add_error(
                    "student_number",
                    _("Studentnummer: er is geen student met dit nummer op uw school."),
                )
            else:
                try:
                    placement = create_placement(
                        acting_user=request.user,
                        student=student,
                        location=data["location"],
                        start_date=data["start_date"],
                        end_date=data["end_date"],
                        source=PlacementSource.SCHOOL,
                        trainer=data["trainer"],
                        supervisor=data["supervisor"],
                    )
                except ValidationError as error:
                    apply_service_errors(form, error)
                else:
                    messages.success(
                        request,
                        _("De stage is aangemaakt. Stel nu de praktijkovereenkomst op."),
                    )
                    return redirect("placements:detail", pk=placement.pk)
    return render(
        request,
        "placements/place.html",
        {"lookup": lookup, "company": company, "form": form},
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _placement(request, pk)
    user: Any = request.user
    versions = list(selectors.versions(placement))
    party = agreement_services.party_of(user, placement)
    open_version = next((v for v in versions if v.status in OPEN_AGREEMENT), None)
    active = next((v for v in versions if v.status == AgreementStatus.ACTIVE), None)
    may_place = user.has_perm("placements.place_student") and party == SigningParty.SCHOOL
    may_supervise = supervision.may_supervise(user, placement)
    requester = supervision.requesting_party(user, placement)
    version_rows = []
    for version in versions:
        signed = {s.party: s for s in version.signatures.all()}
        required = agreement_services.required_parties(version)
        version_rows.append(
            {
                "agreement": version,
                "weekdays": weekday_labels(version.weekdays),
                "parties": [(p, signed.get(p)) for p in required],
                "may_sign": version.status == AgreementStatus.SIGNING
                and party is not None
                and party not in signed,
                "needs_guardian": version.status == AgreementStatus.SIGNING
                and SigningParty.GUARDIAN in required
                and SigningParty.GUARDIAN not in signed
                and party in (SigningParty.STUDENT, SigningParty.SCHOOL),
            }
        )
    evaluations = list(selectors.evaluations(placement))
    evaluated = {e.party for e in evaluations}
    context = {
        "placement": placement,
        "versions": version_rows,
        "open_version": open_version,
        "active": active,
        "party": party,
        "may_place": may_place,
        "may_supervise": may_supervise,
        "may_request": requester in (EvaluationParty.STUDENT, EvaluationParty.COMPANY)
        and user.has_perm("placements.request_contact")
        and placement.status in RUNNING,
        "may_evaluate": requester is not None
        and requester not in evaluated
        and (requester != EvaluationParty.SCHOOL or may_supervise)
        and active is not None,
        "contacts": list(selectors.contacts(placement)[:50]),
        "requests": list(selectors.open_requests(placement)),
        "evaluations": evaluations,
        "supervisor_form": SupervisorForm(
            school=placement.school, initial={"supervisor": placement.supervisor_id}
        )
        if may_place
        else None,
        "contact_form": ContactForm(
            initial={
                "held_on": timezone.localdate(),
                "kind": "on_site",
                "with_student": True,
                "with_trainer": True,
            }
        )
        if may_supervise and placement.status in RUNNING
        else None,
        "request_form": ContactRequestForm(),
        "guardian_form": GuardianForm(),
        "today": timezone.localdate(),
    }
    return render(request, "placements/detail.html", context)


@login_required
@require_POST
def set_supervisor(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _placement(request, pk)
    staff = _school_staff(request.user, "placements.place_student")
    if staff.school_id != placement.school_id:
        raise PermissionDenied
    form = SupervisorForm(request.POST, school=placement.school)
    if form.is_valid():
        try:
            supervision.set_supervisor(
                acting_user=request.user,
                placement=placement,
                supervisor=form.cleaned_data["supervisor"],
            )
        except ValidationError as error:
            _errors_to_messages(request, error)
        else:
            messages.success(request, _("De bpv-begeleider is opgeslagen."))
    else:
        messages.error(request, _("Kies een bpv-begeleider van uw school."))
    return redirect("placements:detail", pk=placement.pk)


@login_required
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft the POK (version 1) or a bpv-blad (a later version), or edit the open draft."""
    placement = _placement(request, pk)
    staff = _school_staff(request.user, "placements.place_student")
    if staff.school_id != placement.school_id:
        raise PermissionDenied
    existing = placement.agreements.filter(status=AgreementStatus.DRAFT).first()
    active = selectors.active_agreement(placement)
    new_version = active is not None
    basis = existing or active
    initial: dict[str, Any] = {
        "start_date": placement.start_date,
        "end_date": placement.end_date,
        "contact_every_weeks": 4,
        "min_site_visits": 1,
        "weekdays": [],
    }
    if basis is not None:
        initial.update(
            {
                "start_date": basis.start_date,
                "end_date": basis.end_date,
                "hours": basis.hours,
                "work_processes": basis.work_processes,
                "assessment": basis.assessment,
                "contact_every_weeks": basis.contact_every_weeks,
                "min_site_visits": basis.min_site_visits,
                "keuzedeel": basis.keuzedeel,
                "weekdays": [str(1 << b) for b in range(7) if basis.weekdays & (1 << b)],
                "change_summary": existing.change_summary if existing else "",
            }
        )
    form = AgreementForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        new_version=new_version,
    )
    if (
        not is_validly_recognised(
            placement.company, placement.qualification_id, on=placement.start_date
        )
        and request.method != "POST"
    ):
        messages.warning(
            request,
            _(
                "Let op: %(company)s is op de begindatum niet erkend voor deze kwalificatie. "
                "Een praktijkovereenkomst kan dan niet worden opgesteld."
            )
            % {"company": placement.company.name},
        )
    if request.method == "POST" and form.is_valid():
        try:
            if existing is not None:
                agreement = agreement_services.change_draft(
                    acting_user=request.user,
                    agreement=existing,
                    terms=form.terms(),
                    change_summary=form.cleaned_data.get("change_summary", ""),
                )
            else:
                agreement = agreement_services.draft_agreement(
                    acting_user=request.user,
                    placement=placement,
                    terms=form.terms(),
                    change_summary=form.cleaned_data.get("change_summary", ""),
                )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Concept versie %(v)d is opgeslagen. Verstuur het ter ondertekening.")
                % {"v": agreement.version},
            )
            return redirect("placements:detail", pk=placement.pk)
    return render(
        request,
        "placements/draft.html",
        {"placement": placement, "form": form, "new_version": new_version, "existing": existing},
    )


def _school_action(request: HttpRequest, agreement: Agreement) -> None:
    staff = _school_staff(request.user, "placements.place_student")
    if staff.school_id != agreement.placement.school_id:
        raise PermissionDenied


@login_required
@require_POST
def send(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    _school_action(request, agreement)
    try:
        agreement_services.send_for_signing(acting_user=request.user, agreement=agreement)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(
            request, _("Verstuurd: de student, het leerbedrijf en de school kunnen nu tekenen.")
        )
    return redirect("placements:detail", pk=agreement.placement_id)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    _school_action(request, agreement)
    try:
        agreement_services.withdraw_agreement(acting_user=request.user, agreement=agreement)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, _("Deze versie is ingetrokken."))
    return redirect("placements:detail", pk=agreement.placement_id)


@login_required
@require_POST
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    try:
        agreement = agreement_services.sign_agreement(acting_user=request.user, agreement=agreement)
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        if agreement.status == AgreementStatus.ACTIVE:
            messages.success(
                request, _("Getekend. Alle partijen hebben getekend: de overeenkomst geldt nu.")
            )
        else:
            messages.success(request, _("Getekend. We wachten nog op de andere partijen."))
    return redirect("placements:detail", pk=agreement.placement_id)


@login_required
@require_POST
def guardian(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    form = GuardianForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect("placements:detail", pk=agreement.placement_id)
    try:
        agreement = agreement_services.record_guardian_signature(
            acting_user=request.user,
            agreement=agreement,
            guardian_name=form.cleaned_data["guardian_name"],
            signed_on=form.cleaned_data["signed_on"],
        )
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, _("De handtekening van de ouder of voogd is vastgelegd."))
    return redirect("placements:detail", pk=agreement.placement_id)


@login_required
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    response = HttpResponse(agreement_pdf(agreement), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="praktijkovereenkomst-{agreement.placement_id}'
        f'-v{agreement.version}.pdf"'
    )
    return response


@login_required
@require_POST
def log_contact(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _placement(request, pk)
    if not supervision.may_supervise(request.user, placement):
        raise PermissionDenied
    form = ContactForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            supervision.log_contact(
                acting_user=request.user,
                placement=placement,
                held_on=data["held_on"],
                kind=ContactKind(data["kind"]),
                with_student=data["with_student"],
                with_trainer=data["with_trainer"],
                other_participants=data["other_participants"],
                notes=data["notes"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Het contactmoment is vastgelegd."))
            return redirect("placements:detail", pk=placement.pk)
    return render(request, "placements/contact_form.html", {"placement": placement, "form": form})


@login_required
@require_POST
def request_contact(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _placement(request, pk)
    if not request.user.has_perm("placements.request_contact"):
        raise PermissionDenied
    form = ContactRequestForm(request.POST)
    if form.is_valid():
        try:
            supervision.request_contact(
                acting_user=request.user, placement=placement, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            _errors_to_messages(request, error)
        else:
            messages.success(request, _("Uw verzoek is doorgestuurd naar de bpv-begeleider."))
    else:
        messages.error(request, _("Schrijf kort waarover u contact wilt."))
    return redirect("placements:detail", pk=placement.pk)


@login_required
def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _placement(request, pk)
    if supervision.requesting_party(request.user, placement) is None:
        raise PermissionDenied
    form = EvaluationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            supervision.submit_evaluation(
                acting_user=request.user, placement=placement, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Dank u wel! Uw evaluatie is opgeslagen."))
            return redirect("placements:detail", pk=placement.pk)
    return render(request, "placements/evaluate.html", {"placement": placement, "form": form})


@login_required
def my_students(request: HttpRequest) -> HttpResponse:
    staff = _school_staff(request.user, "placements.supervise_placement")
    page = Paginator(selectors.supervisees(staff), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "placements/my_students.html",
        {"page_obj": page, "today": timezone.localdate()},
    )


@login_required
def compliance(request: HttpRequest) -> HttpResponse:
    staff = _school_staff(request.user, "placements.view_compliance")
    school = staff.school
    today = timezone.localdate()
    by_team, by_supervisor = selectors.compliance(school, today)
    if request.GET.get("formaat") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="naleving-bpv-begeleiding-{school.brin}-{today:%Y%m%d}.csv"'
        )
        writer = csv.writer(response, delimiter=";")
        writer.writerow(
            [
                _("indeling"),
                _("naam"),
                _("lopende overeenkomsten"),
                _("op schema"),
                _("percentage op schema"),
                _("bezoeken afgesproken"),
                _("bezoeken gedaan"),
            ]
        )
        for kind, rows in ((_("team"), by_team), (_("begeleider"), by_supervisor)):
            for row in rows:
                writer.writerow(
                    [
                        kind,
                        row.label or _("geen begeleider"),
                        row.running,
                        row.on_schedule,
                        "" if row.percent_on_schedule is None else row.percent_on_schedule,
                        row.visits_agreed,
                        row.visits_done,
                    ]
                )
        return response
    total = selectors.total_row(by_team, school.name)
    return render(
        request,
        "placements/compliance.html",
        {
            "school": school,
            "by_team": by_team,
            "by_supervisor": by_supervisor,
            "total": total,
            "team_chart": [{"label": r.label, "value": r.percent_on_schedule} for r in by_team],
            "today": today,
        },
    )
