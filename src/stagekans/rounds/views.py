"""Round pages for the coordinator, the student and the company. Views only translate HTTP
into service calls and selectors; each list is scoped by rounds.selectors."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagekans.companies.models import Location
from stagekans.companies.selectors import own_company
from stagekans.core.forms import apply_service_errors
from stagekans.register.selectors import valid_recognitions
from stagekans.rounds import selectors
from stagekans.rounds.forms import (
    ChangeAssignmentForm,
    DeclineForm,
    NetworkPlaceForm,
    PriorityForm,
    ProfileForm,
    ReviewForm,
    RoundForm,
    TimetableForm,
)
from stagekans.rounds.models import Assignment, MatchingRound, Participant, Place
from stagekans.rounds.services import closing, participation, running, setup
from stagekans.rounds.workflow import RoundStatus, RunKind

MANAGE = "rounds.manage_round"
TAKE_PART = "rounds.take_part_in_round"
REVIEW = "rounds.review_round_candidates"


def _error(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# --- coordinator ---------------------------------------------------------------------------


def _own_round(request: HttpRequest, pk: int) -> MatchingRound:
    return get_object_or_404(selectors.rounds_visible_to(request.user), pk=pk)


@login_required
@permission_required(MANAGE, raise_exception=True)
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = selectors.rounds_visible_to(request.user)
    page = Paginator(rounds, 25).get_page(request.GET.get("page"))
    stats = selectors.statistics_by_strategy(rounds) if rounds.exists() else {}
    return render(
        request,
        "rounds/round_list.html",
        {"page_obj": page, "query_string": "", "stats": stats},
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def round_create(request: HttpRequest) -> HttpResponse:
    staff = getattr(request.user, "school_staff", None)
    if staff is None:
        raise Http404
    form = RoundForm(request.POST or None, school=staff.school)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = setup.create_round(
                acting_user=request.user, school=staff.school, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("De ronde is aangemaakt. Voeg nu plaatsen toe."))
            return redirect("rounds:detail", pk=round_.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "rounds/round_form.html", {"form": form}, status=status)


def _detail_context(round_: MatchingRound) -> dict[str, Any]:
    return {
        "round": round_,
        "overview": selectors.round_overview(round_),
        "places": selectors.places_of(round_)[:100],
        "runs": selectors.latest_runs(round_)[:10],
        "job": _latest_job(round_),
        "children": round_.follow_ups.all(),
    }


def _latest_job(round_: MatchingRound) -> Any:
    run = round_.runs.select_related("job").order_by("-created_at", "-id").first()
    return run.job if run else None


@login_required
@permission_required(MANAGE, raise_exception=True)
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _own_round(request, pk)
    return render(request, "rounds/round_detail.html", _detail_context(round_))


@login_required
@permission_required(MANAGE, raise_exception=True)
def round_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The htmx-polled progress of the current run (polls while the round is running)."""
    round_ = _own_round(request, pk)
    response = render(
        request, "rounds/_progress.html", {"round": round_, "job": _latest_job(round_)}
    )
    if request.headers.get("HX-Request") and round_.status != RoundStatus.RUNNING:
        response["HX-Refresh"] = "true"  # the run ended: reload for the new status and steps
    return response


ACTIONS = {
    "openen": lambda user, r: setup.open_round(acting_user=user, round_=r),
    "beoordelen": lambda user, r: setup.close_preferences(acting_user=user, round_=r),
    "proefronde": lambda user, r: running.start_run(acting_user=user, round_=r, kind=RunKind.TRIAL),
    "matchen": lambda user, r: running.start_run(acting_user=user, round_=r, kind=RunKind.REAL),
    "publiceren": lambda user, r: running.publish_round(acting_user=user, round_=r),
    "sluiten": lambda user, r: closing.close_round(acting_user=user, round_=r),
    "vacatures": lambda user, r: setup.add_vacancy_places(acting_user=user, round_=r),
}
DONE = {
    "openen": _("De ronde is open: studenten kunnen hun voorkeuren opgeven."),
    "beoordelen": _("Voorkeuren zijn gesloten; leerbedrijven beoordelen nu de kandidaten."),
    "proefronde": _("De proefronde is gestart."),
    "matchen": _("De matching is gestart."),
    "publiceren": _("Het voorstel is gepubliceerd; studenten en leerbedrijven krijgen bericht."),
    "sluiten": _("De ronde is gesloten."),
    "vacatures": _("Passende vacatures van de Stagemarkt zijn toegevoegd: %(n)s."),
}


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def round_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    round_ = _own_round(request, pk)
    if action not in ACTIONS:
        raise Http404
    try:
        outcome = ACTIONS[action](request.user, round_)
    except ValidationError as error:
        _error(request, error)
    else:
        message = DONE[action]
        messages.success(request, message % {"n": outcome} if "%(n)s" in message else message)
    return redirect("rounds:detail", pk=round_.pk)


