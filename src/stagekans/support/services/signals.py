"""School signals: log, update, and — with the student's consent — turn into a meldpunt report.

The report goes through the meldpunt's own intake (`meldpunt.services.submit_report`), so it
gets a reference, a reply date, a confirmation and lands in the meldpunt's worklist like any
other. Nothing is retyped: the signal's text, date, grounds, phase and company become the
report. The student is named only when they consented to that; otherwise the report is filed
anonymously on their behalf, linked to the school only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.core.anonymity import Identity, find_identity
from stagekans.education.selectors import students_visible_to
from stagekans.meldpunt import services as meldpunt_services
from stagekans.meldpunt.models import FollowUp, Ground, Phase, Report, ReporterRole
from stagekans.support.models import (
    ConsentGivenBy,
    ConsentMethod,
    SchoolSignal,
    SignalConsent,
    SignalOutcome,
)

MAX_TEXT = 10_000


def _school_of(acting_user: Any) -> Any:
    if acting_user is None or not acting_user.has_perm("support.log_school_signal"):
        raise PermissionDenied(_("Alleen schoolmedewerkers leggen signalen vast."))
    staff = getattr(acting_user, "school_staff", None)
    if staff is None:
        raise PermissionDenied(_("Je bent niet aan een school gekoppeld."))
    return staff.school


def _check_text(errors: dict[str, list[str]], field: str, label: str, text: str) -> None:
    if len(text) > MAX_TEXT:
        errors.setdefault(field, []).append(
            _("%(label)s: gebruik hoogstens %(max)d tekens (nu %(n)d).")
            % {"label": label, "max": MAX_TEXT, "n": len(text)}
        )


def _check_conversation(
    errors: dict[str, list[str]],
    *,
    conversation: str,
    conversation_on: dt.date | None,
    outcome: str,
    observed_on: dt.date | None,
    today: dt.date,
) -> None:
    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    _check_text(errors, "conversation", _("Gesprek met het bedrijf"), conversation)
    if outcome not in SignalOutcome.values:
        add("outcome", _("Uitkomst: kies een van de mogelijkheden."))
    elif outcome != SignalOutcome.NO_CONVERSATION_YET and not conversation:
        add(
            "conversation",
            _("Gesprek met het bedrijf: beschrijf kort het gesprek dat tot deze uitkomst leidde."),
        )
    if conversation and conversation_on is None:
        add("conversation_on", _("Datum gesprek: vul in wanneer je het bedrijf sprak."))
    if conversation_on is not None:
        if conversation_on > today:
            add("conversation_on", _("Datum gesprek: de datum ligt in de toekomst."))
        elif observed_on is not None and conversation_on < observed_on:
            add("conversation_on", _("Datum gesprek: het gesprek kan niet vóór het voorval zijn."))


@transaction.atomic
def log_signal(
    *,
    acting_user: Any,
    company: Any,
    observed: str,
    observed_on: dt.date | None,
    grounds: Sequence[str],
    phase: str,
    student: Any = None,
    conversation: str = "",
    conversation_on: dt.date | None = None,
    outcome: str = SignalOutcome.NO_CONVERSATION_YET,
) -> SchoolSignal:
    """Record a signal for the acting staff member's own school. Raises ValidationError with
    Dutch messages per field; then nothing is stored."""
    school = _school_of(acting_user)
    observed, conversation = (observed or "").strip(), (conversation or "").strip()
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if company is None:
        add("company", _("Leerbedrijf: kies het leerbedrijf waar het signaal over gaat."))
    if not observed:
        add("observed", _("Wat is er gezien of gehoord: beschrijf kort wat er gebeurde."))
    _check_text(errors, "observed", _("Wat is er gezien of gehoord"), observed)
    if observed_on is None:
        add("observed_on", _("Wanneer: vul de datum in (ongeveer is goed)."))
    elif observed_on > today:
        add("observed_on", _("Wanneer: de datum ligt in de toekomst."))
    elif observed_on.year < 2000:
        add("observed_on", _("Wanneer: kies een datum na 1 januari 2000."))
    if not grounds:
        add("grounds", _("Discriminatiegrond: kies ten minste één grond."))
    elif any(g not in Ground.values for g in grounds):
        add("grounds", _("Discriminatiegrond: kies alleen gronden uit de lijst."))
    if phase not in Phase.values:
        add("phase", _("Fase: kies bij het zoeken of tijdens de stage."))
    if student is not None and not students_visible_to(acting_user).filter(pk=student.pk).exists():
        add("student", _("Student: deze student hoort niet bij jouw school."))
    _check_conversation(
        errors,
        conversation=conversation,
        conversation_on=conversation_on,
        outcome=outcome,
        observed_on=observed_on,
        today=today,
    )
    if errors:
        raise ValidationError(errors)
    signal = SchoolSignal.objects.create(
        school=school,
        company=company,
        student=student,
        logged_by=acting_user,
        observed=observed,
        observed_on=observed_on,  # type: ignore[misc]  # validated above
        grounds=sorted(set(grounds)),
        phase=phase,
        conversation=conversation,
        conversation_on=conversation_on,
        outcome=outcome,
    )
    # The audit row names neither the student nor the text: only what and where.
    record(
        actor=acting_user,
        event=AuditEvent.SCHOOL_SIGNAL_LOGGED,
        obj=signal,
        details={"school": school.pk, "company": company.pk, "outcome": outcome},
    )
    return signal


def _locked_own_signal(acting_user: Any, signal: SchoolSignal) -> SchoolSignal:
    school = _school_of(acting_user)
    locked = SchoolSignal.objects.select_for_update().filter(pk=signal.pk, school=school).first()
    if locked is None:
        raise PermissionDenied(_("Dit signaal hoort niet bij jouw school."))
    if locked.closed_at is not None:
        raise ValidationError(_("Dit signaal is afgesloten en kan niet meer worden gewijzigd."))
    return locked


@transaction.atomic
def close_signal(*, acting_user: Any, signal: SchoolSignal) -> SchoolSignal:
    """The school closes its signal: nothing more to do. From now on the retention period runs
    (SCHOOL_SIGNAL_RETENTION_DAYS, `services.retention`); a closed signal is read-only."""
    locked = _locked_own_signal(acting_user, signal)
    locked.closed_at = timezone.now()
    locked.save(update_fields=["closed_at", "updated_at"])
    record(
        actor=acting_user,
        event=AuditEvent.SCHOOL_SIGNAL_CLOSED,
        obj=locked,
        details={"outcome": locked.outcome, "reported": locked.report_id is not None},
    )
    return locked


@transaction.atomic
def update_signal(
    *,
    acting_user: Any,
    signal: SchoolSignal,
    conversation: str,
    conversation_on: dt.date | None,
    outcome: str,
) -> SchoolSignal:
    """Record the conversation with the company and its outcome (own school only)."""
    locked = _locked_own_signal(acting_user, signal)
    conversation = (conversation or "").strip()
    errors: dict[str, list[str]] = {}
    _check_conversation(
        errors,
        conversation=conversation,
        conversation_on=conversation_on,
        outcome=outcome,
        observed_on=locked.observed_on,
        today=timezone.localdate(),
    )
    if errors:
        raise ValidationError(errors)
    before = locked.outcome
    locked.conversation, locked.conversation_on, locked.outcome = (
        conversation,
        conversation_on,
        outcome,
    )
    locked.save(update_fields=["conversation", "conversation_on", "outcome", "updated_at"])
    record(
        actor=acting_user,
        event=AuditEvent.SCHOOL_SIGNAL_UPDATED,
        obj=locked,
        details={"outcome": {"before": before, "after": outcome}},
    )
    return locked


def report_text(signal: SchoolSignal) -> str:
    """The report's narrative, made from the signal (nothing retyped)."""
    parts = [signal.observed]
    if signal.conversation:
        parts.append(
            _("Gesprek van de school met het bedrijf (%(date)s):\n%(text)s")
            % {
                "date": signal.conversation_on.isoformat() if signal.conversation_on else "",
                "text": signal.conversation,
            }
        )
    parts.append(
        _("Uitkomst volgens de school: %(outcome)s") % {"outcome": signal.get_outcome_display()}
    )
    return "\n\n".join(parts)


