"""The two life cycles of this domain as data: the enrolment request and the version of a
cooperation agreement. Only keuzedelen.services change a status, through `check_*`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class EnrolmentStatus(models.TextChoices):
    SUBMITTED = "submitted", _("aangevraagd, wacht op de eigen school")
    HOME_APPROVED = "home_approved", _("goedgekeurd door de eigen school, wacht op de gastschool")
    ACCEPTED = "accepted", _("geplaatst")
    COMPLETED = "completed", _("afgerond (resultaat vastgelegd)")
    REFUSED = "refused", _("geweigerd")
    WITHDRAWN = "withdrawn", _("ingetrokken")


class RefusalReason(models.TextChoices):
    """Why a request was refused: a failed check (same codes as checks.Check) or a decision."""

    AGREEMENT = "agreement", _("geen geldige samenwerkingsovereenkomst")
    ENTRY = "entry", _("voldoet niet aan de toelatingseisen")
    CAPACITY = "capacity", _("geen plaats meer")
    TIMETABLE = "timetable", _("botst met het rooster van de eigen opleiding")
    PLACEMENT = "placement", _("botst met de stagedagen")
    TRAVEL = "travel", _("reistijd te lang")
    UNDER_18 = "under_18", _("leerplicht: jonger dan 18 en de dag is niet vrij")
    STUDY_PROGRESS = "study_progress", _("studievoortgang laat het niet toe")
    OTHER = "other", _("andere reden")


class Side(models.TextChoices):
    CHECKS = "checks", _("automatische controle")
    HOME = "home", _("eigen school")
    HOST = "host", _("gastschool")
    STUDENT = "student", _("student")


E = EnrolmentStatus

ENROLMENT_TRANSITIONS: dict[EnrolmentStatus | None, frozenset[EnrolmentStatus]] = {
    # A new request is refused at once when a blocking check fails.
    None: frozenset({E.SUBMITTED, E.REFUSED}),
    E.SUBMITTED: frozenset({E.HOME_APPROVED, E.REFUSED, E.WITHDRAWN}),
    E.HOME_APPROVED: frozenset({E.ACCEPTED, E.REFUSED, E.WITHDRAWN}),
    E.ACCEPTED: frozenset({E.COMPLETED, E.WITHDRAWN}),
    E.COMPLETED: frozenset(),
    E.REFUSED: frozenset(),
    E.WITHDRAWN: frozenset(),
}

OPEN_ENROLMENT: frozenset[EnrolmentStatus] = frozenset({E.SUBMITTED, E.HOME_APPROVED})
# Takes a place of the offering (counted against its capacity).
HOLDS_PLACE: frozenset[EnrolmentStatus] = frozenset({E.ACCEPTED, E.COMPLETED})
# Attendance is recorded while placed.
ATTENDING: frozenset[EnrolmentStatus] = frozenset({E.ACCEPTED})


class VersionStatus(models.TextChoices):
    SIGNING = "signing", _("ter ondertekening")
    ACTIVE = "active", _("getekend en geldig")
    SUPERSEDED = "superseded", _("vervangen door een nieuwere versie")
    WITHDRAWN = "withdrawn", _("ingetrokken voor ondertekening")


V = VersionStatus

VERSION_TRANSITIONS: dict[VersionStatus | None, frozenset[VersionStatus]] = {
    None: frozenset({V.SIGNING}),
    V.SIGNING: frozenset({V.ACTIVE, V.WITHDRAWN}),
    V.ACTIVE: frozenset({V.SUPERSEDED}),
    V.SUPERSEDED: frozenset(),
    V.WITHDRAWN: frozenset(),
}


class Examiner(models.TextChoices):
    EACH_OWN = "each_own", _("elke instelling examineert de eigen studenten")
    HOST = "host", _("de gastinstelling examineert")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("aanwezig")
    ABSENT = "absent", _("afwezig")
    EXCUSED = "excused", _("afgemeld met geldige reden")


class Result(models.TextChoices):
    PASSED = "passed", _("behaald")
    FAILED = "failed", _("niet behaald")


class TransitionNotAllowed(ValidationError):
    def __init__(self, what: str, current_label: str, target_label: str) -> None:
        super().__init__(
            _("%(what)s met status '%(current)s' kan niet naar '%(target)s'.")
            % {"what": what, "current": current_label, "target": target_label}
        )


def check_enrolment(current: EnrolmentStatus | None, target: EnrolmentStatus) -> None:
    if target not in ENROLMENT_TRANSITIONS.get(current, frozenset()):
        raise TransitionNotAllowed(
            str(_("Een aanvraag")),
            str(current.label) if current else str(_("nieuw")),
            str(target.label),
        )


def check_version(current: VersionStatus | None, target: VersionStatus) -> None:
    if target not in VERSION_TRANSITIONS.get(current, frozenset()):
        raise TransitionNotAllowed(
            str(_("Een versie van de samenwerkingsovereenkomst")),
            str(current.label) if current else str(_("nieuw")),
            str(target.label),
        )
