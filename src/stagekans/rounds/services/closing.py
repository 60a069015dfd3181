"""After publication: closing a round, the follow-up round, and a revocation during a round."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from stagekans.audit import services as audit
from stagekans.audit.models import AuditEvent
from stagekans.rounds.models import Assignment, MatchingRound, Participant, Place
from stagekans.rounds.services.common import locked, move, require_school_staff
from stagekans.rounds.services.setup import create_round
from stagekans.rounds.workflow import LIVE, Response, RoundStatus

CARRIED_FIELDS = (
    "student_id",
    "priority_class",
    "support_needs",
    "support_features",
    "competences",
    "motivation",
    "availability",
)
PLACE_FIELDS = (
    "company_id",
    "location_id",
    "qualification_id",
    "vacancy_id",
    "source",
    "title",
    "capacity",
    "features",
)


def close_round(*, acting_user: Any, round_: MatchingRound) -> int:
    """Published → closed: proposals without an answer expire. Returns how many expired."""
    require_school_staff(acting_user, round_)
    with transaction.atomic():
        round_ = locked(round_)
        move(acting_user, round_, RoundStatus.CLOSED)
        round_.closed_at = timezone.now()
        round_.save(update_fields=["closed_at"])
        pending = Assignment.objects.filter(run_id=round_.current_run_id, place__isnull=False)
        expired = pending.filter(student_response=Response.PENDING).update(
            student_response=Response.EXPIRED
        )
        expired += pending.filter(company_response=Response.PENDING).update(
            company_response=Response.EXPIRED
        )
        audit.record(
            actor=acting_user,
            event=AuditEvent.ROUND_CLOSED,
            obj=round_,
            details={"expired": expired},
        )
    return expired


def create_follow_up_round(
    *,
    acting_user: Any,
    round_: MatchingRound,
    name: str,
    preference_deadline: dt.date,
    review_deadline: dt.date,
    publication_date: dt.date,
    acceptance_deadline: dt.date,
    seed: int | None = None,
) -> MatchingRound:
    """A new draft round with the same settings for everyone not placed in `round_` (unplaced,
    declined, expired, withdrawn) and the capacity left at its places."""
    require_school_staff(acting_user, round_)
    if round_.status != RoundStatus.CLOSED:
        raise ValidationError(_("Een vervolgronde kan pas als deze ronde gesloten is."))
    with transaction.atomic():
        follow_up = create_round(
            acting_user=acting_user,
            school=round_.school,
            name=name,
            programmes=list(round_.programmes.all()),
            cohort=round_.cohort,
            period_start=round_.period_start,
            period_end=round_.period_end,
            strategy=round_.strategy,
            proposing_side=round_.proposing_side,
            tie_breaking=round_.tie_breaking,
            seed=seed,
            max_distance_km=round_.max_distance_km,
            max_choices=round_.max_choices,
            priority_classes=round_.priority_classes,
            favour_support_needs=round_.favour_support_needs,
            preference_deadline=preference_deadline,
            review_deadline=review_deadline,
            publication_date=publication_date,
            acceptance_deadline=acceptance_deadline,
            parent=round_,
        )
        placed = Assignment.objects.filter(run_id=round_.current_run_id, placement__isnull=False)
        carried = (
            Participant.objects.filter(round=round_)
            .exclude(pk__in=placed.values("participant_id"))
            .values(*CARRIED_FIELDS)
        )
        Participant.objects.bulk_create(
            [Participant(round=follow_up, **row) for row in carried], batch_size=5000
        )
        remaining = (
            Place.objects.filter(round=round_, active=True)
            .annotate(taken=Count("assignments", filter=Q(assignments__in=placed)))
            .values(*PLACE_FIELDS, "taken")
        )
        new_places = []
        for row in remaining:
            taken = row.pop("taken")
            row["capacity"] -= taken
            if row["capacity"] > 0:
                new_places.append(Place(round=follow_up, **row))
        Place.objects.bulk_create(new_places, batch_size=5000)
        audit.record(
            actor=acting_user,
            event=AuditEvent.ROUND_FOLLOW_UP_CREATED,
            obj=follow_up,
            details={"parent": round_.pk},
        )
    return follow_up


def remove_places_of_revoked(*, recognition: Any, acting_user: Any) -> int:
    """A revocation removes the company's places for that qualification from every live round
    at once; open proposals there are withdrawn (those students roll into the follow-up)."""
    places = Place.objects.select_for_update().filter(
        company_id=recognition.company_id,
        qualification_id=recognition.qualification_id,
        active=True,
        round__status__in=list(LIVE),
    )
    removed = 0
    now = timezone.now()
    for place in places:
        place.active = False
        place.removed_at = now
        place.removed_reason = _("erkenning ingetrokken")
        place.save(update_fields=["active", "removed_at", "removed_reason"])
        Assignment.objects.filter(
            place=place, run__round__current_run=F("run_id"), placement__isnull=True
        ).update(student_response=Response.WITHDRAWN, company_response=Response.WITHDRAWN)
        audit.record(
            actor=acting_user,
            event=AuditEvent.ROUND_PLACE_REMOVED,
            obj=place,
            details={"recognition": recognition.pk, "round": place.round_id},
        )
        removed += 1
    return removed
