"""The application life cycle as data: sent → seen → invited → offered → accepted, with
declined / rejected / withdrawn / closed as ends. Only applications.services change a status."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    SENT = "sent", _("verstuurd")
    SEEN = "seen", _("bekeken")
    INVITED = "invited", _("uitgenodigd")
    OFFERED = "offered", _("aanbod gedaan")
    ACCEPTED = "accepted", _("aanbod geaccepteerd")
    DECLINED = "declined", _("aanbod afgewezen door student")
    REJECTED = "rejected", _("afgewezen door leerbedrijf")
    WITHDRAWN = "withdrawn", _("ingetrokken door student")
    CLOSED = "closed", _("gesloten (vacature vervuld of erkenning ingetrokken)")


class RejectionReason(models.TextChoices):
    """Why a company refuses a candidate. Stored for analysis (insight), never shown to the
    student as a code: the student sees a neutral sentence."""

    QUALIFICATION = "qualification", _("opleiding of niveau sluit niet aan")
    COMPETENCES = "competences", _("competenties of ervaring sluiten niet aan")
    AVAILABILITY = "availability", _("beschikbaarheid of periode past niet")
    DISTANCE = "distance", _("reisafstand of bereikbaarheid")
    LANGUAGE = "language", _("taalvaardigheid voor het werk")
    CAPACITY = "capacity", _("plaatsen al vervuld")
    OTHER_CANDIDATE = "other_candidate", _("andere kandidaat gekozen")
    NO_RESPONSE = "no_response", _("student reageerde niet")
    OTHER = "other", _("andere reden")


class CloseReason(models.TextChoices):
    VACANCY_FILLED = "vacancy_filled", _("vacature vervuld")
    VACANCY_WITHDRAWN = "vacancy_withdrawn", _("vacature ingetrokken")
    RECOGNITION_REVOKED = "recognition_revoked", _("erkenning van het leerbedrijf ingetrokken")
    PLACED_ELSEWHERE = "placed_elsewhere", _("student elders geplaatst")


S = ApplicationStatus

ALLOWED_TRANSITIONS: dict[ApplicationStatus | None, frozenset[ApplicationStatus]] = {
    None: frozenset({S.SENT}),
    S.SENT: frozenset({S.SEEN, S.INVITED, S.REJECTED, S.WITHDRAWN, S.CLOSED}),
    S.SEEN: frozenset({S.INVITED, S.REJECTED, S.WITHDRAWN, S.CLOSED}),
    S.INVITED: frozenset({S.OFFERED, S.REJECTED, S.WITHDRAWN, S.CLOSED}),
    S.OFFERED: frozenset({S.ACCEPTED, S.DECLINED, S.WITHDRAWN, S.CLOSED}),
    S.ACCEPTED: frozenset(),
    S.DECLINED: frozenset(),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.CLOSED: frozenset(),
}

OPEN: frozenset[ApplicationStatus] = frozenset({S.SENT, S.SEEN, S.INVITED, S.OFFERED})
# Before invitation the company sees only the anonymised application.
IDENTITY_REVEALED: frozenset[ApplicationStatus] = frozenset(
    {S.INVITED, S.OFFERED, S.ACCEPTED, S.DECLINED}
)


class TransitionNotAllowed(Exception):
    def __init__(self, current: ApplicationStatus | None, target: ApplicationStatus) -> None:
        self.current, self.target = current, target
        label = current.label if current else _("nieuw")
        super().__init__(
            _("Een sollicitatie met status '%(current)s' kan niet naar '%(target)s'.")
            % {"current": label, "target": target.label}
        )


def check_transition(current: ApplicationStatus | None, target: ApplicationStatus) -> None:
    if target not in ALLOWED_TRANSITIONS.get(current, frozenset()):
        raise TransitionNotAllowed(current, target)
