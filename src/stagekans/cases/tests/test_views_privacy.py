"""Pages: every view of a case is audited, scoping per role, the parties' portal (response with
attachments checked by content), and the reporter's identity never reaching company or school."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.cases import services
from stagekans.cases.models import Case, DecisionOutcome, HearingAttachment, Measure, Party
from stagekans.meldpunt import services as meldpunt_services
from stagekans.notifications.models import OutboxMessage
from stagekans.testing import factories as f

NAME, EMAIL, PHONE = "Samira El Amrani", "samira@example.nl", "0612345678"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _forwarded_case(world, *, consent: bool) -> Case:
    meldpunt = f.UserFactory(role=Role.MELDPUNT)
    report = f.submit_report(
        company=world.company,
        company_name="",
        contact=meldpunt_services.ContactDetails(name=NAME, email=EMAIL, phone=PHONE),
        consent_share_identity_with_sbb=consent,
    ).report
    meldpunt_services.start_triage(acting_user=meldpunt, report=report)
    meldpunt_services.forward_to_sbb(
        acting_user=meldpunt,
        report=report,
        summary="Een studente werd bij de sollicitatie gevraagd naar haar afkomst.",
    )
    case = Case.objects.get(source_reports=report)
    lead = f.UserFactory(role=Role.SBB_INVESTIGATOR, username=f"lead{case.pk}")
    from django.contrib.auth.models import Permission

    lead.user_permissions.add(Permission.objects.get(codename="view_team_cases"))
    lead = type(lead).objects.get(pk=lead.pk)
    services.assign_case(acting_user=lead, case=case, assignee=world.investigator)
    return case


def _full_flow(world, case):
    """Hear company and school, both respond in their portals, decide, message both."""
    services.start_investigation(acting_user=world.investigator, case=case)
    company_h = services.request_hearing(
        acting_user=world.investigator,
        case=case,
        party=Party.COMPANY,
        questions="Hoe verloopt uw selectie van stagiairs?",
    )
    school_h = services.request_hearing(
        acting_user=world.investigator,
        case=case,
        party=Party.SCHOOL,
        school=world.school,
        questions="Wat weet de school van deze sollicitatie?",
    )
    response = _client(world.trainer).post(
        f"/onderzoek/verzoeken/{company_h.pk}/",
        {"statement": "Wij selecteren op motivatie en niet op afkomst."},
    )
    assert response.status_code == 302
    response = _client(world.staff).post(
        f"/onderzoek/verzoeken/{school_h.pk}/",
        {"statement": "De student meldde het ons direct na het gesprek."},
    )
    assert response.status_code == 302
    services.start_assessment(acting_user=world.investigator, case=case)
    decision = services.decide(
        acting_user=world.investigator,
        case=case,
        outcome=DecisionOutcome.ESTABLISHED,
        reasons="Uit de verklaringen blijkt dat naar afkomst werd gevraagd.",
        measure=Measure.NONE,
    )
    for party, school in ((Party.COMPANY, None), (Party.SCHOOL, world.school)):
        services.send_message(
            acting_user=world.investigator,
            case=case,
            party=party,
            school=school,
            subject="Uitkomst",
            body="Het besluit staat in het portaal.",
        )
    return company_h, school_h, decision


def _leaks(text: str) -> list[str]:
    return [v for v in (NAME, "Samira", "El Amrani", EMAIL, PHONE) if v in text]


@pytest.mark.parametrize("consent", [False, True])
def test_company_and_school_never_see_the_reporter(world, consent):
    case = _forwarded_case(world, consent=consent)
    company_h, school_h, decision = _full_flow(world, case)
    # The investigator (SBB) sees the identity only with consent.
    sbb_page = _client(world.investigator).get(f"/onderzoek/{case.pk}/").content.decode()
    assert (NAME in sbb_page and EMAIL in sbb_page) is consent
    if not consent:
        assert not _leaks(sbb_page)
    # Company and school pages, their letters and every mail to them: never.
    pages = [
        _client(world.trainer).get(f"/onderzoek/verzoeken/{company_h.pk}/"),
        _client(world.trainer).get("/onderzoek/verzoeken/"),
        _client(world.staff).get(f"/onderzoek/verzoeken/{school_h.pk}/"),
        _client(world.staff).get("/onderzoek/verzoeken/"),
    ]
    for page in pages:
        assert page.status_code == 200
        assert not _leaks(page.content.decode())
    assert "gevraagd naar haar afkomst" in pages[0].content.decode()  # the summary is shown
    letter = _client(world.trainer).get(
        f"/onderzoek/verzoeken/{company_h.pk}/besluit/{decision.pk}.pdf"
    )
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")
    from pypdf import PdfReader

    letter_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(letter.content)).pages)
    assert case.number in letter_text and not _leaks(letter_text)
    party_mails = OutboxMessage.objects.filter(
        to__in=["opleider@bedrijf.nl", "coordinator@school.nl"]
    )
    assert party_mails.count() >= 4
    for mail in party_mails:
        assert not _leaks(mail.subject + mail.body)


def test_text_for_the_company_naming_the_consenting_reporter_is_refused(world):
    from django.core.exceptions import ValidationError

    case = _forwarded_case(world, consent=True)
    services.start_investigation(acting_user=world.investigator, case=case)
    with pytest.raises(ValidationError) as error:
        services.request_hearing(
            acting_user=world.investigator,
            case=case,
            party=Party.COMPANY,
            questions=f"Waarom wees u {NAME} af?",
        )
    assert "alleen voor SBB" in str(error.value)


def test_student_is_heard_only_with_consent(world):
    from django.core.exceptions import ValidationError

    no_consent = _forwarded_case(world, consent=False)
    services.start_investigation(acting_user=world.investigator, case=no_consent)
    with pytest.raises(ValidationError) as error:
        services.request_hearing(
            acting_user=world.investigator,
            case=no_consent,
            party=Party.STUDENT,
            questions="Kun je vertellen wat er gebeurde?",
        )
    assert "geen toestemming" in str(error.value)
    consent = _forwarded_case(world, consent=True)
    services.start_investigation(acting_user=world.investigator, case=consent)
    reporter = consent.reporters.get()
    hearing = services.request_hearing(
        acting_user=world.investigator,
        case=consent,
        party=Party.STUDENT,
        reporter=reporter,
        questions="Kun je vertellen wat er gebeurde?",
    )
    assert OutboxMessage.objects.filter(to=EMAIL, subject__contains=consent.number).exists()
    services.respond_to_hearing(
        acting_user=world.investigator, hearing=hearing, statement="Telefonisch gesproken: ..."
    )
    hearing.refresh_from_db()
    assert hearing.responded_at is not None


def test_every_view_of_a_case_is_audited(world):
    case = world.case()
    client = _client(world.investigator)
    before = AuditLog.objects.filter(event_type=AuditEvent.CASE_VIEWED).count()
    assert client.get(f"/onderzoek/{case.pk}/").status_code == 200
    assert client.get(f"/onderzoek/{case.pk}/").status_code == 200
    views = AuditLog.objects.filter(
        event_type=AuditEvent.CASE_VIEWED, object_id=str(case.pk), actor=world.investigator
    )
    assert views.count() - before == 2
    case, company_h, _ = world.heard(case)
    _client(world.trainer).get(f"/onderzoek/verzoeken/{company_h.pk}/")
    assert AuditLog.objects.filter(
        event_type=AuditEvent.CASE_VIEWED, object_id=str(case.pk), actor=world.trainer
    ).exists()


def test_scoping_of_cases_and_portal(world):
    case, company_h, school_h = world.heard()
    other_company_trainer = f.trainer_user(f.CompanyFactory())
    other_school_staff = f.school_staff_user(f.SchoolFactory())
    assert _client(world.investigator).get(f"/onderzoek/{case.pk}/").status_code == 200
    assert _client(world.other_investigator).get(f"/onderzoek/{case.pk}/").status_code == 404
    assert _client(world.trainer).get(f"/onderzoek/{case.pk}/").status_code == 403
    assert _client(world.advisor).get("/onderzoek/").status_code == 403
    assert (
        _client(other_company_trainer).get(f"/onderzoek/verzoeken/{company_h.pk}/").status_code
        == 404
    )
    assert _client(world.trainer).get(f"/onderzoek/verzoeken/{school_h.pk}/").status_code == 404
    assert (
        _client(other_school_staff).get(f"/onderzoek/verzoeken/{school_h.pk}/").status_code == 404
    )
    assert _client(world.investigator).get("/onderzoek/verzoeken/").status_code == 403


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, format="PNG")
    return out.getvalue()


def test_portal_response_with_attachments_checked_by_content(world):
    case, company_h, _ = world.heard()
    client = _client(world.trainer)
    fake = SimpleUploadedFile("verklaring.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client.post(
        f"/onderzoek/verzoeken/{company_h.pk}/",
        {"statement": "Zie de bijlage voor onze procedure.", "attachments": [fake]},
    )
    assert response.status_code == 400
    assert "geen PDF, PNG of JPEG" in response.content.decode()
    company_h.refresh_from_db()
    assert company_h.responded_at is None
    good = [
        SimpleUploadedFile("procedure.pdf", b"%PDF-1.4\n%test\n", "application/pdf"),
        SimpleUploadedFile("foto.png", _png(), "image/png"),
    ]
    response = client.post(
        f"/onderzoek/verzoeken/{company_h.pk}/",
        {"statement": "Zie de bijlage voor onze procedure.", "attachments": good},
    )
    assert response.status_code == 302
    assert HearingAttachment.objects.filter(response__hearing=company_h).count() == 2
    attachment = HearingAttachment.objects.first()
    download = _client(world.investigator).get(f"/onderzoek/{case.pk}/bijlagen/{attachment.pk}/")
    assert download.status_code == 200


def test_investigator_pages_render_in_every_state(world):
    client = _client(world.investigator)
    assert client.get("/onderzoek/").status_code == 200
    for view in ("due", "overdue", "unassigned"):
        assert client.get(f"/onderzoek/?weergave={view}").status_code == 200
    response = client.post(
        "/onderzoek/nieuw/",
        {"kvk_number": world.company.kvk_number, "summary": "Vermoeden van afwijzing op afkomst."},
    )
    case = Case.objects.get()
    assert response.status_code == 302 and case.assigned_to == world.investigator
    assert client.post(f"/onderzoek/{case.pk}/stap/", {"action": "start"}).status_code == 302
    response = client.post(
        f"/onderzoek/{case.pk}/horen/",
        {
            "hearing-party": "company",
            "hearing-questions": "Hoe selecteert u stagiairs?",
            "hearing-working_days": "10",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "hearing"
    assert client.post(f"/onderzoek/{case.pk}/stap/", {"action": "assess"}).status_code == 302
    response = client.post(
        f"/onderzoek/{case.pk}/besluit/",
        {
            "decision-outcome": "established",
            "decision-reasons": "Er is onvoldoende gehoord, dit moet worden geweigerd.",
            "decision-measure": "none",
        },
    )
    assert response.status_code == 400
    assert "nog niet besluiten" in response.content.decode()
    assert client.get(f"/onderzoek/{case.pk}/").status_code == 200


def test_case_summary_naming_the_reporter_never_goes_to_company_or_school(world):
    """Consent is for SBB only: a summary that names the reporter blocks the hearing request
    (which would mail and show that summary to the company and the school)."""
    case = _forwarded_case(world, consent=True)
    Case.objects.filter(pk=case.pk).update(summary=f"{NAME} werd afgewezen om haar afkomst.")
    case.refresh_from_db()
    services.start_investigation(acting_user=world.investigator, case=case)
    outbox_before = OutboxMessage.objects.count()
    with pytest.raises(ValidationError) as error:
        services.request_hearing(
            acting_user=world.investigator,
            case=case,
            party=Party.COMPANY,
            questions="Hoe verliep de selectie van deze stagiair?",
        )
    assert "melder" in str(error.value)
    assert OutboxMessage.objects.count() == outbox_before
    assert not case.hearings.exists()


def test_improvement_terms_may_not_name_the_reporter(world):
    import datetime as dt

    case = _forwarded_case(world, consent=True)
    case, company_h, school_h = world.heard(case)
    services.respond_to_hearing(
        acting_user=world.trainer, hearing=company_h, statement="Wij selecteren op motivatie."
    )
    services.respond_to_hearing(
        acting_user=world.staff, hearing=school_h, statement="De student meldde het ons direct."
    )
    services.start_assessment(acting_user=world.investigator, case=case)
    case.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.decide(
            acting_user=world.investigator,
            case=case,
            outcome=DecisionOutcome.ESTABLISHED,
            reasons="De afwijzing was gebaseerd op afkomst; dat is vastgesteld.",
            measure=Measure.IMPROVEMENT,
            improvement_terms=f"Excuses aanbieden aan {NAME} en een training volgen.",
            follow_up_on=dt.date.today() + dt.timedelta(days=90),
        )
    assert "improvement_terms" in error.value.message_dict
    case.refresh_from_db()
    assert case.status == "assessment"


def test_heard_school_learns_the_outcome_without_the_reporter(world):
    case = _forwarded_case(world, consent=True)
    case, company_h, school_h = world.heard(case)
    services.respond_to_hearing(
        acting_user=world.trainer, hearing=company_h, statement="Wij selecteren op motivatie."
    )
    services.respond_to_hearing(
        acting_user=world.staff, hearing=school_h, statement="De student meldde het ons direct."
    )
    services.start_assessment(acting_user=world.investigator, case=case)
    case.refresh_from_db()
    services.decide(
        acting_user=world.investigator,
        case=case,
        outcome=DecisionOutcome.NOT_ESTABLISHED,
        reasons="Uit de verklaringen blijkt geen onderscheid naar afkomst.",
        measure=Measure.NONE,
    )
    mail = OutboxMessage.objects.get(to="coordinator@school.nl", subject__startswith="Uitkomst")
    assert case.number in mail.body
    for secret in (NAME, EMAIL, PHONE):
        assert secret not in mail.body
