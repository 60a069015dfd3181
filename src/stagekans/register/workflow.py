"""The recognition life cycle as data: states and the only transitions allowed between them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecognitionStatus(models.TextChoices):
    REQUESTED = "requested", _("aangevraagd")
    RECOGNISED = "recognised", _("erkend")
    REVOKED = "revoked", _("ingetrokken")
    EXPIRED = "expired", _("verlopen")


S = RecognitionStatus

# None is the state of a recognition that does not exist yet.
ALLOWED_TRANSITIONS: dict[RecognitionStatus | None, frozenset[RecognitionStatus]] = {
    None: frozenset({S.REQUESTED}),
    S.REQUESTED: frozenset({S.RECOGNISED}),
    S.RECOGNISED: frozenset(
        {S.RECOGNISED, S.REVOKED, S.EXPIRED}
    ),  # recognised→recognised: reassessment
    S.EXPIRED: frozenset({S.REQUESTED}),
    S.REVOKED: frozenset({S.REQUESTED}),
}


class TransitionNotAllowed(Exception):
    def __init__(self, current: RecognitionStatus | None, target: RecognitionStatus) -> None:
        self.current, self.target = current, target
        label = current.label if current else _("nieuw")
        super().__init__(
            _("Een erkenning met status '%(current)s' kan niet naar '%(target)s'.")
            % {"current": label, "target": target.label}
        )


def check_transition(current: RecognitionStatus | None, target: RecognitionStatus) -> None:
    if target not in ALLOWED_TRANSITIONS.get(current, frozenset()):
        raise TransitionNotAllowed(current, target)