def _network_locations(round_: MatchingRound) -> list[tuple[int, str]]:
    qualification_ids = round_.programmes.values("qualification_id")
    companies = valid_recognitions(on=round_.period_start).filter(
        qualification_id__in=qualification_ids
    )
    locations = (
        Location.objects.filter(company_id__in=companies.values("company_id"))
        .select_related("company")
        .order_by("company__name", "place")[:500]
    )
    return [(loc.pk, f"{loc.company.name} — {loc.place}") for loc in locations]


@login_required
@permission_required(MANAGE, raise_exception=True)
def place_add(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _own_round(request, pk)
    form = NetworkPlaceForm(request.POST or None, locations=_network_locations(round_))
    if request.method == "POST" and form.is_valid():
        location = get_object_or_404(Location, pk=form.cleaned_data["location"])
        qualification = (
            round_.programmes.filter(
                qualification__in=valid_recognitions(on=round_.period_start)
                .filter(company=location.company)
                .values("qualification_id")
            )
            .select_related("qualification")
            .first()
        )
        try:
            if qualification is None:
                raise ValidationError(
                    {"location": _("Dit leerbedrijf is niet erkend voor de opleidingen.")}
                )
            setup.add_network_place(
                acting_user=request.user,
                round_=round_,
                location=location,
                qualification=qualification.qualification,
                capacity=form.cleaned_data["capacity"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("De plaats is toegevoegd."))
            return redirect("rounds:detail", pk=round_.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "rounds/place_form.html", {"round": round_, "form": form}, status=status)


@login_required
@permission_required(MANAGE, raise_exception=True)
def participants(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _own_round(request, pk)
    page = Paginator(selectors.participants_of(round_), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "rounds/participants.html",
        {
            "round": round_,
            "page_obj": page,
            "query_string": "",
            "classes": range(0, round_.priority_classes + 1),
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def participant_priority(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    round_ = _own_round(request, pk)
    participant = get_object_or_404(Participant, round=round_, pk=participant_pk)
    form = PriorityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een geldige voorrangsklasse."))
    else:
        try:
            setup.set_priority_class(
                acting_user=request.user,
                participant=participant,
                priority_class=form.cleaned_data["priority_class"],
            )
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("De voorrangsklasse is opgeslagen."))
    return redirect("rounds:participants", pk=round_.pk)


@login_required
@permission_required(MANAGE, raise_exception=True)
def proposal(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _own_round(request, pk)
    view = selectors.proposal(round_)
    if view is None:
        raise Http404
    page = Paginator(selectors.assignments_of(view.run), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "rounds/proposal.html",
        {
            "round": round_,
            "proposal": view,
            "page_obj": page,
            "query_string": "",
            "editable": round_.status == RoundStatus.PROPOSAL and not view.trial,
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def assignment_change(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    round_ = _own_round(request, pk)
    assignment = get_object_or_404(
        Assignment.objects.select_related("participant__student__programme", "place"),
        pk=assignment_pk,
        run_id=round_.current_run_id,
    )
    places = Place.objects.filter(
        round=round_,
        active=True,
        qualification_id=assignment.participant.student.programme.qualification_id,
    ).select_related("company")
    choices = [(p.pk, f"{p.title} — {p.company.name}") for p in places[:500]]
    form = ChangeAssignmentForm(request.POST or None, places=choices)
    if request.method == "POST" and form.is_valid():
        place_pk = form.cleaned_data["place"]
        try:
            summary = running.change_assignment(
                acting_user=request.user,
                assignment=assignment,
                place=places.get(pk=place_pk) if place_pk else None,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            blocking = summary["certificate"]["blocking_pairs"]
            messages.success(
                request,
                _("De toewijzing is gewijzigd. Blokkerende paren nu: %(n)s.") % {"n": blocking},
            )
            return redirect("rounds:proposal", pk=round_.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "rounds/assignment_form.html",
        {"round": round_, "assignment": assignment, "form": form},
        status=status,
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def results(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _own_round(request, pk)
    if round_.status not in {RoundStatus.PUBLISHED, RoundStatus.CLOSED}:
        raise Http404
    page = Paginator(selectors.result_rows(round_), 50).get_page(request.GET.get("page"))
    stats = selectors.round_statistics(MatchingRound.objects.filter(pk=round_.pk))
    return render(
        request,
        "rounds/results.html",
        {
            "round": round_,
            "page_obj": page,
            "query_string": "",
            "stats": stats,
            "proposal": selectors.proposal(round_),
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _own_round(request, pk)
    if round_.status not in {RoundStatus.PUBLISHED, RoundStatus.CLOSED}:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ronde-{round_.pk}-uitslag.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "studentnummer",
            "naam",
            "leerbedrijf",
            "plaats",
            "keuze",
            "reden niet geplaatst",
            "student",
            "leerbedrijf_antwoord",
            "stage",
        ]
    )
    for a in selectors.result_rows(round_).iterator(chunk_size=2000):
        student = a.participant.student
        writer.writerow(
            [
                student.student_number,
                f"{student.given_name} {student.family_name}",
                a.place.company.name if a.place else "",
                a.place.location.place if a.place else "",
                a.rank or "",
                selectors.UNPLACED_LABELS.get(a.unplaced_reason, a.unplaced_reason),
                a.get_student_response_display(),
                a.get_company_response_display(),
                "ja" if a.placement_id else "nee",
            ]
        )
    return response


@login_required
@permission_required(MANAGE, raise_exception=True)
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _own_round(request, pk)
    form = TimetableForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            child = closing.create_follow_up_round(
                acting_user=request.user,
                round_=round_,
                name=_("Vervolgronde: %(name)s") % {"name": round_.name},
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("De vervolgronde is aangemaakt."))
            return redirect("rounds:detail", pk=child.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "rounds/follow_up_form.html", {"round": round_, "form": form}, status=status
    )


# --- student -------------------------------------------------------------------------------


def _own_participation(request: HttpRequest, pk: int) -> Participant:
    return get_object_or_404(selectors.participations_of(request.user), round_id=pk)


@login_required
@permission_required(TAKE_PART, raise_exception=True)
def my_rounds(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "rounds/my_rounds.html",
        {"participations": selectors.participations_of(request.user)},
    )


@login_required
@permission_required(TAKE_PART, raise_exception=True)
def my_round(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _own_participation(request, pk)
    round_ = participant.round
    places = selectors.eligible_places(participant)
    ranked = selectors.ranked_place_ids(participant)
    rank_of = {place_id: i + 1 for i, place_id in enumerate(ranked)}
    status = 200
    if request.method == "POST":
        chosen: list[tuple[int, int]] = []
        bad = False
        for row in places:
            value = request.POST.get(f"keuze-{row.place.pk}", "")
            if value:
                try:
                    chosen.append((int(value), row.place.pk))
                except ValueError:
                    bad = True
        ranks = [rank for rank, _pk in chosen]
        if bad or len(ranks) != len(set(ranks)):
            messages.error(request, _("Geef elke keuze een ander nummer."))
            status = 400
        else:
            try:
                participation.save_preferences(
                    acting_user=request.user,
                    participant=participant,
                    place_ids=[pk_ for _rank, pk_ in sorted(chosen)],
                )
            except ValidationError as error:
                _error(request, error)
                status = 400
            else:
                messages.success(request, _("Je voorkeuren zijn opgeslagen."))
                return redirect("rounds:my_round", pk=pk)
    profile_form = ProfileForm(
        initial={
            "competences": participant.competences,
            "motivation": participant.motivation,
            "availability": participant.availability,
            "support_needs": participant.support_needs,
            "support_features": [f for f in (1, 2, 4, 8) if participant.support_features & f],
        }
    )
    return render(
        request,
        "rounds/my_round.html",
        {
            "round": round_,
            "participant": participant,
            "places": places,
            "rank_of": rank_of,
            "rank_choices": range(1, round_.max_choices + 1),
            "ranked_rows": [row for row in places if row.place.pk in rank_of],
            "profile_form": profile_form,
            "assignment": selectors.own_assignment(participant),
            "can_rank": round_.status == RoundStatus.OPEN,
        },
        status=status,
    )


@login_required
@permission_required(TAKE_PART, raise_exception=True)
@require_POST
def my_round_profile(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _own_participation(request, pk)
    form = ProfileForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            participation.save_profile(
                acting_user=request.user,
                participant=participant,
                competences=data["competences"],
                motivation=data["motivation"],
                availability=data["availability"],
                support_needs=data["support_needs"],
                support_features=sum(data["support_features"]),
            )
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("Je profiel voor deze ronde is opgeslagen."))
    else:
        messages.error(request, _("Controleer je profiel: een veld is te lang of ongeldig."))
    return redirect("rounds:my_round", pk=pk)


@login_required
@permission_required(TAKE_PART, raise_exception=True)
@require_POST
def my_round_respond(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _own_participation(request, pk)
    assignment = selectors.own_assignment(participant)
    if assignment is None:
        raise Http404
    accept = request.POST.get("antwoord") == "accepteren"
    try:
        participation.respond_as_student(
            acting_user=request.user, assignment=assignment, accept=accept
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(
            request,
            _("Je hebt de plaats geaccepteerd.") if accept else _("Je hebt de plaats geweigerd."),
        )
    return redirect("rounds:my_round", pk=pk)


# --- company -------------------------------------------------------------------------------


def _company(request: HttpRequest) -> Any:
    company = own_company(request.user)
    if company is None:
        raise Http404
    return company


def _company_round(request: HttpRequest, pk: int) -> tuple[Any, MatchingRound]:
    company = _company(request)
    return company, get_object_or_404(selectors.rounds_of_company(company), pk=pk)


@login_required
@permission_required(REVIEW, raise_exception=True)
def company_rounds(request: HttpRequest) -> HttpResponse:
    company = _company(request)
    return render(
        request,
        "rounds/company_rounds.html",
        {
            "rounds": selectors.rounds_of_company(company),
            "pending": selectors.pending_reviews(company),
        },
    )


@login_required
@permission_required(REVIEW, raise_exception=True)
def company_round(request: HttpRequest, pk: int) -> HttpResponse:
    company, round_ = _company_round(request, pk)
    candidates = selectors.candidates_for_company(round_, company)
    return render(
        request,
        "rounds/company_round.html",
        {
            "round": round_,
            "company": company,
            "candidates": candidates,
            "proposed": selectors.proposed_for_company(round_, company),
            "review_form": ReviewForm(),
            "decline_form": DeclineForm(),
            "can_review": round_.status in {RoundStatus.OPEN, RoundStatus.REVIEW},
        },
    )


@login_required
@permission_required(REVIEW, raise_exception=True)
@require_POST
def company_review(request: HttpRequest, pk: int, place_pk: int) -> HttpResponse:
    company, round_ = _company_round(request, pk)
    reference = request.POST.get("kandidaat", "")
    candidate = next(
        (
            c
            for c in selectors.candidates_for_company(round_, company)
            if c.place.pk == place_pk and c.profile.reference == reference
        ),
        None,
    )
    if candidate is None:
        raise Http404
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies of de kandidaat geschikt is."))
    else:
        try:
            participation.review_candidate(
                acting_user=request.user,
                place=candidate.place,
                participant=Participant.objects.get(pk=candidate.participant_id),
                acceptable=form.cleaned_data["acceptable"],
                reason=form.cleaned_data["reason"],
                company_rank=form.cleaned_data["company_rank"],
            )
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(
                request, _("Uw oordeel over %(ref)s is opgeslagen.") % {"ref": reference}
            )
    return redirect("rounds:company_round", pk=round_.pk)


@login_required
@permission_required(REVIEW, raise_exception=True)
@require_POST
def company_respond(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    company, round_ = _company_round(request, pk)
    assignment = get_object_or_404(
        Assignment, pk=assignment_pk, run_id=round_.current_run_id, place__company=company
    )
    accept = request.POST.get("antwoord") == "accepteren"
    try:
        participation.respond_as_company(
            acting_user=request.user,
            assignment=assignment,
            accept=accept,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Uw antwoord is opgeslagen."))
    return redirect("rounds:company_round", pk=round_.pk)
