"""The investigation case life cycle as data: states and the only transitions between them.

Designed up front (docs/adr/0400-investigation-case-workflow.md). Deadline extensions are not
state changes: they are audited changes of a hearing's deadline, with a reason.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    NEW = "new", _("nieuw")
    UNDER_INVESTIGATION = "under_investigation", _("in onderzoek")
    HEARING = "hearing", _("hoor en wederhoor")
    ASSESSMENT = "assessment", _("beoordeling")
    DECIDED = "decided", _("besloten")
    OBJECTION = "objection", _("bezwaar")
    CLOSED = "closed", _("afgesloten")


S = CaseStatus

ALLOWED_TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    S.NEW: frozenset({S.UNDER_INVESTIGATION, S.CLOSED}),
    S.UNDER_INVESTIGATION: frozenset({S.HEARING, S.CLOSED}),
    S.HEARING: frozenset({S.ASSESSMENT}),
    S.ASSESSMENT: frozenset({S.HEARING, S.DECIDED}),
    S.DECIDED: frozenset({S.OBJECTION, S.CLOSED}),
    S.OBJECTION: frozenset({S.ASSESSMENT}),
    S.CLOSED: frozenset(),
}

# Transitions whose service demands a written reason (kept in the status history).
REASON_REQUIRED: frozenset[tuple[CaseStatus, CaseStatus]] = frozenset(
    {
        (S.NEW, S.CLOSED),
        (S.UNDER_INVESTIGATION, S.CLOSED),
        (S.ASSESSMENT, S.HEARING),
        (S.DECIDED, S.CLOSED),
        (S.OBJECTION, S.ASSESSMENT),
    }
)

OPEN_STATUSES: frozenset[CaseStatus] = frozenset(set(S) - {S.CLOSED})


class CaseWorkflowError(Exception):
    """A change the workflow refuses; the message is Dutch and meant for the user."""


class TransitionNotAllowed(CaseWorkflowError):
    def __init__(self, current: CaseStatus, target: CaseStatus) -> None:
        self.current, self.target = current, target
        super().__init__(
            _(
                "Een zaak met status '%(current)s' kan niet naar '%(target)s'. Laad de pagina "
                "opnieuw: misschien heeft iemand de zaak net gewijzigd."
            )
            % {"current": current.label, "target": target.label}
        )


class ConflictError(CaseWorkflowError):
    """Someone else holds the lock on this case right now."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Een andere medewerker wijzigt deze zaak op dit moment. Er is niets veranderd; "
                "laad de pagina opnieuw en probeer het nog eens."
            )
        )


class HearingIncomplete(CaseWorkflowError):
    """A decision before both sides were heard."""


def check_transition(current: CaseStatus, target: CaseStatus) -> None:
    if target not in ALLOWED_TRANSITIONS.get(current, frozenset()):
        raise TransitionNotAllowed(current, target)
