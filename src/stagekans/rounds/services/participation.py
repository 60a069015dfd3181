"""What students and companies do in a round: profile and ranking, review, accept or decline."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stagekans.applications.workflow import RejectionReason
from stagekans.audit import services as audit
from stagekans.audit.models import AuditEvent
from stagekans.core.anonymity import Identity, find_identity
from stagekans.placements.services.creation import create_placement
from stagekans.placements.workflow import PlacementSource
from stagekans.rounds import selectors
from stagekans.rounds.models import (
    Assignment,
    MatchingRound,
    Participant,
    Place,
    Preference,
    Review,
)
from stagekans.rounds.services.common import today
from stagekans.rounds.workflow import PREFERENCES_OPEN, REVIEW_OPEN, Response, RoundStatus
from stagekans.stagemarkt.models import ALL_FEATURES


def _own_participant(acting_user: Any, participant: Participant) -> None:
    """The student themself, or a coordinator of the round's school acting on their behalf
    (a student without an account hands in a paper form or answers by phone); audited as the
    coordinator."""
    if (
        acting_user.has_perm("rounds.take_part_in_round")
        and participant.student.user_id == acting_user.pk
    ):
        return
    staff = getattr(acting_user, "school_staff", None)
    if (
        acting_user.has_perm("rounds.manage_round")
        and staff is not None
        and staff.school_id == participant.round.school_id
    ):
        return
    raise PermissionDenied(_("Dit is niet uw deelname."))


def _own_company_place(acting_user: Any, place: Place) -> None:
    trainer = getattr(acting_user, "trainer", None)
    if (
        not acting_user.has_perm("rounds.review_round_candidates")
        or trainer is None
        or trainer.company_id != place.company_id
    ):
        raise PermissionDenied(_("Deze plaats is niet van uw leerbedrijf."))


def save_profile(
    *,
    acting_user: Any,
    participant: Participant,
    competences: str,
    motivation: str,
    availability: str,
    support_needs: str,
    support_features: int,
) -> None:
    """The texts companies read anonymised (checked for the student's own name, e-mail and
    phone) and the private support needs only the coordinator reads."""
    _own_participant(acting_user, participant)
    student = participant.student
    user = student.user
    identity = Identity(
        names=(f"{student.given_name} {student.family_name}", student.family_name),
        emails=tuple(e for e in (getattr(user, "email", ""),) if e),
    )
    errors: dict[str, list[str]] = {}
    for field, label, text in (
        ("competences", _("Competenties en ervaring"), competences),
        ("motivation", _("Motivatie"), motivation),
        ("availability", _("Beschikbaarheid"), availability),
    ):
        hit = find_identity(text, [identity])
        if hit is not None:
            errors[field] = [
                _(
                    "%(label)s: “%(fragment)s” lijkt je naam of contactgegeven. Leerbedrijven "
                    "zien je profiel zonder naam; haal het eruit."
                )
                % {"label": label, "fragment": hit.fragment}
            ]
    if not 0 <= support_features <= ALL_FEATURES:
        errors["support_features"] = [_("Kies bestaande inclusiviteitskenmerken.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        round_ = MatchingRound.objects.select_for_update().get(pk=participant.round_id)
        if round_.status not in PREFERENCES_OPEN:
            raise ValidationError(_("De ronde is niet (meer) open voor voorkeuren."))
        Participant.objects.filter(pk=participant.pk).update(
            competences=competences.strip(),
            motivation=motivation.strip(),
            availability=availability.strip(),
            support_needs=support_needs.strip(),
            support_features=support_features,
        )
        audit.record(
            actor=acting_user,
            event=AuditEvent.ROUND_PROFILE_SAVED,
            obj=participant,
            details={"support_needs_stated": bool(support_needs.strip())},
        )


def save_preferences(
    *, acting_user: Any, participant: Participant, place_ids: Sequence[int]
) -> None:
    """Replace the student's ranking with `place_ids`, best first: only eligible places, no
    duplicates, at most the round's maximum, before the deadline. All or nothing."""
    _own_participant(acting_user, participant)
    with transaction.atomic():
        round_ = MatchingRound.objects.select_for_update().get(pk=participant.round_id)
        if round_.status not in PREFERENCES_OPEN:
            raise ValidationError(_("De ronde is niet (meer) open voor voorkeuren."))
        if today() > round_.preference_deadline:
            raise ValidationError(
                _("De termijn voor voorkeuren is verstreken (%(date)s).")
                % {"date": round_.preference_deadline.strftime("%d-%m-%Y")}
            )
        if len(place_ids) != len(set(place_ids)):
            raise ValidationError(_("Je hebt een plaats twee keer gekozen."))
        if len(place_ids) > round_.max_choices:
            raise ValidationError(
                _("Je mag hoogstens %(n)s plaatsen kiezen.") % {"n": round_.max_choices}
            )
        eligible = {row.place.pk for row in selectors.eligible_places(participant)}
        if any(pk not in eligible for pk in place_ids):
            raise ValidationError(_("Je kunt alleen plaatsen kiezen die bij je opleiding passen."))
        Preference.objects.filter(participant=participant).delete()
        Preference.objects.bulk_create(
            [
                Preference(participant=participant, place_id=pk, rank=rank)
                for rank, pk in enumerate(place_ids, start=1)
            ]
        )
        Participant.objects.filter(pk=participant.pk).update(
            preferences_submitted_at=timezone.now()
        )
        audit.record(
            actor=acting_user,
            event=AuditEvent.ROUND_PREFERENCES_SAVED,
            obj=participant,
            details={"count": len(place_ids)},
        )


