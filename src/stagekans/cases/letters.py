"""The decision letter (besluitbrief) for the company, as a PDF made with reportlab.

It names the case number, the company, the decision, the written reasons, the measure and how
to object (bezwaar within six weeks). It never names the reporter: the reasons were checked
against the reporters' identities when the decision was taken.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from stagekans.cases.models import CaseDecision, Measure

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
        _para("Samenwerkingsorganisatie Beroepsonderwijs Bedrijfsleven (SBB)", styles["Title"]),
        _para(case.company_label, body),
        Spacer(1, 6 * mm),
        _para(_("Datum: %(date)s") % {"date": _date(decision.decided_on)}, body),
        _para(_("Zaaknummer: %(number)s") % {"number": case.number}, body),
        _para(
            _("Onderwerp: besluit na onderzoek naar stagediscriminatie"),
            body,
        ),
        Spacer(1, 6 * mm),
        _para(_("Geachte heer, mevrouw,"), body),
        _para(
            _(
                "SBB heeft een melding over uw organisatie onderzocht. Wij hebben u, de school en "
                "waar mogelijk de student gehoord. In deze brief leest u ons besluit."
            ),
            body,
        ),
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
        _para("SBB", body),
    ]
    doc.build(story)
    return buffer.getvalue()
