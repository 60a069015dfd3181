"""Structured JSON logs with a request id, and no personal data in them.

The logs are captured from the handler that settings.LOGGING configures (not a test handler), so
the filters and formatter under test are the ones production uses.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client

from stagekans.core.logs import REDACTED, scrub
from stagekans.meldpunt.models import Report

NAME = "Fatima Bouzid-Verhoeven"
EMAIL = "fatima.bouzid@example.nl"
PHONE = "06 41234567"


@contextmanager
def captured_logs(*, sql: bool = False) -> Iterator[io.StringIO]:
    """Everything the configured console handler writes, at DEBUG (and SQL with parameters)."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    buffer = io.StringIO()
    previous_stream = handler.setStream(buffer)
    names = ["", "stagekans", "django", "django.db.backends"]
    levels = {name: logging.getLogger(name).level for name in names}
    for name in names:
        logging.getLogger(name).setLevel(logging.DEBUG)
    debug_cursor = connection.force_debug_cursor
    connection.force_debug_cursor = sql
    try:
        yield buffer
    finally:
        connection.force_debug_cursor = debug_cursor
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
        handler.setStream(previous_stream)


def lines(buffer: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]


@pytest.mark.django_db
def test_every_line_is_json_with_the_request_id_of_the_response(client):
    with captured_logs() as buffer:
        response = client.get("/over/")
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    records = lines(buffer)
    access = [r for r in records if r["logger"] == "stagekans.request"]
    assert access == [
        {
            "level": "INFO",
            "logger": "stagekans.request",
            "message": "GET /over/ 200",
            "request_id": request_id,
            "method": "GET",
            "path": "/over/",
            "status": 200,
            "duration_ms": access[0]["duration_ms"],
            "time": access[0]["time"],
        }
    ]
    assert dt.datetime.fromisoformat(str(access[0]["time"])).tzinfo is not None


@pytest.mark.django_db
def test_a_request_id_from_the_proxy_is_kept_and_a_malformed_one_replaced(client):
    kept = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a9c21-0001")
    assert kept["X-Request-ID"] == "lb-7f3a9c21-0001"
    for bad in ["short", "a" * 129, "abc12345\r\nSet-Cookie: x=1", "<script>alert(1)</script>"]:
        replaced = client.get("/healthz", HTTP_X_REQUEST_ID=bad)
        assert re.fullmatch(r"[0-9a-f]{32}", replaced["X-Request-ID"]), bad


def test_lines_outside_a_request_carry_a_dash():
    with captured_logs() as buffer:
        logging.getLogger("stagekans.test").warning("buiten een verzoek")
    assert lines(buffer)[-1]["request_id"] == "-"


def test_patterns_are_scrubbed_from_messages_arguments_and_exceptions():
    with captured_logs() as buffer:
        logger = logging.getLogger("stagekans.test")
        logger.warning("mail naar %s, bel %s", EMAIL, "+31 6 4123 4567")
        try:
            raise ValueError(f"weigering voor {EMAIL}")
        except ValueError:
            logger.exception("versturen mislukt")
    text = buffer.getvalue()
    assert EMAIL not in text and "4123 4567" not in text
    assert text.count(REDACTED) == 3
    assert "ValueError" in text  # the exception itself is still there


def test_scrub_leaves_ordinary_text_alone():
    text = "outbox: sent 12 mails; GET /stagemarkt/ 200 in 31.2 ms (crebo 25655)"
    assert scrub(text) == text


@pytest.mark.django_db
def test_a_report_with_name_email_and_phone_leaves_none_of_them_in_the_logs(
    django_capture_on_commit_callbacks,
):
    """The intake writes the contact details in SQL (logged with parameters at DEBUG) and mails
    the reporter; none of the three may reach the log output."""
    data = {
        "reporter_role": "student",
        "what_happened": "De eigenaar zei dat hij geen meisjes met een hoofddoek wil.",
        "occurred_on": (dt.date.today() - dt.timedelta(days=3)).isoformat(),
        "phase": "recruitment",
        "grounds": ["religion"],
        "company_name": "Bakkerij De Korenaar",
        "follow_up": "investigation",
        "contact_name": NAME,
        "contact_email": EMAIL,
        "contact_phone": PHONE,
        "verstuur": "1",
        "submission_token": secrets.token_urlsafe(24),
    }
    with captured_logs(sql=True) as buffer, django_capture_on_commit_callbacks(execute=True):
        response = Client(REMOTE_ADDR="203.0.113.9").post("/meldpunt/", data)
    assert response.status_code == 303, response.content.decode()[:2000]
    contact = Report.objects.get().contact
    assert (contact.name, contact.email, contact.phone) == (NAME, EMAIL, PHONE)

    text = buffer.getvalue()
    records = lines(buffer)
    # The capture saw the writes (so the assertions below can fail): SQL for the contact row.
    inserts = [r for r in records if 'INSERT INTO "meldpunt_reportercontact"' in str(r.get("sql"))]
    assert len(inserts) == 1
    assert inserts[0]["request_id"] == response["X-Request-ID"]
    assert any(r["logger"] == "stagekans.request" and r["status"] == 303 for r in records)
    # The mail was sent (after commit) and logged, also without the address.
    assert any(r["message"] == "outbox: sent 1 mails" for r in records)
    for value in (NAME, "Bouzid", EMAIL, "fatima.bouzid", PHONE, "41234567"):
        assert value not in text, f"{value!r} in the logs"
    assert REDACTED in text


@pytest.mark.django_db
def test_a_failed_login_leaves_neither_username_nor_password_in_the_logs():
    """The login form's values reach SQL (the user lookup, the lockout bookkeeping); with SQL
    logged at DEBUG, neither the username nor the password may appear in the output."""
    username, password = "fatima.bouzid82", "Geheim-wachtwoord-2026"
    with captured_logs(sql=True) as buffer:
        response = Client(REMOTE_ADDR="203.0.113.10").post(
            "/account/inloggen/", {"username": username, "password": password}
        )
    assert response.status_code in (200, 400)
    text = buffer.getvalue()
    assert any(r["logger"] == "django.db.backends" for r in lines(buffer))  # SQL was captured
    assert username not in text
    assert password not in text
