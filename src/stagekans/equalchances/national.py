"""Equal-chances rows at national volume, loaded in bulk (COPY on PostgreSQL) on top of the
national data set (`seed_national`): self-scan results with their answers and step scores,
recruitment policies and webinar attendance.

Bulk loading bypasses the services on purpose (one audited service call per row would take
hours); the rows obey the same rules: answers and step scores of the published version, one
newest result per company, scores computed by `scoring`, one attendance per trainer × webinar.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from stagekans.companies.models import Trainer
from stagekans.equalchances import selectors
from stagekans.equalchances.models import (
    RecruitmentPolicy,
    ScanAnswer,
    ScanResult,
    ScanStepScore,
    TrainingSource,
    Webinar,
    WebinarAttendance,
)
from stagekans.equalchances.scoring import AnsweredQuestion, score_steps, total_of
from stagekans.stagemarkt.national import _insert, _next_id, _reset_sequences

SCAN_SHARE = 0.4  # of the companies with a praktijkopleider
POLICY_SHARE = 0.5
TRAINING_SHARE = 0.35  # of the praktijkopleiders


@dataclass
class EqualChancesResult:
    results: int = 0
    answers: int = 0
    policies: int = 0
    attendances: int = 0


class EqualChancesNational:
    def __init__(self, *, seed: int, progress: Callable[[str], None] = lambda _m: None) -> None:
        self.rng = random.Random(seed + 17)
        self.progress = progress
        self.now = timezone.now()

    @transaction.atomic
    def build(self) -> EqualChancesResult:
        result = EqualChancesResult()
        version = selectors.current_version()
        if version is None:
            return result
        questions = selectors.questions_of(version)
        options = [sorted(q.options.all(), key=lambda o: o.position) for q in questions]
        best = [max(o.points for o in opts) for opts in options]
        trainers = list(
            Trainer.objects.order_by("company_id", "pk").values_list("pk", "company_id", "user_id")
        )
        first_trainer: dict[int, tuple[int, int]] = {}
        for pk, company_id, user_id in trainers:
            first_trainer.setdefault(company_id, (pk, user_id))
        rng = self.rng

        results: list[tuple[Any, ...]] = []
        answers: list[tuple[int, int, int, int]] = []
        steps: list[tuple[int, int, str, int, int, str]] = []
        result_id = _next_id(ScanResult)
        answer_id = _next_id(ScanAnswer)
        step_id = _next_id(ScanStepScore)
        already = set(ScanResult.objects.values_list("company_id", flat=True).distinct())
        for company_id, (_trainer_id, user_id) in first_trainer.items():
            if company_id in already or rng.random() > SCAN_SHARE:
                continue
            maturity = rng.betavariate(3, 1.5)
            weights = [(1 - maturity) ** 2 + 0.02, 0.3, 2 * maturity**2 + 0.02]
            chosen = [rng.choices(opts, weights=weights[: len(opts)], k=1)[0] for opts in options]
            scored = score_steps(
                (
                    AnsweredQuestion(step=q.step, points=o.points, best_points=b)
                    for q, o, b in zip(questions, chosen, best, strict=True)
                ),
                selectors.RecruitmentStep.values,
            )
            total = total_of(scored)
            at = self.now - dt.timedelta(days=rng.randint(1, 700), seconds=rng.randint(0, 86_399))
            results.append(
                (result_id, company_id, version.pk, at, user_id, total.score, total.maximum, True)
            )
            for q, o in zip(questions, chosen, strict=True):
                answers.append((answer_id, result_id, q.pk, o.pk))
                answer_id += 1
            for s in scored:
                steps.append((step_id, result_id, s.step, s.score, s.maximum, s.level.value))
                step_id += 1
            result_id += 1
        result.results = _insert(
            ScanResult,
            [
                "id",
                "company",
                "version",
                "completed_at",
                "completed_by",
                "score",
                "maximum",
                "is_latest",
            ],
            results,
        )
        result.answers = _insert(ScanAnswer, ["id", "result", "question", "option"], answers)
        _insert(ScanStepScore, ["id", "result", "step", "score", "maximum", "level"], steps)
        self.progress(f"{result.results:,} zelfscans, {result.answers:,} antwoorden")

        result.policies = _insert(
            RecruitmentPolicy,
            [
                "id",
                "company",
                "recorded_at",
                "recorded_by",
                "covers_interns",
                "criteria_in_advance",
                "anonymised_selection",
                "structured_interviews",
                "multiple_assessors",
                "written_refusal_reasons",
                "complaint_route",
                "responsible",
            ],
            # A list, not the generator: it reads the database, which cannot happen on the
            # connection while COPY streams into it.
            list(self._policies(first_trainer)),
        )
        result.attendances = _insert(
            WebinarAttendance,
            [
                "id",
                "trainer",
                "company",
                "webinar",
                "attended_on",
                "source",
                "registered_by",
                "registered_at",
            ],
            list(self._attendances(trainers)),
        )
        _reset_sequences(
            [ScanResult, ScanAnswer, ScanStepScore, RecruitmentPolicy, WebinarAttendance]
        )
        analyse_equal_chances()
        self.progress(
            f"{result.policies:,} wervingsbeleid, {result.attendances:,} gevolgde webinars"
        )
        return result

    def _policies(self, first_trainer: dict[int, tuple[int, int]]) -> Iterator[tuple[Any, ...]]:
        pk = _next_id(RecruitmentPolicy)
        rng = self.rng
        for company_id, (_trainer_id, user_id) in first_trainer.items():
            if rng.random() > POLICY_SHARE:
                continue
            yield (
                pk,
                company_id,
                self.now - dt.timedelta(days=rng.randint(1, 2000)),
                user_id,
                rng.random() < 0.85,
                *(rng.random() < 0.6 for _ in range(5)),
                "Klachten over werving gaan naar de vertrouwenspersoon en het Meldpunt.",
                "Hoofd HR",
            )
            pk += 1

    def _attendances(self, trainers: list[tuple[int, int, int]]) -> Iterator[tuple[Any, ...]]:
        webinars = list(Webinar.objects.filter(active=True).values_list("pk", flat=True))
        existing = set(WebinarAttendance.objects.values_list("trainer_id", "webinar_id"))
        pk = _next_id(WebinarAttendance)
        rng = self.rng
        for trainer_id, company_id, user_id in trainers:
            if rng.random() > TRAINING_SHARE or not webinars:
                continue
            for webinar_id in rng.sample(webinars, k=rng.randint(1, len(webinars))):
                if (trainer_id, webinar_id) in existing:
                    continue
                yield (
                    pk,
                    trainer_id,
                    company_id,
                    webinar_id,
                    (self.now - dt.timedelta(days=rng.randint(1, 700))).date(),
                    TrainingSource.SELF,
                    user_id,
                    self.now,
                )
                pk += 1


def analyse_equal_chances() -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (ScanResult, ScanStepScore, WebinarAttendance, RecruitmentPolicy):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
