"""The life cycle of a report (melding) as data: states and the only transitions between them.

received → in_triage → registered_only | referred_to_support | forwarded_to_sbb → closed.
A referral to support may still be forwarded to SBB when the student asks for an investigation
later; nothing leaves `closed` (a new report is filed instead, so history is never rewritten).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("ontvangen")
    IN_TRIAGE = "in_triage", _("in behandeling")
    REGISTERED_ONLY = "registered_only", _("alleen geregistreerd")
    REFERRED_TO_SUPPORT = "referred_to_support", _("doorverwezen naar ondersteuning")
    FORWARDED_TO_SBB = "forwarded_to_sbb", _("doorgestuurd naar SBB voor onderzoek")
    CLOSED = "closed", _("afgesloten")


S = ReportStatus

# None is the state of a report that does not exist yet.
ALLOWED_TRANSITIONS: dict[ReportStatus | None, frozenset[ReportStatus]] = {
    None: frozenset({S.RECEIVED}),
    S.RECEIVED: frozenset({S.IN_TRIAGE}),
    S.IN_TRIAGE: frozenset({S.REGISTERED_ONLY, S.REFERRED_TO_SUPPORT, S.FORWARDED_TO_SBB}),
    S.REGISTERED_ONLY: frozenset({S.CLOSED}),
    S.REFERRED_TO_SUPPORT: frozenset({S.FORWARDED_TO_SBB, S.CLOSED}),
    S.FORWARDED_TO_SBB: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}

OPEN_STATUSES = frozenset(set(ReportStatus) - {S.CLOSED})


class TransitionNotAllowed(Exception):
    def __init__(self, current: ReportStatus | None, target: ReportStatus) -> None:
        self.current, self.target = current, target
        label = current.label if current else _("nieuw")
        super().__init__(
            _("Een melding met status '%(current)s' kan niet naar '%(target)s'.")
            % {"current": label, "target": target.label}
        )


def check_transition(current: ReportStatus | None, target: ReportStatus) -> None:
    if target not in ALLOWED_TRANSITIONS.get(current, frozenset()):
        raise TransitionNotAllowed(current, target)
