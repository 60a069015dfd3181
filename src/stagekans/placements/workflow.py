"""The placement life cycle as data: states and the only transitions allowed between them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlacementSource(models.TextChoices):
    APPLICATION = "application", _("sollicitatie via de Stagemarkt")
    SCHOOL = "school", _("direct geplaatst door de school")
    ROUND = "round", _("matchingronde")


class PlacementStatus(models.TextChoices):
    PLANNED = "planned", _("gepland (overeenkomst nog niet getekend)")
    ACTIVE = "active", _("lopend (overeenkomst getekend)")
    ENDED = "ended", _("afgerond")
    CANCELLED = "cancelled", _("beëindigd")


S = PlacementStatus

ALLOWED_TRANSITIONS: dict[PlacementStatus | None, frozenset[PlacementStatus]] = {
    None: frozenset({S.PLANNED}),
    S.PLANNED: frozenset({S.ACTIVE, S.CANCELLED}),
    S.ACTIVE: frozenset({S.ENDED, S.CANCELLED}),
    S.ENDED: frozenset(),
    S.CANCELLED: frozenset(),
}

RUNNING: frozenset[PlacementStatus] = frozenset({S.PLANNED, S.ACTIVE})


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("concept")
    SIGNING = "signing", _("ter ondertekening")
    ACTIVE = "active", _("getekend en geldig")
    SUPERSEDED = "superseded", _("vervangen door een nieuwere versie")
    WITHDRAWN = "withdrawn", _("vervallen")


class SigningParty(models.TextChoices):
    STUDENT = "student", _("student")
    COMPANY = "company", _("leerbedrijf")
    SCHOOL = "school", _("school")
    GUARDIAN = "guardian", _("ouder of voogd")


class TransitionNotAllowed(Exception):
    def __init__(self, current: PlacementStatus | None, target: PlacementStatus) -> None:
        self.current, self.target = current, target
        label = current.label if current else _("nieuw")
        super().__init__(
            _("Een stage met status '%(current)s' kan niet naar '%(target)s'.")
            % {"current": label, "target": target.label}
        )


def check_transition(current: PlacementStatus | None, target: PlacementStatus) -> None:
    if target not in ALLOWED_TRANSITIONS.get(current, frozenset()):
        raise TransitionNotAllowed(current, target)


A = AgreementStatus

# One POK version's life: a draft is sent for signing (then never edited), becomes active when
# every required party signed, and is superseded only when a later version is fully signed.
# A draft or a version out for signing can be withdrawn (it lapses; it stays readable).
AGREEMENT_TRANSITIONS: dict[AgreementStatus, frozenset[AgreementStatus]] = {
    A.DRAFT: frozenset({A.SIGNING, A.WITHDRAWN}),
    A.SIGNING: frozenset({A.ACTIVE, A.WITHDRAWN}),
    A.ACTIVE: frozenset({A.SUPERSEDED}),
    A.SUPERSEDED: frozenset(),
    A.WITHDRAWN: frozenset(),
}

# Versions that are still "open": at most one per placement (a draft or one out for signing).
OPEN_AGREEMENT: frozenset[AgreementStatus] = frozenset({A.DRAFT, A.SIGNING})


class AgreementTransitionNotAllowed(Exception):
    def __init__(self, current: AgreementStatus, target: AgreementStatus) -> None:
        self.current, self.target = current, target
        super().__init__(
            _("Een praktijkovereenkomst met status '%(current)s' kan niet naar '%(target)s'.")
            % {"current": current.label, "target": target.label}
        )


def check_agreement_transition(current: AgreementStatus, target: AgreementStatus) -> None:
    if target not in AGREEMENT_TRANSITIONS.get(current, frozenset()):
        raise AgreementTransitionNotAllowed(current, target)


class ContactKind(models.TextChoices):
    ON_SITE = "on_site", _("bezoek op locatie")
    ONLINE = "online", _("online gesprek")
    PHONE = "phone", _("telefonisch")


class EvaluationParty(models.TextChoices):
    STUDENT = "student", _("student")
    COMPANY = "company", _("leerbedrijf")
    SCHOOL = "school", _("school")
