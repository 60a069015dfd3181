"""The praktijkovereenkomst (or bpv-blad) of one version as a PDF, made with reportlab.

The parties, the qualification, the agreed terms, the supervision agreement (BPV-protocol) and
who signed when. A version that is not (yet) fully signed carries a clear "not valid" line, so a
printed draft is never mistaken for a signed agreement.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from stagekans.placements.models import Agreement
from stagekans.placements.services.agreements import required_parties
from stagekans.placements.workflow import AgreementStatus, SigningParty

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


def _weekdays(mask: int) -> str:
    names = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
    chosen = [name for bit, name in enumerate(names) if mask & (1 << bit)]
    return ", ".join(chosen) if chosen else _("in overleg")


def agreement_pdf(agreement: Agreement) -> bytes:
    placement = agreement.placement
    student, company, location = placement.student, placement.company, placement.location
    styles = getSampleStyleSheet()
    body, heading = styles["BodyText"], styles["Heading2"]

    def para(text: str, style: object = body) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    title = (
        _("Praktijkovereenkomst")
        if agreement.version == 1
        else _("Bpv-blad (versie %(v)d van de praktijkovereenkomst)") % {"v": agreement.version}
    )
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=f"{title} — {student}",
        author="Stagekans",
        lang="nl-NL",
    )
    trainer = placement.trainer.user.get_full_name() if placement.trainer else _("niet ingevuld")
    supervisor = (
        placement.supervisor.user.get_full_name() if placement.supervisor else _("niet ingevuld")
    )
    parties = [
        [_("Student"), f"{student} ({_('studentnummer')} {student.student_number})"],
        [_("Geboortedatum"), _date(student.date_of_birth)],
        [_("School"), f"{placement.school.name} ({placement.school.brin})"],
        [_("Bpv-begeleider"), supervisor],
        [_("Leerbedrijf"), f"{company.name} (KvK {company.kvk_number})"],
        [
            _("Vestiging"),
            f"{location.street} {location.house_number}, {location.postcode} {location.place}",
        ],
        [_("Praktijkopleider"), trainer],
        [
            _("Kwalificatie"),
            f"{placement.qualification.title} (crebo {placement.qualification.crebo}), "
            f"{placement.get_leerweg_display()}",
        ],
    ]
    terms = [
        [_("Periode"), f"{_date(agreement.start_date)} – {_date(agreement.end_date)}"],
        [_("Uren praktijk"), str(agreement.hours)],
        [_("Stagedagen"), _weekdays(agreement.weekdays)],
        [_("Keuzedeel"), agreement.keuzedeel or _("geen")],
        [
            _("Contact met school"),
            _("minstens elke %(n)d weken (schoolvakanties tellen niet mee)")
            % {"n": agreement.contact_every_weeks},
        ],
        [_("Bezoeken op locatie"), _("minstens %(n)d") % {"n": agreement.min_site_visits}],
    ]

    def table(rows: list[list[str]]) -> Table:
        t = Table([[para(a), para(b)] for a, b in rows], colWidths=[45 * mm, 125 * mm])
        t.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
                ]
            )
        )
        return t

    story: list[object] = [para(title, styles["Title"])]
    status_line = {
        AgreementStatus.ACTIVE: _("Volledig getekend op %(date)s; deze versie is geldig."),
        AgreementStatus.SUPERSEDED: _(
            "Volledig getekend op %(date)s; vervangen door een latere versie."
        ),
    }.get(AgreementStatus(agreement.status))
    if status_line and agreement.activated_at:
        story.append(para(status_line % {"date": _date(agreement.activated_at.date())}))
    else:
        story.append(
            para(
                _(
                    "Nog niet door alle partijen getekend: deze versie is (nog) niet geldig. "
                    "Status: %(status)s."
                )
                % {"status": agreement.get_status_display()}
            )
        )
    if agreement.change_summary:
        story += [para(_("Wat is gewijzigd"), heading), para(agreement.change_summary)]
    story += [
        para(_("Partijen"), heading),
        table(parties),
        para(_("Afspraken"), heading),
        table(terms),
        para(_("Werkprocessen die de student oefent"), heading),
        para(agreement.work_processes),
        para(_("Beoordeling"), heading),
        para(agreement.assessment),
        para(_("Ondertekening"), heading),
    ]
    signatures = {s.party: s for s in agreement.signatures.select_related("signed_by")}
    rows = []
    for party in required_parties(agreement):
        signature = signatures.get(party)
        if signature is None:
            rows.append([str(party.label).capitalize(), _("nog niet getekend")])
        elif party == SigningParty.GUARDIAN:
            rows.append(
                [
                    str(party.label).capitalize(),
                    _("%(name)s, getekend op %(date)s (vastgelegd op %(recorded)s)")
                    % {
                        "name": signature.guardian_name,
                        "date": _date(signature.guardian_signed_on),
                        "recorded": _date(signature.signed_at.date()),
                    },
                ]
            )
        else:
            who = signature.signed_by.get_full_name() if signature.signed_by else ""
            rows.append(
                [
                    str(party.label).capitalize(),
                    _("%(who)s, getekend op %(date)s")
                    % {"who": who, "date": _date(signature.signed_at.date())},
                ]
            )
    story += [table(rows), Spacer(1, 6 * mm)]
    story.append(
        para(
            _(
                "Deze overeenkomst is digitaal getekend in Stagekans. Elke wijziging na "
                "ondertekening wordt vastgelegd in een nieuw bpv-blad dat opnieuw wordt getekend."
            ),
            styles["Italic"],
        )
    )
    doc.build(story)
    return buffer.getvalue()
