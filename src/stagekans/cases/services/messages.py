"""Messages to a party of the case, and the audit row for every view of a case."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.cases import selectors
from stagekans.cases.models import (
    Case,
    CaseMessage,
    Party,
)
from stagekans.cases.services._base import (
    _company_emails,
    _lock,
    _mail_each,
    _refuse_reporter_identity,
    _require_investigator,
    _school_emails,
    _text,
)

# --- messages, views, reminders -----------------------------------------------------------------


@transaction.atomic
def send_message(
    *,
    acting_user: Any,
    case: Case,
    party: Party,
    subject: str,
    body: str,
    school: Any = None,
) -> CaseMessage:
    """A message to one party, stored in the case and mailed through the outbox."""
    case = _lock(case)
    _require_investigator(acting_user, case)
    party = Party(party)
    subject = _text(subject, "subject", _("Onderwerp"))[:150]
    body = _text(body, "body", _("Bericht"))
    if party == Party.COMPANY:
        if case.company is None:
            raise ValidationError({"party": _("Aan: dit bedrijf staat niet in het register.")})
        recipients = _company_emails(case)
        school = None
    elif party == Party.SCHOOL:
        if school is None or school.pk not in selectors.schools_concerned(case):
            raise ValidationError(
                {"party": _("Aan: kies een school die bij de zaak betrokken is.")}
            )
        recipients = _school_emails(school)
    else:
        recipients = sorted({r.email for r in selectors.reporters_of(case) if r.email})
        if not recipients:
            raise ValidationError(
                {"party": _("Aan: de melder gaf geen toestemming of geen e-mailadres.")}
            )
        school = None
    if party != Party.STUDENT:
        _refuse_reporter_identity(case, f"{subject}\n{body}", "body", _("Bericht"))
    message = CaseMessage.objects.create(
        case=case,
        party=party,
        school=school,
        subject=subject,
        body=body,
        sent_by=acting_user,
        recipients=len(recipients),
    )
    _mail_each(
        recipients,
        subject=_("Zaak %(number)s: %(subject)s") % {"number": case.number, "subject": subject},
        body=body,
        key=f"case-message:{message.pk}",
    )
    record(
        actor=acting_user,
        event=AuditEvent.CASE_MESSAGE_SENT,
        obj=case,
        details={"message": message.pk, "party": party.value, "recipients": len(recipients)},
    )
    return message


@transaction.atomic
def record_case_view(*, acting_user: Any, case: Case, what: str = "case") -> None:
    """Every view of a case (by SBB or by a party) leaves an audit row."""
    record(actor=acting_user, event=AuditEvent.CASE_VIEWED, obj=case, details={"what": what})
