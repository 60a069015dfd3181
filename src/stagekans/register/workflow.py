"""The recognition life cycle as data: states and the only transitions allowed between them."""

from __future__ import annotations

from typing import Any

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


# The five conditions of recognition (erkenningsvoorwaarden), in the order SBB assesses them.
# Granting or reassessing needs every one of them met.
RECOGNITION_CONDITIONS: tuple[tuple[str, Any], ...] = (  # (field, lazy Dutch label)
    ("suitable_work", _("Passende werkzaamheden en taken voor de kwalificatie")),
    ("competent_trainer", _("Een deskundige praktijkopleider die de student begeleidt")),
    ("school_cooperation", _("Samenwerking en contact met de school")),
    (
        "safe_environment",
        _("Een veilige leeromgeving, vrij van discriminatie en intimidatie"),
    ),
    ("publication_consent", _("Toestemming voor publicatie in het openbare register")),
)
CONDITION_FIELDS: tuple[str, ...] = tuple(name for name, _label in RECOGNITION_CONDITIONS)
ALL_CONDITIONS_MET: dict[str, bool] = dict.fromkeys(CONDITION_FIELDS, True)
