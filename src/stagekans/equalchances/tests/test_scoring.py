"""Scores per step and levels (pure module)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stagekans.equalchances.scoring import (
    AnsweredQuestion,
    Level,
    level_of,
    score_steps,
    total_of,
)


@pytest.mark.parametrize(
    ("score", "maximum", "level"),
    [
        (0, 4, Level.ATTENTION),
        (1, 4, Level.ATTENTION),
        (2, 4, Level.ON_THE_WAY),
        (3, 4, Level.ON_THE_WAY),
        (4, 4, Level.IN_ORDER),
        (4, 5, Level.IN_ORDER),  # exactly 80%
        (2, 5, Level.ON_THE_WAY),  # exactly 40%
        (1, 5, Level.ATTENTION),
    ],
)
def test_levels_at_the_edges(score, maximum, level):
    assert level_of(score, maximum) is level


def test_score_outside_range_is_refused():
    with pytest.raises(ValueError):
        level_of(5, 4)
    with pytest.raises(ValueError):
        score_steps([AnsweredQuestion(step="a", points=3, best_points=2)], ["a"])


@given(
    st.lists(
        st.tuples(st.sampled_from("abc"), st.integers(0, 5), st.integers(0, 5)).map(
            lambda t: AnsweredQuestion(step=t[0], points=min(t[1], t[2]), best_points=t[2])
        ),
        max_size=30,
    )
)
def test_step_scores_add_up(answers):
    steps = score_steps(answers, ["a", "b", "c"])
    assert [s.step for s in steps] == [x for x in "abc" if any(a.step == x for a in answers)]
    for step in steps:
        mine = [a for a in answers if a.step == step.step]
        assert step.score == sum(a.points for a in mine)
        assert step.maximum == sum(a.best_points for a in mine)
        assert 0 <= step.percentage <= 100
    total = total_of(steps)
    assert total.score == sum(a.points for a in answers)
    assert total.maximum == sum(a.best_points for a in answers)
