"""Both transition tables: every allowed path passes, every other path is refused."""

from __future__ import annotations

import pytest

from stagekans.keuzedelen.workflow import (
    ENROLMENT_TRANSITIONS,
    VERSION_TRANSITIONS,
    EnrolmentStatus,
    TransitionNotAllowed,
    VersionStatus,
    check_enrolment,
    check_version,
)

E, V = EnrolmentStatus, VersionStatus

ENROLMENT_ALLOWED = {
    (None, E.SUBMITTED),
    (None, E.REFUSED),
    (E.SUBMITTED, E.HOME_APPROVED),
    (E.SUBMITTED, E.REFUSED),
    (E.SUBMITTED, E.WITHDRAWN),
    (E.HOME_APPROVED, E.ACCEPTED),
    (E.HOME_APPROVED, E.REFUSED),
    (E.HOME_APPROVED, E.WITHDRAWN),
    (E.ACCEPTED, E.COMPLETED),
    (E.ACCEPTED, E.WITHDRAWN),
}
VERSION_ALLOWED = {
    (None, V.SIGNING),
    (V.SIGNING, V.ACTIVE),
    (V.SIGNING, V.WITHDRAWN),
    (V.ACTIVE, V.SUPERSEDED),
}


def _pairs(states: type) -> list[tuple[object, object]]:
    return [(a, b) for a in [None, *states] for b in states]


def test_the_tables_are_exactly_the_designed_ones() -> None:
    assert {(a, b) for a, targets in ENROLMENT_TRANSITIONS.items() for b in targets} == (
        ENROLMENT_ALLOWED
    )
    assert {(a, b) for a, targets in VERSION_TRANSITIONS.items() for b in targets} == (
        VERSION_ALLOWED
    )


@pytest.mark.parametrize(("current", "target"), _pairs(EnrolmentStatus))
def test_enrolment_transitions(current: EnrolmentStatus | None, target: EnrolmentStatus) -> None:
    if (current, target) in ENROLMENT_ALLOWED:
        check_enrolment(current, target)
    else:
        with pytest.raises(TransitionNotAllowed, match="kan niet naar"):
            check_enrolment(current, target)


@pytest.mark.parametrize(("current", "target"), _pairs(VersionStatus))
def test_version_transitions(current: VersionStatus | None, target: VersionStatus) -> None:
    if (current, target) in VERSION_ALLOWED:
        check_version(current, target)
    else:
        with pytest.raises(TransitionNotAllowed):
            check_version(current, target)
