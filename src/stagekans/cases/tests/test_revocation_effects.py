"""Issue 9, defects 6 and 11: revocation is confirmed on a page that shows its effects; the
message says "e-mail verzonden" only when a mail was queued; and a revocation from a case gives
each school concerned a task (created by the real code path, not by a test)."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.test import Client

from stagekans.cases import services
from stagekans.cases.models import DecisionOutcome, Measure
from stagekans.notifications.models import OutboxMessage
from stagekans.register.models import RevocationRequest
from stagekans.register.workflow import RecognitionStatus
from stagekans.worklist.models import SchoolTask, SchoolTaskKind


def _revocation_decided(world) -> RevocationRequest:
    """Decided with the measure revocation; the first adviser proposed it."""
    case = world.responded()
    decision = services.decide(
        acting_user=world.investigator,
        case=case,
        outcome=DecisionOutcome.ESTABLISHED,
        reasons="Meerdere kandidaten met een migratieachtergrond werden zonder gesprek afgewezen.",
        measure=Measure.REVOCATION,
    )
    services.propose_revocation_for_decision(
        acting_user=world.proposing_advisor, decision=decision, reason=decision.reasons
    )
    return RevocationRequest.objects.get()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_confirmation_page_shows_the_effects_before_anything_changes(world):
    revocation = _revocation_decided(world)
    client = _client(world.advisor)
    page = client.get(f"/erkenningen/intrekkingen/{revocation.pk}/bevestigen/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "1 gepubliceerde vacature wordt ingetrokken" in html
    assert world.vacancy.title in html
    assert (
        f"1 school krijgt een taak om een vervangende stageplek te zoeken: {world.school.name}"
        in html
    )
    assert "(1 adres)" in html
    # A POST without the confirmation (the old one-click form) changes nothing.
    one_click = client.post(f"/erkenningen/intrekkingen/{revocation.pk}/goedkeuren/")
    assert one_click.status_code == 302
    assert one_click["Location"].endswith(f"/intrekkingen/{revocation.pk}/bevestigen/")
    revocation.recognition.refresh_from_db()
    assert revocation.recognition.status == RecognitionStatus.RECOGNISED
    assert not SchoolTask.objects.filter(kind=SchoolTaskKind.FIND_REPLACEMENT_PLACEMENT).exists()


def test_confirmed_revocation_creates_school_task_and_says_mail_was_sent(world):
    revocation = _revocation_decided(world)
    before = OutboxMessage.objects.filter(to="opleider@bedrijf.nl").count()
    response = _client(world.advisor).post(
        f"/erkenningen/intrekkingen/{revocation.pk}/goedkeuren/", {"bevestigd": "1"}
    )
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("E-mail met de redenen verzonden" in t for t in texts), texts
    assert OutboxMessage.objects.filter(to="opleider@bedrijf.nl").count() == before + 1
    task = SchoolTask.objects.get(kind=SchoolTaskKind.FIND_REPLACEMENT_PLACEMENT)
    assert task.school == world.school
    assert revocation.recognition.company.name in task.subject
    # The school sees it on its "Taken" page.
    assert world.company.name in _client(world.staff).get("/taken/").content.decode()


def test_company_without_address_gets_no_mail_and_the_adviser_is_told(world):
    revocation = _revocation_decided(world)
    world.trainer.email = ""
    world.trainer.save()
    client = _client(world.advisor)
    html = client.get(f"/erkenningen/intrekkingen/{revocation.pk}/bevestigen/").content.decode()
    assert "geen e-mailadres" in html
    response = client.post(
        f"/erkenningen/intrekkingen/{revocation.pk}/goedkeuren/", {"bevestigd": "1"}
    )
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert not any("E-mail met de redenen verzonden" in t for t in texts), texts
    assert any("geen e-mailadres" in t for t in texts)
    revocation.recognition.refresh_from_db()
    assert revocation.recognition.status == RecognitionStatus.REVOKED


def test_established_decision_gives_the_heard_school_a_follow_up_task(world):
    _revocation_decided(world)
    task = SchoolTask.objects.get(kind=SchoolTaskKind.FOLLOW_UP_CASE_DECISION)
    assert task.school == world.school
    assert "stagediscriminatie vastgesteld" in task.subject


def test_decision_without_established_discrimination_gives_no_task(world):
    case = world.responded()
    services.decide(
        acting_user=world.investigator,
        case=case,
        outcome=DecisionOutcome.INSUFFICIENT_EVIDENCE,
        reasons="De verklaringen spreken elkaar tegen; er is te weinig bewijs.",
        measure=Measure.NONE,
    )
    assert not SchoolTask.objects.exists()
