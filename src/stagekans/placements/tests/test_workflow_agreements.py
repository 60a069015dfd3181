"""The POK version life cycle as a transition table: every allowed and every forbidden step."""

from __future__ import annotations

import itertools

import pytest

from stagekans.placements.workflow import (
    AGREEMENT_TRANSITIONS,
    AgreementStatus,
    AgreementTransitionNotAllowed,
    check_agreement_transition,
)

A = AgreementStatus
ALLOWED = {
    (A.DRAFT, A.SIGNING),
    (A.DRAFT, A.WITHDRAWN),
    (A.SIGNING, A.ACTIVE),
    (A.SIGNING, A.WITHDRAWN),
    (A.ACTIVE, A.SUPERSEDED),
}


@pytest.mark.parametrize("current,target", sorted(ALLOWED))
def test_allowed(current: AgreementStatus, target: AgreementStatus) -> None:
    check_agreement_transition(current, target)


@pytest.mark.parametrize(
    "current,target",
    sorted(set(itertools.product(list(A), list(A))) - ALLOWED),
)
def test_forbidden(current: AgreementStatus, target: AgreementStatus) -> None:
    with pytest.raises(AgreementTransitionNotAllowed):
        check_agreement_transition(current, target)


def test_table_names_every_status() -> None:
    assert set(AGREEMENT_TRANSITIONS) == set(A)
    assert AGREEMENT_TRANSITIONS[A.SUPERSEDED] == frozenset()
    assert AGREEMENT_TRANSITIONS[A.WITHDRAWN] == frozenset()