def review_candidate(
    *,
    acting_user: Any,
    place: Place,
    participant: Participant,
    acceptable: bool,
    reason: str = "",
    company_rank: int | None = None,
) -> Review:
    """A company marks an anonymised candidate who ranked its place acceptable or not; every
    refusal carries a reason category."""
    _own_company_place(acting_user, place)
    if not acceptable and reason not in RejectionReason.values:
        raise ValidationError({"reason": _("Kies een reden voor elke afwijzing.")})
    if acceptable:
        reason = ""
    if company_rank is not None and not 1 <= company_rank <= 30000:
        raise ValidationError({"company_rank": _("De rangorde is een getal vanaf 1.")})
    with transaction.atomic():
        round_ = MatchingRound.objects.select_for_update().get(pk=place.round_id)
        if round_.status not in REVIEW_OPEN:
            raise ValidationError(_("Beoordelen kan niet meer: de matching is al gestart."))
        if today() > round_.review_deadline:
            raise ValidationError(
                _("De termijn voor beoordeling is verstreken (%(date)s).")
                % {"date": round_.review_deadline.strftime("%d-%m-%Y")}
            )
        if not Preference.objects.filter(participant=participant, place=place).exists():
            raise ValidationError(_("Deze kandidaat heeft uw plaats niet gekozen."))
        review, _created = Review.objects.update_or_create(
            place=place,
            participant=participant,
            defaults={
                "acceptable": acceptable,
                "reason": reason,
                "company_rank": company_rank,
                "reviewed_by": acting_user,
            },
        )
        audit.record(
            actor=acting_user,
            event=AuditEvent.ROUND_CANDIDATE_REVIEWED,
            obj=review,
            details={"acceptable": acceptable, "reason": reason, "place": place.pk},
        )
    return review


def _check_response_window(round_: MatchingRound, assignment: Assignment) -> None:
    if round_.status != RoundStatus.PUBLISHED or round_.current_run_id != assignment.run_id:
        raise ValidationError(_("Op dit voorstel kan niet (meer) worden gereageerd."))
    if today() > round_.acceptance_deadline:
        raise ValidationError(
            _("De termijn om te reageren is verstreken (%(date)s).")
            % {"date": round_.acceptance_deadline.strftime("%d-%m-%Y")}
        )
    if assignment.place_id is None:
        raise ValidationError(_("Er is geen plaats voorgesteld."))


def _maybe_place(acting_user: Any, assignment: Assignment, round_: MatchingRound) -> None:
    if (
        assignment.student_response == Response.ACCEPTED
        and assignment.company_response == Response.ACCEPTED
        and assignment.placement_id is None
    ):
        place = assignment.place
        assert place is not None
        placement = create_placement(
            acting_user=acting_user,
            student=assignment.participant.student,
            location=place.location,
            start_date=round_.period_start,
            end_date=round_.period_end,
            source=PlacementSource.ROUND,
        )
        assignment.placement = placement
        assignment.save(update_fields=["placement"])


def respond_as_student(*, acting_user: Any, assignment: Assignment, accept: bool) -> Assignment:
    _own_participant(acting_user, assignment.participant)
    with transaction.atomic():
        round_ = MatchingRound.objects.select_for_update().get(pk=assignment.run.round_id)
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        _check_response_window(round_, assignment)
        if assignment.student_response != Response.PENDING:
            raise ValidationError(_("Je hebt al gereageerd op dit voorstel."))
        assignment.student_response = Response.ACCEPTED if accept else Response.DECLINED
        assignment.responded_at = timezone.now()
        assignment.save(update_fields=["student_response", "responded_at"])
        audit.record(
            actor=acting_user,
            event=AuditEvent.ROUND_RESPONSE,
            obj=assignment,
            details={"side": "student", "accept": accept},
        )
        _maybe_place(acting_user, assignment, round_)
    return assignment


def respond_as_company(
    *, acting_user: Any, assignment: Assignment, accept: bool, reason: str = ""
) -> Assignment:
    place = assignment.place
    if place is None:
        raise ValidationError(_("Er is geen plaats voorgesteld."))
    _own_company_place(acting_user, place)
    if not accept and reason not in RejectionReason.values:
        raise ValidationError({"reason": _("Kies een reden voor elke afwijzing.")})
    with transaction.atomic():
        round_ = MatchingRound.objects.select_for_update().get(pk=assignment.run.round_id)
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        _check_response_window(round_, assignment)
        if assignment.company_response != Response.PENDING:
            raise ValidationError(_("U hebt al gereageerd op dit voorstel."))
        assignment.company_response = Response.ACCEPTED if accept else Response.DECLINED
        assignment.company_decline_reason = "" if accept else reason
        assignment.responded_at = timezone.now()
        assignment.save(
            update_fields=["company_response", "company_decline_reason", "responded_at"]
        )
        audit.record(
            actor=acting_user,
            event=AuditEvent.ROUND_RESPONSE,
            obj=assignment,
            details={"side": "company", "accept": accept, "reason": reason if not accept else ""},
        )
        _maybe_place(acting_user, assignment, round_)
    return assignment
