"""The expert team (deskundig team): requests from schools and companies, advice, follow-up.

Every change of state goes through the transition table in support/workflow.py, leaves a
history row and an audit row in the same transaction; the requester hears of advice by mail
(outbox, after commit).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.notifications.services import enqueue_mail
from stagekans.support.models import (
    EntryKind,
    RequesterKind,
    SupportEntry,
    SupportRequest,
    SupportRequestStatusChange,
    SupportTopic,
    Urgency,
)
from stagekans.support.workflow import SupportRequestStatus, check_transition

MAX_TEXT = 5_000


def requester_of(user: Any) -> tuple[str, Any] | None:
    """(kind, school or company) the user asks on behalf of, or None."""
    if user is None or not user.has_perm("support.request_support"):
        return None
    staff = getattr(user, "school_staff", None)
    if staff is not None:
        return RequesterKind.SCHOOL.value, staff.school
    trainer = getattr(user, "trainer", None)
    if trainer is not None:
        return RequesterKind.COMPANY.value, trainer.company
    return None


def _clean_body(body: str, label: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("%(label)s: schrijf een tekst.") % {"label": label}})
    if len(body) > MAX_TEXT:
        raise ValidationError(
            {
                "body": _("%(label)s: gebruik hoogstens %(max)d tekens.")
                % {"label": label, "max": MAX_TEXT}
            }
        )
    return body


@transaction.atomic
def submit_support_request(
    *, acting_user: Any, topic: str, urgency: str, description: str
) -> SupportRequest:
    """A school or company asks for support. Raises ValidationError (Dutch, per field)."""
    requester = requester_of(acting_user)
    if requester is None:
        raise PermissionDenied(
            _("Alleen scholen en leerbedrijven vragen het deskundig team om hulp.")
        )
    kind, party = requester
    description = (description or "").strip()
    errors: dict[str, list[str]] = {}
    if topic not in SupportTopic.values:
        errors["topic"] = [_("Onderwerp: kies een onderwerp.")]
    if urgency not in Urgency.values:
        errors["urgency"] = [_("Urgentie: kies hoe snel je hulp nodig hebt.")]
    if not description:
        errors["description"] = [_("Omschrijving: beschrijf kort je vraag.")]
    elif len(description) > MAX_TEXT:
        errors["description"] = [
            _("Omschrijving: gebruik hoogstens %(max)d tekens (nu %(n)d).")
            % {"max": MAX_TEXT, "n": len(description)}
        ]
    if errors:
        raise ValidationError(errors)
    check_transition(None, SupportRequestStatus.NEW)
    request = SupportRequest.objects.create(
        requester=acting_user,
        requester_kind=kind,
        school=party if kind == RequesterKind.SCHOOL else None,
        company=party if kind == RequesterKind.COMPANY else None,
        topic=topic,
        urgency=urgency,
        description=description,
        status=SupportRequestStatus.NEW,
        created_at=timezone.now(),
    )
    SupportRequestStatusChange.objects.create(
        request=request, from_status="", to_status=SupportRequestStatus.NEW, actor=acting_user
    )
    record(
        actor=acting_user,
        event=AuditEvent.SUPPORT_REQUEST_SUBMITTED,
        obj=request,
        details={"kind": kind, "topic": topic, "urgency": urgency},
    )
    return request


def _require_team(acting_user: Any) -> None:
    if acting_user is None or not acting_user.has_perm("support.handle_support_request"):
        raise PermissionDenied(_("Alleen het deskundig team behandelt hulpvragen."))


def _transition(
    *, acting_user: Any, request: SupportRequest, target: SupportRequestStatus, **updates: Any
) -> SupportRequest:
    current = SupportRequestStatus(request.status)
    check_transition(current, target)
    for field, value in updates.items():
        setattr(request, field, value)
    request.status = target
    request.save()
    SupportRequestStatusChange.objects.create(
        request=request, from_status=current, to_status=target, actor=acting_user
    )
    record(
        actor=acting_user,
        event=AuditEvent.SUPPORT_REQUEST_STATUS_CHANGED,
        obj=request,
        details={"from": current.value, "to": target.value},
    )
    return request


def _locked(request: SupportRequest) -> SupportRequest:
    return SupportRequest.objects.select_for_update().get(pk=request.pk)


def _require_assignee(acting_user: Any, request: SupportRequest) -> None:
    if request.assigned_to_id != acting_user.pk:
        raise ValidationError(
            _("Deze hulpvraag is opgepakt door een collega; alleen die legt advies vast.")
        )


@transaction.atomic
def take_request(*, acting_user: Any, request: SupportRequest) -> SupportRequest:
    """A team member takes a new request: it becomes theirs (two at once: one wins)."""
    _require_team(acting_user)
    locked = _locked(request)
    return _transition(
        acting_user=acting_user,
        request=locked,
        target=SupportRequestStatus.TAKEN,
        assigned_to=acting_user,
        taken_at=timezone.now(),
    )


def _log_entry(
    *, acting_user: Any, request: SupportRequest, kind: EntryKind, body: str
) -> SupportEntry:
    entry = SupportEntry.objects.create(request=request, kind=kind, body=body, author=acting_user)
    record(
        actor=acting_user,
        event=AuditEvent.SUPPORT_ENTRY_LOGGED,
        obj=request,
        details={"kind": kind.value, "entry": entry.pk},
    )
    email = request.requester.email if request.requester is not None else ""
    if email:
        enqueue_mail(
            to=email,
            subject=_("Het deskundig team heeft gereageerd op je hulpvraag"),
            body=_(
                "Het deskundig team heeft %(what)s vastgelegd bij je hulpvraag (%(topic)s).\n"
                "Lees het op %(url)s.\n\nDeskundig team gelijke kansen in stages"
            )
            % {
                "what": kind.label.lower(),
                "topic": request.get_topic_display(),
                "url": f"{settings.SITE_URL}/steun/hulpvragen/{request.pk}/",
            },
            dedup_key=f"support:entry:{entry.pk}",
        )
    return entry


@transaction.atomic
def give_advice(*, acting_user: Any, request: SupportRequest, body: str) -> SupportEntry:
    """Log advice. The first advice moves the request to 'advice given' and is its first
    response (the time the adviescommissie's overview measures)."""
    _require_team(acting_user)
    body = _clean_body(body, _("Advies"))
    locked = _locked(request)
    _require_assignee(acting_user, locked)
    if locked.status == SupportRequestStatus.TAKEN:
        _transition(
            acting_user=acting_user,
            request=locked,
            target=SupportRequestStatus.ADVICE_GIVEN,
            first_response_at=timezone.now(),
        )
    elif locked.status != SupportRequestStatus.ADVICE_GIVEN:
        check_transition(SupportRequestStatus(locked.status), SupportRequestStatus.ADVICE_GIVEN)
    return _log_entry(acting_user=acting_user, request=locked, kind=EntryKind.ADVICE, body=body)


@transaction.atomic
def log_follow_up(*, acting_user: Any, request: SupportRequest, body: str) -> SupportEntry:
    """Log follow-up after advice (a call, a visit, a next step); the state stays."""
    _require_team(acting_user)
    body = _clean_body(body, _("Opvolging"))
    locked = _locked(request)
    _require_assignee(acting_user, locked)
    if locked.status != SupportRequestStatus.ADVICE_GIVEN:
        raise ValidationError(
            _("Opvolging leg je vast nadat je advies hebt gegeven en voordat je afsluit.")
        )
    return _log_entry(acting_user=acting_user, request=locked, kind=EntryKind.FOLLOW_UP, body=body)


@transaction.atomic
def close_request(*, acting_user: Any, request: SupportRequest) -> SupportRequest:
    _require_team(acting_user)
    locked = _locked(request)
    _require_assignee(acting_user, locked)
    return _transition(
        acting_user=acting_user,
        request=locked,
        target=SupportRequestStatus.CLOSED,
        closed_at=timezone.now(),
    )
