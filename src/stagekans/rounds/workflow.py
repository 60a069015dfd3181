"""The life cycle of a matching round as data: states and the only transitions between them.

    draft → open (preferences) → review (companies) → running (trial or real run)
    running → review (a trial run finished) | proposal (the real run finished) | failed
    failed ("mislukt — opnieuw uitvoeren") → running;  proposal → running (run again) | published
    published → closed

Only rounds.services change a status (see docs/adr/1200-matching-rounds.md).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("concept")
    OPEN = "open", _("open voor voorkeuren")
    REVIEW = "review", _("beoordeling door leerbedrijven")
    RUNNING = "running", _("matching loopt")
    FAILED = "failed", _("mislukt — opnieuw uitvoeren")
    PROPOSAL = "proposal", _("voorstel klaar")
    PUBLISHED = "published", _("gepubliceerd")
    CLOSED = "closed", _("gesloten")


class Strategy(models.TextChoices):
    """Recorded per round so the pilot can compare outcomes per strategy."""

    SCHOOL_PLACES = "school_places", _("school plaatst direct")
    CENTRAL = "central", _("centrale matching (uitgesteld accepteren)")
    OPEN_APPLICATION = "open_application", _("open sollicitatie via de Stagemarkt")


class ProposingSide(models.TextChoices):
    STUDENTS = "students", _("studenten doen voorstellen")
    COMPANIES = "companies", _("leerbedrijven doen voorstellen")


class TieBreaking(models.TextChoices):
    SINGLE = "stb", _("één loting voor alle plaatsen (STB)")
    MULTIPLE = "mtb", _("loting per plaats (MTB)")


class RunKind(models.TextChoices):
    TRIAL = "trial", _("proefronde")
    REAL = "real", _("echte ronde")


class RunState(models.TextChoices):
    QUEUED = "queued", _("in de wachtrij")
    RUNNING = "running", _("bezig")
    DONE = "done", _("klaar")
    FAILED = "failed", _("mislukt")


class PlaceSource(models.TextChoices):
    VACANCY = "vacancy", _("vacature op de Stagemarkt")
    NETWORK = "network", _("netwerk van de school")


class Response(models.TextChoices):
    PENDING = "pending", _("nog geen antwoord")
    ACCEPTED = "accepted", _("geaccepteerd")
    DECLINED = "declined", _("afgewezen")
    EXPIRED = "expired", _("geen antwoord voor de termijn")
    WITHDRAWN = "withdrawn", _("vervallen (erkenning ingetrokken)")


S = RoundStatus

ALLOWED_TRANSITIONS: dict[RoundStatus | None, frozenset[RoundStatus]] = {
    None: frozenset({S.DRAFT}),
    S.DRAFT: frozenset({S.OPEN}),
    S.OPEN: frozenset({S.REVIEW}),
    S.REVIEW: frozenset({S.RUNNING}),
    S.RUNNING: frozenset({S.REVIEW, S.PROPOSAL, S.FAILED}),
    S.FAILED: frozenset({S.RUNNING}),
    S.PROPOSAL: frozenset({S.RUNNING, S.PUBLISHED}),
    S.PUBLISHED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}

# A round in these states still holds places; a revocation removes the company's places.
LIVE: frozenset[RoundStatus] = frozenset(set(RoundStatus) - {S.CLOSED})
# Students may change their ranking only while the round is open.
PREFERENCES_OPEN: frozenset[RoundStatus] = frozenset({S.OPEN})
# Companies review candidates while students rank and in the review phase.
REVIEW_OPEN: frozenset[RoundStatus] = frozenset({S.OPEN, S.REVIEW})
# A coordinator may start a run (trial or real) from these.
RUNNABLE: frozenset[RoundStatus] = frozenset({S.REVIEW, S.FAILED, S.PROPOSAL})


class TransitionNotAllowed(Exception):
    def __init__(self, current: RoundStatus | None, target: RoundStatus) -> None:
        self.current, self.target = current, target
        label = current.label if current else _("nieuw")
        super().__init__(
            _("Een matchingronde met status '%(current)s' kan niet naar '%(target)s'.")
            % {"current": label, "target": target.label}
        )


def check_transition(current: RoundStatus | None, target: RoundStatus) -> None:
    if target not in ALLOWED_TRANSITIONS.get(current, frozenset()):
        raise TransitionNotAllowed(current, target)
