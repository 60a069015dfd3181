"""Helpers shared by the round services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from stagekans.audit import services as audit
from stagekans.audit.models import AuditEvent
from stagekans.rounds.models import MatchingRound
from stagekans.rounds.workflow import RoundStatus, TransitionNotAllowed, check_transition


def today() -> dt.date:
    return timezone.localdate()


def require_school_staff(acting_user: Any, round_: MatchingRound) -> None:
    """Only the school's own staff with the permission manage its rounds."""
    staff = getattr(acting_user, "school_staff", None)
    if (
        not acting_user.has_perm("rounds.manage_round")
        or staff is None
        or staff.school_id != round_.school_id
    ):
        raise PermissionDenied(_("U beheert alleen matchingrondes van uw eigen school."))


def move(acting_user: Any, round_: MatchingRound, target: RoundStatus, **details: Any) -> None:
    """Change the status of a locked round (caller holds select_for_update) and audit it."""
    current = RoundStatus(round_.status)
    try:
        check_transition(current, target)
    except TransitionNotAllowed as error:
        raise ValidationError(str(error)) from error
    round_.status = target
    round_.save(update_fields=["status"])
    audit.record(
        actor=acting_user,
        event=AuditEvent.ROUND_STATUS_CHANGED,
        obj=round_,
        details={"from": current.value, "to": target.value, **details},
    )


def locked(round_: MatchingRound) -> MatchingRound:
    return MatchingRound.objects.select_for_update().get(pk=round_.pk)
