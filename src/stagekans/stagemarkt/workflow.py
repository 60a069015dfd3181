"""The vacancy life cycle as data: states and the only transitions allowed between them.

See docs/adr/0200-stagemarkt.md for why published → draft is allowed and filled/withdrawn are final.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class VacancyStatus(models.TextChoices):
    DRAFT = "draft", _("concept")
    PUBLISHED = "published", _("gepubliceerd")
    FILLED = "filled", _("vervuld")
    WITHDRAWN = "withdrawn", _("ingetrokken")


S = VacancyStatus

# None is the state of a vacancy that does not exist yet.
ALLOWED_TRANSITIONS: dict[VacancyStatus | None, frozenset[VacancyStatus]] = {
    None: frozenset({S.DRAFT}),
    S.DRAFT: frozenset({S.PUBLISHED, S.WITHDRAWN}),
    S.PUBLISHED: frozenset({S.DRAFT, S.FILLED, S.WITHDRAWN}),  # → draft: offline to rework
    S.FILLED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

# States in which the content of a vacancy may still be edited.
EDITABLE: frozenset[VacancyStatus] = frozenset({S.DRAFT, S.PUBLISHED})
# Final states: other apps close what hangs on the vacancy (stagemarkt.hooks).
CLOSED: frozenset[VacancyStatus] = frozenset({S.FILLED, S.WITHDRAWN})


class TransitionNotAllowed(Exception):
    def __init__(self, current: VacancyStatus | None, target: VacancyStatus) -> None:
        self.current, self.target = current, target
        label = current.label if current else _("nieuw")
        super().__init__(
            _("Een vacature met status '%(current)s' kan niet naar '%(target)s'.")
            % {"current": label, "target": target.label}
        )


def check_transition(current: VacancyStatus | None, target: VacancyStatus) -> None:
    if target not in ALLOWED_TRANSITIONS.get(current, frozenset()):
        raise TransitionNotAllowed(current, target)
