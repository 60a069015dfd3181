"""Between the database and the matching engine: load a round as an engine Instance (set-based,
a handful of queries whatever the size), and evaluate a stored assignment (certificate and report
recomputed after a manual change). The engine itself is used as-is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection

from stagekans.matching.engine import Algorithm, Instance, MatchConfig, TieBreaking
from stagekans.matching.engine.certificate import (
    Certificate,
    Report,
    StabilityStandard,
    build_report,
    certify,
    unplaced_reasons,
)
from stagekans.matching.engine.engine import draw_lottery, strict_priority
from stagekans.matching.engine.prepare import prepare
from stagekans.register.selectors import valid_recognitions
from stagekans.rounds.models import MatchingRound, Participant, Place, Preference, Review
from stagekans.rounds.workflow import ProposingSide, Strategy
from stagekans.rounds.workflow import TieBreaking as RoundTieBreaking

EARTH_RADIUS_KM = 6371.0088
# A company that ranks some candidates puts the ones it did not rank after them.
UNRANKED = 2**15 - 1
_SUB = 2**16  # room for a company rank (PositiveSmallIntegerField) in the priority key


def config_for(round_: MatchingRound, seed: int | None = None) -> MatchConfig:
    if round_.strategy == Strategy.SCHOOL_PLACES:
        algorithm = Algorithm.SCHOOL_LED
    elif round_.proposing_side == ProposingSide.COMPANIES:
        algorithm = Algorithm.COMPANY_PROPOSING
    else:
        algorithm = Algorithm.STUDENT_PROPOSING
    tie = (
        TieBreaking.MULTIPLE
        if round_.tie_breaking == RoundTieBreaking.MULTIPLE
        else TieBreaking.SINGLE
    )
    return MatchConfig(
        algorithm=algorithm, tie_breaking=tie, seed=round_.seed if seed is None else seed
    )


def haversine_km(
    lat1: npt.NDArray[np.float64],
    lon1: npt.NDArray[np.float64],
    lat2: npt.NDArray[np.float64],
    lon2: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat, dlon = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


@dataclass(frozen=True)
class Loaded:
    instance: Instance
    participant_ids: npt.NDArray[np.int64]
    place_ids: npt.NDArray[np.int64]


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def load_instance(round_: MatchingRound) -> Loaded:
    """The round as CSR arrays: participants in id order, places in id order, each student's
    preferences in rank order, with eligibility (active place, same qualification, valid
    recognition on the first day of the period, within the maximum distance), the companies'
    verdicts (no verdict = acceptable) and priorities (priority class, support needs, rank)."""
    from stagekans.companies.models import Location
    from stagekans.education.models import Programme, Student

    participant_table = Participant._meta.db_table
    place_table = Place._meta.db_table
    preference_table = Preference._meta.db_table
    review_table = Review._meta.db_table
    student_table = Student._meta.db_table
    programme_table = Programme._meta.db_table
    location_table = Location._meta.db_table

    people = _rows(
        f"SELECT p.id, s.latitude, s.longitude, g.qualification_id, p.priority_class, "  # noqa: S608
        f"p.support_features FROM {participant_table} p "
        f"JOIN {student_table} s ON s.id = p.student_id "
        f"JOIN {programme_table} g ON g.id = s.programme_id "
        "WHERE p.round_id = %s ORDER BY p.id",
        [round_.pk],
    )
    places = _rows(
        f"SELECT pl.id, l.latitude, l.longitude, pl.qualification_id, pl.capacity, "  # noqa: S608
        f"pl.features, pl.active, pl.company_id FROM {place_table} pl "
        f"JOIN {location_table} l ON l.id = pl.location_id "
        "WHERE pl.round_id = %s ORDER BY pl.id",
        [round_.pk],
    )
    prefs = _rows(
        f"SELECT pr.participant_id, pr.place_id, rv.acceptable, rv.company_rank "  # noqa: S608
        f"FROM {preference_table} pr JOIN {participant_table} p ON p.id = pr.participant_id "
        f"LEFT JOIN {review_table} rv ON rv.place_id = pr.place_id "
        "AND rv.participant_id = pr.participant_id "
        "WHERE p.round_id = %s ORDER BY pr.participant_id, pr.rank",
        [round_.pk],
    )
    company_ids = {row[7] for row in places}
    recognised = set(
        valid_recognitions(on=round_.period_start)
        .filter(company_id__in=list(company_ids))
        .values_list("company_id", "qualification_id")
        if len(company_ids) < 5000
        else valid_recognitions(on=round_.period_start)
        .filter(company__round_places__round=round_)
        .values_list("company_id", "qualification_id")
        .distinct()
    )

    n_people, n_places = len(people), len(places)
    person = np.array(people, dtype=np.float64).reshape(n_people, 6)
    place = np.array(places, dtype=np.float64).reshape(n_places, 8)
    participant_ids = person[:, 0].astype(np.int64)
    place_ids = place[:, 0].astype(np.int64)
    place_recognised = np.array(
        [(int(row[7]), int(row[3])) in recognised for row in places], dtype=np.bool_
    )

    pref = np.array(
        [(a, b, -1 if c is None else int(c), -1 if d is None else int(d)) for a, b, c, d in prefs],
        dtype=np.int64,
    ).reshape(len(prefs), 4)
    s_idx = np.searchsorted(participant_ids, pref[:, 0])
    p_idx = np.searchsorted(place_ids, pref[:, 1])
    counts = np.bincount(s_idx, minlength=n_people)
    ptr = np.zeros(n_people + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])

    distance = haversine_km(person[s_idx, 1], person[s_idx, 2], place[p_idx, 1], place[p_idx, 2])
    eligible = (
        (place[p_idx, 6] > 0)
        & (place[p_idx, 3] == person[s_idx, 3])
        & place_recognised[p_idx]
        & (distance <= float(round_.max_distance_km))
    )
    verdict = pref[:, 2]
    acceptable = verdict != 0  # -1 (no verdict yet) or 1 (acceptable)
    company_rank = np.where(pref[:, 3] > 0, pref[:, 3], UNRANKED)
    # Priority: class 1 before 2 before 3 before no class; within a class a student whose support
    # needs the place's features meet (when the round favours them); then the company's rank.
    klass = person[s_idx, 4].astype(np.int64)
    bucket = np.where(klass > 0, klass, 4) if round_.priority_classes else np.zeros_like(klass)
    needs = person[s_idx, 5].astype(np.int64)
    features = place[p_idx, 5].astype(np.int64)
    favoured = (needs > 0) & ((features & needs) == needs) if round_.favour_support_needs else None
    sub = np.zeros_like(klass) if favoured is None else np.where(favoured, 0, 1)
    key = bucket * 2 * _SUB + sub * _SUB + company_rank

    instance = Instance.from_csr(
        ptr,
        p_idx,
        place[:, 4].astype(np.int64),
        company_rank=key,
        acceptable=acceptable,
        eligible=eligible,
        distance_km=distance,
        student_ids=[str(i) for i in participant_ids.tolist()],
        placement_ids=[str(i) for i in place_ids.tolist()],
    )
    return Loaded(instance=instance, participant_ids=participant_ids, place_ids=place_ids)


@dataclass(frozen=True)
class Evaluation:
    certificate: Certificate
    report: Report
    assigned_rank: npt.NDArray[np.int64]
    unplaced_reason: npt.NDArray[np.int64]


def evaluate(instance: Instance, assignment: npt.ArrayLike, config: MatchConfig) -> Evaluation:
    """Certificate and report of a stored (possibly hand-changed) assignment, recomputed the
    way the engine's `match` and `recertify` compute them."""
    prepared = prepare(instance)
    lottery, pair_lottery = draw_lottery(prepared, config)
    guarantees = config.guarantees
    standard = guarantees.stability_standard
    priority = (
        strict_priority(prepared, config, lottery, pair_lottery)
        if standard is StabilityStandard.STRICT
        else prepared.company_rank
    )
    array = np.asarray(assignment, dtype=np.int64)
    certificate, assigned_pair = certify(
        prepared, array, priority, standard=standard, stability_required=guarantees.stable
    )
    reasons = unplaced_reasons(prepared, assigned_pair)
    report = build_report(prepared, assigned_pair, reasons)
    ranks = np.full(prepared.n_students, -1, dtype=np.int64)
    placed = assigned_pair >= 0
    ranks[placed] = prepared.submitted_rank(assigned_pair[placed])
    return Evaluation(certificate, report, ranks, reasons)
