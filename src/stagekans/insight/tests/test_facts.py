"""Student-year facts (insight.facts): the services keep them right in the transaction of every
change, and the recompute from the facts publishes exactly what the computation from every
application and placement (as before the facts, reference_outcomes.py) publishes."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from stagekans.applications import services as applications
from stagekans.applications.workflow import RejectionReason
from stagekans.background.selectors import group_codes_table
from stagekans.education.models import Sector
from stagekans.insight import facts, outcomes
from stagekans.insight.models import CompanyVolume, OutcomeTable, StudentYear
from stagekans.insight.services.recompute import recompute
from stagekans.insight.tests.reference_outcomes import reference_cubes
from stagekans.placements.services import agreements
from stagekans.stagemarkt import services as stagemarkt
from stagekans.testing import applications as ta
from stagekans.testing import factories as f
from stagekans.testing import insight as t
from stagekans.testing import placements as tp

pytestmark = pytest.mark.django_db


def _fact(student: Any) -> StudentYear:
    return StudentYear.objects.get(student=student)


def test_applying_refusing_and_accepting_keep_the_facts_right() -> None:
    w = ta.world(places=2)
    first = ta.send(w)
    fact = _fact(w.student)
    assert (fact.strategy, fact.applications, fact.placed, fact.placed_first) == (
        "application",
        1,
        0,
        0,
    )
    assert fact.period_start == w.vacancy.start_date
    applications.reject(
        acting_user=w.trainer, application=first, reason=RejectionReason.LANGUAGE, text=""
    )
    assert _fact(w.student).refused_language == 1
    assert _fact(w.student).refused_competences == 0
    assert facts.mismatches() == 0

    later = w.vacancy_for(start_in_days=60)
    offer = ta.offered(w, vacancy=later)
    applications.accept(acting_user=w.student_login, application=offer)
    fact = _fact(w.student)
    assert (fact.applications, fact.placed, fact.placed_first) == (2, 1, 0)
    assert fact.placed_at is not None and fact.period_start == w.vacancy.start_date
    assert facts.mismatches() == 0

    other, login = w.other_student()
    sent = ta.send(w, student=other, login=login)
    applications.withdraw(acting_user=login, application=sent)
    assert _fact(other).applications == 1 and _fact(other).placed == 0
    assert CompanyVolume.objects.get(pk=w.company.pk).applications == 3
    assert facts.mismatches() == 0


def test_accepted_at_the_first_try_is_placed_first() -> None:
    w = ta.world()
    offer = ta.offered(w)
    applications.accept(acting_user=w.student_login, application=offer)
    fact = _fact(w.student)
    assert (fact.applications, fact.placed, fact.placed_first) == (1, 1, 1)
    assert facts.mismatches() == 0


def test_a_new_start_date_of_the_vacancy_moves_the_period_start_of_its_applicants() -> None:
    w = ta.world()
    ta.send(w)
    new_start = w.vacancy.start_date - dt.timedelta(days=7)
    stagemarkt.update_vacancy(acting_user=None, vacancy=w.vacancy, start_date=new_start)
    assert _fact(w.student).period_start == new_start
    assert facts.mismatches() == 0


def test_a_school_placement_and_its_signed_agreement_keep_the_facts_right() -> None:
    w = tp.world()
    fact = _fact(w.student)
    assert (fact.strategy, fact.applications, fact.placed, fact.placed_first) == (
        "school",
        0,
        1,
        1,
    )
    assert fact.period_start == tp.START
    later = tp.START + dt.timedelta(days=14)
    agreement = agreements.draft_agreement(
        acting_user=w.staff_user, placement=w.placement, terms=tp.terms(start_date=later)
    )
    agreements.send_for_signing(acting_user=w.staff_user, agreement=agreement)
    for user in (w.student_user, w.trainer_user, w.staff_user):
        agreements.sign_agreement(acting_user=user, agreement=agreement)
    w.placement.refresh_from_db()
    assert w.placement.start_date == later
    assert _fact(w.student).period_start == later
    assert facts.mismatches() == 0


def test_a_fact_changed_behind_the_services_back_is_found_and_rebuilt() -> None:
    w = ta.world()
    ta.send(w)
    call_command("rebuild_insight_facts", "--check")
    StudentYear.objects.filter(student=w.student).update(applications=5)
    with pytest.raises(CommandError):
        call_command("rebuild_insight_facts", "--check")
    StudentYear.objects.all().delete()
    call_command("rebuild_insight_facts", "--chunk", "1")
    assert facts.mismatches() == 0 and _fact(w.student).applications == 1


# --- the recompute from facts equals the computation from every row ---------------------------

HERKOMST = ["nl", "nl", "nl", "eu", "africa", "asia", None]
REASONS = [str(r) for r in RejectionReason.values]


def _settings(rng: random.Random) -> list[dict[str, Any]]:
    """Three programmes in different sectors, levels and provinces, a few vacancies each."""
    out = []
    for sector, niveau, place in (
        (Sector.ZORG, 3, "Utrecht"),
        (Sector.TECHNIEK, 2, "Groningen"),
        (Sector.ICT, 4, "Rotterdam"),
    ):
        qualification = f.QualificationFactory(sector=sector, niveau=niveau)
        school = f.SchoolFactory(place=place)
        programme = f.ProgrammeFactory(school=school, qualification=qualification)
        vacancies = []
        for _ in range(3):
            location = f.LocationFactory()
            f.RecognitionFactory(
                company=location.company,
                qualification=qualification,
                valid_from=dt.date(2023, 1, 1),
            )
            vacancies.append(
                f.VacancyFactory(
                    location=location,
                    company=location.company,
                    qualification=qualification,
                    start_date=dt.date.today() + dt.timedelta(days=rng.randint(-400, 90)),
                    publish=True,
                )
            )
        out.append({"programme": programme, "vacancies": vacancies})
    return out


def _generated(seed: int) -> None:
    rng = random.Random(seed)
    start = timezone.make_aware(dt.datetime(2024, 9, 1, 9, 0))
    for setting in _settings(rng):
        for _ in range(14):
            (student,) = t.students(setting["programme"], 1, rng.choice(HERKOMST))
            if rng.random() < 0.4:
                t.declare(student, "gender", rng.choice(["woman", "man", "other"]))
            for vacancy in rng.sample(setting["vacancies"], rng.randint(1, 3)):
                status = rng.choice(["accepted", "rejected", "rejected", "sent", "withdrawn"])
                sent = start + dt.timedelta(hours=rng.randint(0, 24 * 600))
                t.apply(
                    student,
                    vacancy,
                    status=status,
                    sent_at=sent,
                    invited=rng.random() < 0.5,
                    offered=status == "accepted",
                    reason=rng.choice(REASONS) if status == "rejected" else "",
                )
    # Two school-made placements: another strategy in the cube.
    for _ in range(2):
        tp.world()


def _rounded(value: Any) -> Any:
    """Payloads compared exactly, floats to 12 significant digits (SQLite sums floats in the
    order it meets the rows)."""
    if isinstance(value, float):
        return float(f"{value:.12g}")
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def _published(from_rows: bool) -> list[tuple[Any, ...]]:
    """Every published table, from the facts or (`from_rows`) as computed before the facts."""
    with transaction.atomic(), group_codes_table() as groups:
        cubes = reference_cubes(groups) if from_rows else outcomes.load_cubes(groups)
    return [
        (
            p.measure,
            p.attribute,
            p.school_year,
            p.sector,
            p.region,
            p.breakdown,
            _rounded(p.payload),
        )
        for p in outcomes.publish_all(cubes, 3, with_combinations=True)
    ]


@pytest.mark.parametrize("seed", [13, 2026])
def test_recompute_from_facts_publishes_what_the_rows_give(seed: int) -> None:
    _generated(seed)
    assert facts.mismatches() == 0
    from_facts = _published(from_rows=False)
    assert from_facts == _published(from_rows=True)
    assert len({p[2] for p in from_facts}) >= 2  # two school years at least
    # And the recompute job stores exactly those tables.
    run = recompute(acting_user=None, with_combinations=False)
    stored = {
        (o.measure, o.attribute, o.school_year, o.sector, o.region, o.breakdown): _rounded(
            o.payload
        )
        for o in OutcomeTable.objects.filter(run=run)
    }
    with transaction.atomic(), group_codes_table() as groups:
        cubes = reference_cubes(groups)
    expected = {
        (p.measure, p.attribute, p.school_year, p.sector, p.region, p.breakdown): _rounded(
            p.payload
        )
        for p in outcomes.publish_all(cubes, run.threshold, with_combinations=False)
    }
    assert stored == expected


def test_every_refusal_reason_has_its_column() -> None:
    columns = {f.name for f in StudentYear._meta.get_fields()}
    assert {f"refused_{r}" for r in RejectionReason.values} <= columns
