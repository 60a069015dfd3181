"""Issue 9, defect 11: the decision letter has sender and recipient addresses, a date line and
a signatory, and says "een melding onderzocht" only when the case came from a report."""

from __future__ import annotations

import io

from pypdf import PdfReader

from stagekans.cases import services
from stagekans.cases.letters import decision_letter_pdf
from stagekans.cases.models import CaseSource, DecisionOutcome, Measure


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _decide(world, case):
    case, company_h, school_h = world.heard(case)
    services.respond_to_hearing(
        acting_user=world.trainer, hearing=company_h, statement="Wij selecteren op motivatie."
    )
    services.respond_to_hearing(
        acting_user=world.staff, hearing=school_h, statement="De student meldde het ons direct."
    )
    services.start_assessment(acting_user=world.investigator, case=case)
    return services.decide(
        acting_user=world.investigator,
        case=case,
        outcome=DecisionOutcome.NOT_ESTABLISHED,
        reasons="De afwijzingen hadden een aantoonbare andere reden dan afkomst.",
        measure=Measure.NONE,
    )


def test_letter_of_a_signal_case_has_addresses_date_and_signatory_and_no_report(world):
    world.investigator.first_name, world.investigator.last_name = "Noor", "Visser"
    world.investigator.save()
    case = services.open_case(
        acting_user=None,
        company=world.company,
        summary="Signaal: opvallend veel afwijzingen van een groep kandidaten.",
        source=CaseSource.SIGNAL,
    )
    services.pick_up_case(acting_user=world.investigator, case=case)
    decision = _decide(world, case)
    text = _text(decision_letter_pdf(decision))
    location = world.company.locations.order_by("id").first()
    assert "Louis Braillelaan 80" in text and "Zoetermeer" in text  # sender
    assert world.company.name in text and location.street in text  # recipient
    assert location.place in text
    assert f"Zoetermeer, {decision.decided_on.day} " in text  # place-and-date line
    assert "Noor Visser" in text and "namens SBB" in text  # signatory
    assert "melding" not in text.lower()
    assert "eigen initiatief" in text and "signaal" in text


def test_letter_of_a_reported_case_says_a_report_was_investigated(world):
    case = world.case()
    case.source = CaseSource.REPORTS
    case.save(update_fields=["source"])
    decision = _decide(world, case)
    assert "een melding over uw organisatie onderzocht" in _text(decision_letter_pdf(decision))


def test_letter_of_an_officer_case_does_not_mention_a_report(world):
    decision = _decide(world, world.case())
    text = _text(decision_letter_pdf(decision))
    assert "melding" not in text.lower()
    assert "eigen initiatief" in text