@transaction.atomic
def report_signal(
    *,
    acting_user: Any,
    signal: SchoolSignal,
    consent_given: bool,
    given_by: str,
    method: str,
    given_on: dt.date | None,
    share_identity: bool,
    share_identity_with_sbb: bool,
    follow_up: str,
) -> Report:
    """Turn a signal into a meldpunt report, in one step, only with the student's consent.

    Without `consent_given` nothing happens (ValidationError). The consent (who, when, how) is
    stored with the signal. `share_identity` names the student on the report; without it the
    report is anonymous on the student's behalf and its text must not name the student.
    """
    locked = _locked_own_signal(acting_user, signal)
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if locked.report_id is not None:
        raise ValidationError(_("Dit signaal is al gemeld bij het meldpunt."))
    if not consent_given:
        raise ValidationError(
            {
                "consent_given": _(
                    "Toestemming: zonder toestemming van de student maak je geen melding. "
                    "Het signaal blijft bij jouw school."
                )
            }
        )
    if given_by not in ConsentGivenBy.values:
        add("given_by", _("Toestemming gegeven door: kies wie toestemming gaf."))
    if method not in ConsentMethod.values:
        add("method", _("Hoe: kies hoe de toestemming is gegeven."))
    if given_on is None:
        add("given_on", _("Wanneer: vul de datum van de toestemming in."))
    elif given_on > timezone.localdate():
        add("given_on", _("Wanneer: de datum ligt in de toekomst."))
    if follow_up not in FollowUp.values:
        add("follow_up", _("Wat wil de student: kies een van de mogelijkheden."))
    if share_identity and locked.student_id is None:
        add(
            "share_identity",
            _("Naam delen: bij dit signaal is geen student vastgelegd; meld dan anoniem."),
        )
    if share_identity_with_sbb and not share_identity:
        add(
            "share_identity_with_sbb",
            _("Naam delen met SBB: kan alleen als de naam ook met het meldpunt gedeeld wordt."),
        )
    text = report_text(locked)
    if not share_identity and locked.student is not None:
        student = locked.student
        hit = find_identity(
            text, [Identity(names=(f"{student.given_name} {student.family_name}",))]
        )
        if hit is not None:
            add(
                "share_identity",
                _(
                    "Anoniem melden: de tekst van het signaal noemt de student (“%(fragment)s”). "
                    "Haal de naam uit het signaal, of meld met toestemming op naam."
                )
                % {"fragment": hit.fragment},
            )
    if errors:
        raise ValidationError(errors)
    submitted = meldpunt_services.submit_report(
        acting_user=acting_user,
        reporter_role=ReporterRole.SCHOOL_STAFF,
        what_happened=text,
        occurred_on=locked.observed_on,
        grounds=list(locked.grounds),
        phase=locked.phase,
        follow_up=follow_up,
        company=locked.company,
        consent_share_identity_with_sbb=share_identity_with_sbb,
        consent_share_identity_with_school=share_identity,
        on_behalf_of=locked.student if share_identity else None,
        anonymous_student=not share_identity,
        # One signal, one report: a second attempt (double click, two tabs) makes nothing new.
        submission_token=f"school-signal-{locked.pk}",
    )
    SignalConsent.objects.create(
        signal=locked,
        given_by=given_by,
        method=method,
        given_on=given_on,  # type: ignore[misc]  # validated above
        share_identity=share_identity,
        share_identity_with_sbb=share_identity_with_sbb,
        recorded_by=acting_user,
    )
    locked.report = submitted.report
    locked.save(update_fields=["report", "updated_at"])
    record(
        actor=acting_user,
        event=AuditEvent.SCHOOL_SIGNAL_REPORTED,
        obj=locked,
        details={
            "report": submitted.report.reference,
            "consent": {"given_by": given_by, "method": method, "given_on": str(given_on)},
            "share_identity": share_identity,
            "share_identity_with_sbb": share_identity_with_sbb,
        },
    )
    return submitted.report
