"""Reads for matching rounds, scoped per role: a coordinator sees the rounds of their own
school, a student only their own participation, a company only anonymised candidates for its own
places (the identity only once a proposal is accepted by both sides). Round statistics for the
insight issue are aggregated in SQL here too."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    QuerySet,
)

from stagekans.applications.anonymised import AnonymisedProfile, anonymised_profile
from stagekans.applications.workflow import RejectionReason
from stagekans.geo.places import haversine_km
from stagekans.matching.engine import UnplacedReason
from stagekans.register.selectors import valid_recognitions
from stagekans.rounds.models import (
    Assignment,
    MatchingRound,
    Participant,
    Place,
    Preference,
    Review,
)
from stagekans.rounds.workflow import Response, RoundStatus
from stagekans.stagemarkt.models import Feature, mask_to_features

UNPLACED_LABELS = {
    UnplacedReason.NOTHING_ELIGIBLE.label: "geen van de gekozen plaatsen was passend",
    UnplacedReason.REFUSED_EVERYWHERE.label: "niet geschikt bevonden of niets gekozen",
    UnplacedReason.ALL_FULL.label: "alle gekozen plaatsen waren vol",
    "manual": "met de hand uit het voorstel gehaald",
}


def company_scope(round_id: int, company_id: int) -> str:
    return f"round:{round_id}:company:{company_id}"


# --- coordinator ---------------------------------------------------------------------------


def rounds_visible_to(user: Any) -> QuerySet[MatchingRound]:
    qs = MatchingRound.objects.select_related("school", "parent")
    staff = getattr(user, "school_staff", None)
    if not user.is_authenticated or not user.has_perm("rounds.manage_round") or staff is None:
        return qs.none()
    return qs.filter(school_id=staff.school_id)


def round_overview(round_: MatchingRound) -> dict[str, Any]:
    participants = Participant.objects.filter(round=round_)
    places = Place.objects.filter(round=round_)
    return {
        "participants": participants.count(),
        "ranked": participants.filter(preferences_submitted_at__isnull=False).count(),
        "support_needs": participants.exclude(support_needs="").count(),
        "places": places.filter(active=True).count(),
        "seats": sum(places.filter(active=True).values_list("capacity", flat=True)),
        "removed_places": places.filter(active=False).count(),
        "reviews": Review.objects.filter(place__round=round_).count(),
        "refusals": Review.objects.filter(place__round=round_, acceptable=False).count(),
    }


def places_of(round_: MatchingRound) -> QuerySet[Place]:
    return (
        Place.objects.filter(round=round_)
        .select_related("company", "location", "qualification")
        .annotate(chosen=Count("preferences"))
        .order_by("-active", "company__name", "id")
    )


def participants_of(round_: MatchingRound) -> QuerySet[Participant]:
    """For the coordinator only: includes the private support needs."""
    return (
        Participant.objects.filter(round=round_)
        .select_related("student__programme__qualification")
        .annotate(choices=Count("preferences"))
        .order_by("student__family_name", "student__given_name", "id")
    )


def latest_runs(round_: MatchingRound) -> QuerySet[Any]:
    return round_.runs.select_related("job", "started_by").order_by("-created_at", "-id")


@dataclass(frozen=True)
class Proposal:
    run: Any
    summary: dict[str, Any]
    rank_rows: list[dict[str, Any]]
    unplaced_rows: list[dict[str, Any]]
    blocking_rows: list[tuple[str, str]]
    trial: bool


def _names(participant_ids: list[int]) -> dict[int, str]:
    return {
        pk: f"{given} {family}"
        for pk, given, family in Participant.objects.filter(pk__in=participant_ids).values_list(
            "pk", "student__given_name", "student__family_name"
        )
    }


def _place_titles(place_ids: list[int]) -> dict[int, str]:
    return {
        pk: f"{title} ({company})"
        for pk, title, company in Place.objects.filter(pk__in=place_ids).values_list(
            "pk", "title", "company__name"
        )
    }


def proposal(round_: MatchingRound, run: Any = None) -> Proposal | None:
    """The coordinator's view of a run: report, certificate, rank distribution, unplaced with
    reasons (first 200) and the blocking pairs the certificate names."""
    trial = False
    if run is None:
        run = round_.current_run
        if run is None:
            run = round_.runs.filter(state="done").order_by("-created_at", "-id").first()
            trial = run is not None
    else:
        trial = run.kind == "trial"
    if run is None:
        return None
    summary = run.summary
    report = summary.get("report", {})
    rank_rows = [
        {"label": f"keuze {rank}", "value": count}
        for rank, count in report.get("rank_distribution", {}).items()
    ]
    unplaced = list(
        Assignment.objects.filter(run=run, place__isnull=True)
        .order_by("participant__student__family_name", "id")
        .values("pk", "participant_id", "unplaced_reason")[:200]
    )
    names = _names([row["participant_id"] for row in unplaced])
    unplaced_rows = [
        {
            "pk": row["pk"],
            "name": names.get(row["participant_id"], ""),
            "reason": UNPLACED_LABELS.get(row["unplaced_reason"], row["unplaced_reason"]),
        }
        for row in unplaced
    ]
    examples = summary.get("certificate", {}).get("blocking_examples", [])
    student_names = _names([int(s) for s, _p in examples])
    place_titles = _place_titles([int(p) for _s, p in examples])
    blocking_rows = [
        (student_names.get(int(s), s), place_titles.get(int(p), p)) for s, p in examples
    ]
    return Proposal(run, summary, rank_rows, unplaced_rows, blocking_rows, trial)


def assignments_of(run: Any) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(run=run)
        .select_related("participant__student", "place__company", "place__location")
        .order_by("participant__student__family_name", "participant__student__given_name", "id")
    )


def result_rows(round_: MatchingRound) -> QuerySet[Assignment]:
    """For the CSV export (coordinator only)."""
    return (
        assignments_of(round_.current_run) if round_.current_run_id else Assignment.objects.none()
    )


# --- student -------------------------------------------------------------------------------


def participations_of(user: Any) -> QuerySet[Participant]:
    if not user.is_authenticated or not user.has_perm("rounds.take_part_in_round"):
        return Participant.objects.none()
    return (
        Participant.objects.filter(student__user=user)
        .exclude(round__status=RoundStatus.DRAFT)
        .select_related("round", "round__school", "student")
        .order_by("-round__created_at")
    )


@dataclass(frozen=True)
class EligiblePlace:
    place: Place
    distance_km: float
    features: list[Feature]
    matches_needs: bool


def eligible_places(participant: Participant) -> list[EligiblePlace]:
    """Places the student may rank: active, for their qualification, a company validly
    recognised for it on the first day of the period, within the maximum distance."""
    round_ = participant.round
    student = participant.student
    recognised = valid_recognitions(on=round_.period_start).filter(
        qualification_id=student.programme.qualification_id
    )
    places = (
        Place.objects.filter(
            round=round_,
            active=True,
            qualification_id=student.programme.qualification_id,
            company_id__in=recognised.values("company_id"),
        )
        .select_related("company", "location")
        .order_by("id")
    )
    rows = []
    for place in places:
        distance = haversine_km(
            student.latitude, student.longitude, place.location.latitude, place.location.longitude
        )
        if distance > round_.max_distance_km:
            continue
        needs = participant.support_features
        rows.append(
            EligiblePlace(
                place=place,
                distance_km=round(distance, 1),
                features=mask_to_features(place.features),
                matches_needs=bool(needs) and (place.features & needs) == needs,
            )
        )
    rows.sort(key=lambda row: (row.distance_km, row.place.pk))
    return rows


def ranked_place_ids(participant: Participant) -> list[int]:
    return list(participant.preferences.order_by("rank").values_list("place_id", flat=True))


def own_assignment(participant: Participant) -> Assignment | None:
    round_ = participant.round
    if (
        round_.status not in {RoundStatus.PUBLISHED, RoundStatus.CLOSED}
        or not round_.current_run_id
    ):
        return None
    return (
        Assignment.objects.filter(run_id=round_.current_run_id, participant=participant)
        .select_related("place__company", "place__location")
        .first()
    )


# --- company -------------------------------------------------------------------------------


def rounds_of_company(company: Any) -> QuerySet[MatchingRound]:
    return (
        MatchingRound.objects.filter(places__company=company)
        .exclude(status=RoundStatus.DRAFT)
        .select_related("school")
        .distinct()
        .order_by("-created_at")
    )


@dataclass(frozen=True)
class Candidate:
    place: Place
    participant_id: int
    profile: AnonymisedProfile
    review: Review | None
    student_rank: int


def candidates_for_company(round_: MatchingRound, company: Any) -> list[Candidate]:
    """Everyone who ranked one of the company's places, as the anonymised profile (the same
    shape as an anonymised application) under a reference unique to this round and company."""
    scope = company_scope(round_.pk, company.pk)
    prefs = (
        Preference.objects.filter(place__round=round_, place__company=company, place__active=True)
        .select_related(
            "place__location",
            "participant__student__programme__qualification",
        )
        .order_by("place_id", "rank", "participant_id")
    )
    reviews = {
        (r.place_id, r.participant_id): r
        for r in Review.objects.filter(place__round=round_, place__company=company)
    }
    rows = []
    for pref in prefs:
        participant = pref.participant
        profile = anonymised_profile(
            student=participant.student,
            scope=scope,
            competences=participant.competences,
            motivation=participant.motivation,
            availability=participant.availability,
            place_latitude=pref.place.location.latitude,
            place_longitude=pref.place.location.longitude,
        )
        rows.append(
            Candidate(
                place=pref.place,
                participant_id=participant.pk,
                profile=profile,
                review=reviews.get((pref.place_id, participant.pk)),
                student_rank=pref.rank,
            )
        )
    return rows


@dataclass(frozen=True)
class ProposedCandidate:
    assignment: Assignment
    profile: AnonymisedProfile
    identity: str | None  # only once both sides accepted (a placement exists)


def proposed_for_company(round_: MatchingRound, company: Any) -> list[ProposedCandidate]:
    if (
        round_.status not in {RoundStatus.PUBLISHED, RoundStatus.CLOSED}
        or not round_.current_run_id
    ):
        return []
    scope = company_scope(round_.pk, company.pk)
    rows = []
    for assignment in (
        Assignment.objects.filter(run_id=round_.current_run_id, place__company=company)
        .select_related("place__location", "participant__student__programme__qualification")
        .order_by("place_id", "id")
    ):
        participant = assignment.participant
        student = participant.student
        place = assignment.place
        assert place is not None
        rows.append(
            ProposedCandidate(
                assignment=assignment,
                profile=anonymised_profile(
                    student=student,
                    scope=scope,
                    competences=participant.competences,
                    motivation=participant.motivation,
                    availability=participant.availability,
                    place_latitude=place.location.latitude,
                    place_longitude=place.location.longitude,
                ),
                identity=f"{student.given_name} {student.family_name}"
                if assignment.placement_id
                else None,
            )
        )
    return rows


# --- statistics for the insight issue -------------------------------------------------------


def round_statistics(rounds: QuerySet[MatchingRound]) -> dict[str, Any]:
    """Per set of rounds (e.g. one school, one strategy), aggregated in SQL:

    * placed_first_try: share of participants of first rounds (no parent) placed in that round;
    * mean_days_to_placement: from the opening of the first round of the chain to the placement;
    * mean_rank: mean preference rank of accepted assignments (1 = first choice);
    * refusals_by_reason: company refusals (reviews and declined proposals) per reason.
    """
    first = rounds.filter(parent__isnull=True)
    participants = Participant.objects.filter(round__in=first).count()
    placed_first = Assignment.objects.filter(
        run__round__in=first, run=F("run__round__current_run"), placement__isnull=False
    ).count()
    accepted = Assignment.objects.filter(
        run__round__in=rounds, run=F("run__round__current_run"), placement__isnull=False
    )
    mean_rank = accepted.filter(rank__isnull=False).aggregate(v=Avg("rank"))["v"]
    # Time to placement: from the opening of the round (or its first ancestor when it is a
    # follow-up; one level is what the pilot runs) to the creation of the placement.
    duration = ExpressionWrapper(
        F("placement__created_at") - F("run__round__opened_at"), output_field=DurationField()
    )
    first_level = accepted.filter(run__round__parent__isnull=True).aggregate(v=Avg(duration))["v"]
    follow_duration = ExpressionWrapper(
        F("placement__created_at") - F("run__round__parent__opened_at"),
        output_field=DurationField(),
    )
    follow_level = accepted.filter(run__round__parent__isnull=False).aggregate(
        v=Avg(follow_duration), n=Count("id")
    )
    first_count = accepted.filter(run__round__parent__isnull=True).count()
    total = first_count + follow_level["n"]
    mean_days = None
    if total:
        seconds = 0.0
        if first_level is not None:
            seconds += first_level.total_seconds() * first_count
        if follow_level["v"] is not None:
            seconds += follow_level["v"].total_seconds() * follow_level["n"]
        mean_days = round(seconds / total / 86400, 1)
    refusals: dict[str, int] = dict.fromkeys(RejectionReason.values, 0)
    for reason, n in (
        Review.objects.filter(place__round__in=rounds, acceptable=False)
        .values_list("reason")
        .annotate(n=Count("id"))
    ):
        refusals[reason] += n
    for reason, n in (
        Assignment.objects.filter(run__round__in=rounds, company_response=Response.DECLINED)
        .exclude(company_decline_reason="")
        .values_list("company_decline_reason")
        .annotate(n=Count("id"))
    ):
        refusals[reason] += n
    return {
        "rounds": rounds.count(),
        "participants_first_round": participants,
        "placed_first_try": placed_first,
        "placed_first_try_share": round(placed_first / participants, 3) if participants else None,
        "mean_days_to_placement": mean_days,
        "mean_rank": None if mean_rank is None else round(float(mean_rank), 2),
        "refusals_by_reason": refusals,
    }


def statistics_by_strategy(rounds: QuerySet[MatchingRound]) -> dict[str, dict[str, Any]]:
    strategies = rounds.values_list("strategy", flat=True).distinct()
    return {s: round_statistics(rounds.filter(strategy=s)) for s in strategies}


def pending_reviews(company: Any) -> int:
    """Candidates at the company's places in rounds under review without a verdict yet."""
    return (
        Preference.objects.filter(
            place__company=company,
            place__active=True,
            place__round__status__in=[RoundStatus.OPEN, RoundStatus.REVIEW],
        )
        .exclude(
            Exists(
                Review.objects.filter(
                    place_id=OuterRef("place_id"), participant_id=OuterRef("participant_id")
                )
            )
        )
        .count()
    )
