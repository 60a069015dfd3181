"""The round transition table: every allowed path, and every other pair refused."""

from __future__ import annotations

import itertools

import pytest

from stagekans.rounds.workflow import (
    ALLOWED_TRANSITIONS,
    RoundStatus,
    TransitionNotAllowed,
    check_transition,
)

S = RoundStatus
ALLOWED = {
    (None, S.DRAFT),
    (S.DRAFT, S.OPEN),
    (S.OPEN, S.REVIEW),
    (S.REVIEW, S.RUNNING),
    (S.RUNNING, S.REVIEW),
    (S.RUNNING, S.PROPOSAL),
    (S.RUNNING, S.FAILED),
    (S.FAILED, S.RUNNING),
    (S.PROPOSAL, S.RUNNING),
    (S.PROPOSAL, S.PUBLISHED),
    (S.PUBLISHED, S.CLOSED),
}


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED, key=str))
def test_allowed(current, target):
    check_transition(current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [pair for pair in itertools.product([None, *RoundStatus], RoundStatus) if pair not in ALLOWED],
)
def test_forbidden(current, target):
    with pytest.raises(TransitionNotAllowed):
        check_transition(current, target)


def test_table_is_exactly_the_documented_paths():
    table = {(c, t) for c, targets in ALLOWED_TRANSITIONS.items() for t in targets}
    assert table == ALLOWED
    assert S.FAILED.label == "mislukt — opnieuw uitvoeren"
    assert ALLOWED_TRANSITIONS[S.CLOSED] == frozenset()


def test_message_is_dutch():
    with pytest.raises(TransitionNotAllowed, match="kan niet naar 'gepubliceerd'"):
        check_transition(S.DRAFT, S.PUBLISHED)
