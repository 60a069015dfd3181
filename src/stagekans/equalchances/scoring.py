"""Scores of a self-scan (pure Python, no Django): per recruitment step and in total.

Every answer option carries points (0 = not yet, 1 = partly, 2 = fully in place). A step's score
is the sum of the points of its answers; its maximum the sum of the best option of each of its
questions. The level of a step follows from the share of the maximum reached.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

IN_ORDER_FROM = 80  # percent of the maximum
ON_THE_WAY_FROM = 40


class Level(StrEnum):
    ATTENTION = "attention"  # aandacht nodig
    ON_THE_WAY = "on_the_way"  # op weg
    IN_ORDER = "in_order"  # op orde


LEVELS_LOW_TO_HIGH: tuple[Level, ...] = (Level.ATTENTION, Level.ON_THE_WAY, Level.IN_ORDER)


def level_of(score: int, maximum: int) -> Level:
    """The level of `score` out of `maximum` (integer arithmetic: no rounding at the edges)."""
    if maximum <= 0:
        return Level.IN_ORDER
    if not 0 <= score <= maximum:
        raise ValueError("score must lie between 0 and the maximum")
    if 100 * score >= IN_ORDER_FROM * maximum:
        return Level.IN_ORDER
    if 100 * score >= ON_THE_WAY_FROM * maximum:
        return Level.ON_THE_WAY
    return Level.ATTENTION


@dataclass(frozen=True)
class StepScore:
    step: str
    score: int
    maximum: int

    @property
    def percentage(self) -> int:
        return round(100 * self.score / self.maximum) if self.maximum else 100

    @property
    def level(self) -> Level:
        return level_of(self.score, self.maximum)


@dataclass(frozen=True)
class AnsweredQuestion:
    step: str
    points: int
    best_points: int


def score_steps(answers: Iterable[AnsweredQuestion], step_order: Iterable[str]) -> list[StepScore]:
    """One StepScore per step in `step_order` that has at least one answered question."""
    totals: dict[str, list[int]] = {}
    for answer in answers:
        if not 0 <= answer.points <= answer.best_points:
            raise ValueError("points must lie between 0 and the best option's points")
        bucket = totals.setdefault(answer.step, [0, 0])
        bucket[0] += answer.points
        bucket[1] += answer.best_points
    return [
        StepScore(step=step, score=totals[step][0], maximum=totals[step][1])
        for step in step_order
        if step in totals
    ]


def total_of(steps: Iterable[StepScore]) -> StepScore:
    steps = list(steps)
    return StepScore(
        step="total",
        score=sum(s.score for s in steps),
        maximum=sum(s.maximum for s in steps),
    )
