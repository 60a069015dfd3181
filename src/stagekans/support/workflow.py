"""The life cycle of a request to the expert team (deskundig team) as data.

new → taken → advice_given → closed. A team member takes a new request (it is then theirs),
logs advice (the first advice is the first response the requester gets), may log follow-up
afterwards without a change of state, and closes it. Nothing leaves `closed`: a new question is
a new request, so the history is never rewritten.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SupportRequestStatus(models.TextChoices):
    NEW = "new", _("nieuw")
    TAKEN = "taken", _("in behandeling")
    ADVICE_GIVEN = "advice_given", _("advies gegeven")
    CLOSED = "closed", _("afgesloten")


S = SupportRequestStatus

# None is the state of a request that does not exist yet.
ALLOWED_TRANSITIONS: dict[SupportRequestStatus | None, frozenset[SupportRequestStatus]] = {
    None: frozenset({S.NEW}),
    S.NEW: frozenset({S.TAKEN}),
    S.TAKEN: frozenset({S.ADVICE_GIVEN}),
    S.ADVICE_GIVEN: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}

OPEN_STATUSES = frozenset(set(SupportRequestStatus) - {S.CLOSED})


class TransitionNotAllowed(Exception):
    def __init__(self, current: SupportRequestStatus | None, target: SupportRequestStatus) -> None:
        self.current, self.target = current, target
        label = current.label if current else _("nieuw")
        super().__init__(
            _("Een hulpvraag met status '%(current)s' kan niet naar '%(target)s'.")
            % {"current": label, "target": target.label}
        )


def check_transition(current: SupportRequestStatus | None, target: SupportRequestStatus) -> None:
    if target not in ALLOWED_TRANSITIONS.get(current, frozenset()):
        raise TransitionNotAllowed(current, target)
