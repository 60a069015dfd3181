"""Issue 9, defect 5: post/redirect/get with a one-time submission token. A refresh, a double
click or two racing requests never create a second report, and an anonymous reporter never
gets two receipt codes for one report; the code is shown once, on the redirected page."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from django.db import connection, connections
from django.test import Client

from stagekans.meldpunt import services
from stagekans.meldpunt.models import Report
from stagekans.notifications.models import OutboxMessage
from stagekans.testing import factories as f

URL = "/meldpunt/"
RECEIVED = "/meldpunt/ontvangen/"
CODE = re.compile(r'data-testid="receipt-code">([0-9-]+)<')


def _token(html: str) -> str:
    match = re.search(r'name="submission_token" value="([^"]+)"', html)
    assert match, "the form carries a one-time token"
    return match.group(1)


def _data(token: str) -> dict[str, object]:
    return {
        "reporter_role": "student",
        "what_happened": "De manager zei dat ze liever geen stagiair met een hoofddoek wilden.",
        "occurred_on": (dt.date.today() - dt.timedelta(days=2)).isoformat(),
        "phase": "recruitment",
        "grounds": ["religion"],
        "company_name": "Kapsalon Knip & Go",
        "follow_up": "investigation",
        "contact_email": "melder@example.nl",
        "verstuur": "1",
        "submission_token": token,
    }


@pytest.mark.django_db
def test_refresh_and_resubmit_give_one_report_and_one_code():
    client = Client()
    form = client.get(URL).content.decode()
    data = _data(_token(form))
    assert "meldpunt/submit-once.js" in form and "data-submit-once" in form

    sent = client.post(URL, data)
    assert sent.status_code == 303 and sent["Location"] == RECEIVED
    first = client.get(RECEIVED)
    assert first.status_code == 200
    assert "no-store" in first["Cache-Control"]
    codes = CODE.findall(first.content.decode())
    assert len(codes) == 1

    # Refresh of the confirmation: same report, the code is not shown (nor made) again.
    again = client.get(RECEIVED).content.decode()
    assert not CODE.search(again)
    assert 'data-testid="code-shown-before"' in again
    assert Report.objects.get().reference in again

    # The browser re-sends the POST (refresh before the redirect, back + send, double click).
    resent = client.post(URL, data)
    assert resent.status_code == 303
    assert not CODE.search(client.get(RECEIVED).content.decode())
    assert Report.objects.count() == 1
    assert OutboxMessage.objects.count() == 1  # one confirmation mail
    # The one code still opens the one report.
    assert services.selectors.find_by_receipt_code(codes[0]) == Report.objects.get()


@pytest.mark.django_db
def test_back_to_a_fresh_form_and_sending_the_same_report_again_makes_no_second():
    client = Client()
    client.post(URL, _data(_token(client.get(URL).content.decode())))
    assert CODE.search(client.get(RECEIVED).content.decode())
    # The browser's back button re-loads the form: a new token, the same report.
    again = client.post(URL, _data(_token(client.get(URL).content.decode())))
    assert again.status_code == 303
    assert not CODE.search(client.get(RECEIVED).content.decode())
    assert Report.objects.count() == 1
    # A different report from the same browser is a new report.
    other = _data(_token(client.get(URL).content.decode()))
    other["what_happened"] = (
        "Een tweede, ander voorval: de begeleider maakte grappen over mijn accent."
    )
    assert client.post(URL, other).status_code == 303
    assert CODE.search(client.get(RECEIVED).content.decode())
    assert Report.objects.count() == 2


@pytest.mark.django_db
def test_the_same_token_from_another_browser_reveals_nothing():
    data = _data(_token(Client().get(URL).content.decode()))
    owner = Client()
    owner.post(URL, data)
    stranger = Client()
    assert stranger.post(URL, data).status_code == 303
    page = stranger.get(RECEIVED).content.decode()
    assert "al verstuurd" in page
    assert Report.objects.get().reference not in page and not CODE.search(page)
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_a_post_without_token_stores_nothing_and_asks_to_send_again():
    data = _data("")
    response = Client().post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Er is nog niets verstuurd" in html
    assert _token(html)  # a fresh token to send the corrected form with
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_service_refuses_a_second_report_with_the_same_token():
    first = f.submit_report(submission_token="t" * 32)
    with pytest.raises(services.DuplicateSubmission) as duplicate:
        f.submit_report(submission_token="t" * 32)
    assert duplicate.value.report == first.report
    assert Report.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_racing_submissions_with_one_token_make_one_report():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            submitted = f.submit_report(submission_token="r" * 32)
        except services.DuplicateSubmission:
            with lock:
                outcomes.append("duplicate")
        else:
            with lock:
                outcomes.append("code" if submitted.receipt_code else "no code")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["code", "duplicate"], outcomes
    assert Report.objects.count() == 1
