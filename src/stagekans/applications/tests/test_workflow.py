from __future__ import annotations

import itertools

import pytest

from stagekans.applications.workflow import (
    ALLOWED_TRANSITIONS,
    IDENTITY_REVEALED,
    OPEN,
    ApplicationStatus,
    TransitionNotAllowed,
    check_transition,
)

S = ApplicationStatus

ALLOWED = [
    (None, S.SENT),
    (S.SENT, S.SEEN),
    (S.SENT, S.INVITED),
    (S.SEEN, S.INVITED),
    (S.INVITED, S.OFFERED),
    (S.OFFERED, S.ACCEPTED),
    (S.OFFERED, S.DECLINED),
    (S.SENT, S.REJECTED),
    (S.SEEN, S.REJECTED),
    (S.INVITED, S.REJECTED),
    *[(s, S.WITHDRAWN) for s in OPEN],
    *[(s, S.CLOSED) for s in OPEN],
]


@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_allowed(current: S | None, target: S) -> None:
    check_transition(current, target)


FORBIDDEN = [
    (current, target)
    for current, target in itertools.product([None, *S], S)
    if (current, target) not in ALLOWED
]


@pytest.mark.parametrize(("current", "target"), FORBIDDEN)
def test_forbidden(current: S | None, target: S) -> None:
    with pytest.raises(TransitionNotAllowed):
        check_transition(current, target)


def test_the_table_has_exactly_the_allowed_paths() -> None:
    table = {(c, t) for c, targets in ALLOWED_TRANSITIONS.items() for t in targets}
    assert table == set(ALLOWED)


def test_no_offer_without_invitation_and_no_way_back_from_an_end() -> None:
    assert S.OFFERED not in ALLOWED_TRANSITIONS[S.SENT]
    assert S.OFFERED not in ALLOWED_TRANSITIONS[S.SEEN]
    for end in set(S) - OPEN:
        assert ALLOWED_TRANSITIONS[end] == frozenset()
    # an offer is only possible after invitation, so every offered student was revealed
    assert S.OFFERED in IDENTITY_REVEALED and S.SENT not in IDENTITY_REVEALED
