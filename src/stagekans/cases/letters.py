"""The decision letter (besluitbrief) for the company, as a PDF made with reportlab.

A letter as a Dutch organisation sends it: the sender's address, the recipient's address (the
company's first location), a place-and-date line, our reference and subject, an opening that
says why SBB investigated (a report, a signal, or SBB's own initiative), the decision, the
reasons, the measure, how to object (bezwaar within six weeks) and a signatory (the officer who
decided, on behalf of SBB). It never names the reporter: the reasons were checked against the
reporters' identities when the decision was taken.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from stagekans.cases.models import CaseDecision, CaseSource, Measure

# SBB's postal address, the sender of every decision letter.
SENDER_LINES = (
    "Samenwerkingsorganisatie Beroepsonderwijs Bedrijfsleven (SBB)",
    "Louis Braillelaan 80",
    "2719 EK  Zoetermeer",
)
SENDER_PLACE = "Zoetermeer"

_MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def _date(day: object) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"  # type: ignore[attr-defined]


def _para(text: str, style: object) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def recipient_lines(decision: CaseDecision) -> list[str]:
    """The company's name and postal address (its first location), as on an envelope."""
    case = decision.case
    lines = [case.company_label or _("Het leerbedrijf")]
    lines.append(_("t.a.v. de directie"))
    location = case.company.locations.order_by("id").first() if case.company else None
    if location is not None:
        lines.append(f"{location.street} {location.house_number}")
        lines.append(f"{location.postcode}  {location.place}")
    return lines


def opening(decision: CaseDecision) -> str:
    """Why SBB investigated: a report, a signal, or its own initiative — never "a report"
    for a case SBB opened itself."""
    case = decision.case
    heard = _(
        "Voordat wij besloten, hebben wij u en de betrokken school gevraagd om uw kant van de "
        "zaak (hoor en wederhoor)."
    )
    if case.source == CaseSource.REPORTS:
        reason = _("SBB heeft een melding over uw organisatie onderzocht.")
    elif case.source == CaseSource.SIGNAL:
        reason = _(
            "SBB heeft op eigen initiatief onderzoek gedaan naar de werving en selectie van "
            "stagiairs bij uw organisatie, naar aanleiding van een signaal uit de cijfers over "
            "selectie-uitkomsten."
        )
    else:
        reason = _(
            "SBB heeft op eigen initiatief onderzoek gedaan naar de werving en selectie van "
            "stagiairs bij uw organisatie."
        )
    return f"{reason} {heard} " + _("In deze brief leest u ons besluit.")


def signatory_lines(decision: CaseDecision) -> list[str]:
    officer = decision.decided_by
    name = (officer.get_full_name() or officer.username) if officer is not None else ""
    lines = [name] if name else []
    return [*lines, _("Onderzoeker stagediscriminatie"), _("namens SBB")]


def decision_letter_pdf(decision: CaseDecision) -> bytes:
    case = decision.case
    styles = getSampleStyleSheet()
    body, heading = styles["BodyText"], styles["Heading2"]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=25 * mm,
        bottomMargin=25 * mm,
        title=_("Besluit zaak %(number)s") % {"number": case.number},
        author="SBB",
        lang="nl-NL",
    )
    measure = str(decision.get_measure_display())
    if decision.measure == Measure.IMPROVEMENT and decision.follow_up_on:
        measure += _(" — controle op %(date)s") % {"date": _date(decision.follow_up_on)}
    story = [
        _para("\n".join(SENDER_LINES), styles["Normal"]),
        Spacer(1, 10 * mm),
        _para("\n".join(recipient_lines(decision)), body),
        Spacer(1, 8 * mm),
        _para(
            _("%(place)s, %(date)s") % {"place": SENDER_PLACE, "date": _date(decision.decided_on)},
            body,
        ),
        _para(
            _("Ons kenmerk: %(number)s/B%(decision)d")
            % {"number": case.number, "decision": decision.pk},
            body,
        ),
        _para(_("Zaaknummer: %(number)s") % {"number": case.number}, body),
        _para(
            _("Onderwerp: besluit na onderzoek naar stagediscriminatie"),
            body,
        ),
        Spacer(1, 6 * mm),
        _para(_("Geachte heer, mevrouw,"), body),
        _para(opening(decision), body),
        _para(_("Besluit"), heading),
        _para(str(decision.get_outcome_display()).capitalize(), body),
        _para(_("Motivering"), heading),
        _para(decision.reasons, body),
        _para(_("Maatregel"), heading),
        _para(measure.capitalize(), body),
    ]
    if decision.measure == Measure.IMPROVEMENT:
        story.append(_para(decision.improvement_terms, body))
    if decision.measure == Measure.REVOCATION:
        story.append(
            _para(
                _(
                    "SBB trekt uw erkenning als leerbedrijf in. De intrekking gaat in zodra een "
                    "tweede adviseur van SBB haar heeft goedgekeurd; u ontvangt daarover apart "
                    "bericht."
                ),
                body,
            )
        )
    story += [
        _para(_("Bezwaar maken"), heading),
        _para(
            _(
                "Bent u het niet eens met dit besluit? Dan kunt u binnen zes weken na de datum van "
                "deze brief bezwaar maken, dus uiterlijk op %(date)s. Stuur uw bezwaarschrift "
                "aan SBB en vermeld het zaaknummer %(number)s, de datum, uw naam en adres, en "
                "waarom u het niet eens bent met het besluit. Een andere medewerker dan degene "
                "die dit besluit nam, beoordeelt uw bezwaar."
            )
            % {"date": _date(decision.objection_deadline), "number": case.number},
            body,
        ),
        Spacer(1, 6 * mm),
        _para(_("Met vriendelijke groet,"), body),
        Spacer(1, 8 * mm),
        _para("\n".join(signatory_lines(decision)), body),
    ]
    doc.build(story)
    return buffer.getvalue()
