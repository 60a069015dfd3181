"""Receipt-code follow-up (right code, wrong code, brute force), two-way messages, SLA queue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from stagekans.accounts.roles import Role
from stagekans.meldpunt import selectors, services
from stagekans.meldpunt.models import MessageSender, Report
from stagekans.meldpunt.views import CODE_LIMIT
from stagekans.notifications.models import OutboxMessage
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db
FOLLOW = "/meldpunt/volgen/"


def wrong_code_for(code: str) -> str:
    digits = code.replace("-", "")
    last = str((int(digits[-1]) + 1) % 10)
    return digits[:-1] + last


def test_right_code_opens_the_report_and_the_reply_can_be_read_and_answered():
    submitted = f.submit_report(contact=services.ContactDetails(email="anoniem@example.nl"))
    meldpunt = f.UserFactory(role=Role.MELDPUNT)
    services.send_message_to_reporter(
        acting_user=meldpunt, report=submitted.report, body="Dank voor je melding. Wil je bellen?"
    )
    client = Client(REMOTE_ADDR="192.0.2.10")
    response = client.post(FOLLOW, {"code": submitted.receipt_code})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Dank voor je melding. Wil je bellen?" in html
    assert submitted.report.reference in html
    # The reporter answers; the meldpunt sees it.
    answer = client.post("/meldpunt/volgen/melding/", {"body": "Ja, bel me morgen na 16 uur."})
    assert answer.status_code == 302
    assert submitted.report.messages.filter(
        sender=MessageSender.REPORTER, body="Ja, bel me morgen na 16 uur."
    ).exists()
    # The mail only says there is a message; the message text stays on the site.
    mail = OutboxMessage.objects.get(dedup_key__startswith="meldpunt:message:")
    assert "bellen" not in mail.body


def test_code_with_spaces_works():
    submitted = f.submit_report()
    spaced = " ".join(submitted.receipt_code.split("-"))
    assert selectors.find_by_receipt_code(spaced) == submitted.report


@pytest.mark.parametrize("code", ["123", "abcdefghijklmnopqrstuv", "1" * 22])
def test_malformed_or_unknown_code_is_refused(code):
    f.submit_report()
    response = Client().post(FOLLOW, {"code": code})
    assert response.status_code == 400
    assert "Ontvangstcode: deze code kennen we niet" in response.content.decode()


def test_empty_code_asks_for_the_code_and_the_field_is_required():
    f.submit_report()
    page = Client().get(FOLLOW).content.decode()
    assert "niet verplicht" not in page  # the receipt code is required, so not marked optional
    response = Client().post(FOLLOW, {"code": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Ontvangstcode: vul de code in die je kreeg na je melding." in body
    assert "deze code kennen we niet" not in body


def test_wrong_secret_for_a_real_report_is_refused():
    submitted = f.submit_report()
    response = Client().post(FOLLOW, {"code": wrong_code_for(submitted.receipt_code)})
    assert response.status_code == 400
    assert Client().get("/meldpunt/volgen/melding/").status_code == 302


def test_brute_force_is_rate_limited_with_429_even_for_the_right_code():
    submitted = f.submit_report()
    client = Client(REMOTE_ADDR="192.0.2.66")
    for _ in range(CODE_LIMIT):
        assert (
            client.post(FOLLOW, {"code": wrong_code_for(submitted.receipt_code)}).status_code == 400
        )
    blocked = client.post(FOLLOW, {"code": submitted.receipt_code})
    assert blocked.status_code == 429
    assert "Te veel pogingen" in blocked.content.decode()
    assert blocked["Retry-After"]
    # Another address still gets in with the right code.
    assert (
        Client(REMOTE_ADDR="192.0.2.67").post(FOLLOW, {"code": submitted.receipt_code}).status_code
        == 302
    )


def test_logged_in_report_has_no_code_access():
    user = f.student_user(f.StudentFactory())
    submitted = f.submit_report(acting_user=user)
    assert submitted.receipt_code is None
    assert submitted.report.receipt_code_hash == ""


def test_empty_message_is_refused():
    submitted = f.submit_report()
    client = Client()
    client.post(FOLLOW, {"code": submitted.receipt_code})
    response = client.post("/meldpunt/volgen/melding/", {"body": "   "})
    assert response.status_code == 400
    assert "Bericht: schrijf een bericht." in response.content.decode()
    assert submitted.report.messages.count() == 0


# --- SLA: the queue shows what is due and overdue ----------------------------------------------


def test_queue_shows_due_and_overdue(monkeypatch):
    meldpunt = f.UserFactory(role=Role.MELDPUNT)
    on_time = f.submit_report().report
    overdue = f.submit_report().report
    due_today = f.submit_report().report
    answered = f.submit_report().report
    today = timezone.localdate()
    Report.objects.filter(pk=overdue.pk).update(reply_due_on=today - dt.timedelta(days=1))
    Report.objects.filter(pk=due_today.pk).update(reply_due_on=today)
    Report.objects.filter(pk=answered.pk).update(reply_due_on=today - dt.timedelta(days=5))
    services.send_message_to_reporter(acting_user=meldpunt, report=answered, body="Gelezen.")
    assert selectors.queue_counts(meldpunt) == {"open": 4, "overdue": 1, "due_today": 1}
    client = Client()
    client.force_login(meldpunt)
    response = client.get("/meldpunt/werkvoorraad/")
    assert response.status_code == 200
    states = {r.reference: r.sla for r in response.context["page_obj"].object_list}
    assert states == {
        on_time.reference: "on_time",
        overdue.reference: "overdue",
        due_today.reference: "due_today",
        answered.reference: "answered",
    }
    order = [r.reference for r in response.context["page_obj"].object_list]
    assert (
        order.index(overdue.reference)
        < order.index(due_today.reference)
        < order.index(on_time.reference)
    )
    home = client.get("/").content.decode()
    # dashboard counters: the number big in <dd>, the label small in <dt>
    assert "<dt>open</dt><dd>4</dd>" in home
    assert "<dt>reactie vandaag</dt><dd>1</dd>" in home
    assert "<dt>te laat</dt><dd>1</dd>" in home


def test_due_date_is_three_working_days_after_receipt():
    friday = timezone.make_aware(dt.datetime(2026, 4, 24, 15, 0))
    assert services.reply_due_on(friday) == dt.date(2026, 4, 30)  # Koningsdag skipped


def test_attempts_are_counted_before_the_check_and_a_right_code_gives_its_attempt_back():
    from stagekans.meldpunt import ratelimit

    submitted = f.submit_report()
    client = Client(REMOTE_ADDR="192.0.2.90")
    for _ in range(CODE_LIMIT - 1):
        client.post(FOLLOW, {"code": wrong_code_for(submitted.receipt_code)})
    assert (
        Client(REMOTE_ADDR="192.0.2.90").post(FOLLOW, {"code": submitted.receipt_code}).status_code
        == 302
    )
    # the right code did not use up the last attempt
    assert client.post(FOLLOW, {"code": wrong_code_for(submitted.receipt_code)}).status_code == 400
    assert client.post(FOLLOW, {"code": wrong_code_for(submitted.receipt_code)}).status_code == 429
    key = ratelimit.client_key(type("R", (), {"META": {"REMOTE_ADDR": "192.0.2.90"}})())
    assert ratelimit.count(ratelimit.CODE_PER_CLIENT, key) == CODE_LIMIT + 1
