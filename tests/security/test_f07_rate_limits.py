"""Finding 7 (issue 10): the API is rate limited (DRF throttles with scopes), logged-in intake
has a limit, anonymous intake counts only accepted reports (a class behind one school NAT is
not locked out by typing mistakes), reporter messages are limited; 429 answers are Dutch and
documented in the OpenAPI schema."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, get_resolver

from stagekans.core import ratelimit as core_ratelimit
from stagekans.core.throttling import AnonThrottle, ScopedThrottle, UserThrottle, parse_rate
from stagekans.meldpunt import ratelimit
from stagekans.meldpunt.models import Report
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db
SEARCH = "/api/v1/stagemarkt/vacatures/"
INTAKE = "/meldpunt/"
SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    core_ratelimit.reset_circuit()
    yield
    cache.clear()


def form_data(**overrides):
    data = {
        "reporter_role": "student",
        "what_happened": "Bij het gesprek vroegen ze waar mijn ouders vandaan komen.",
        "occurred_on": (dt.date.today() - dt.timedelta(days=2)).isoformat(),
        "phase": "recruitment",
        "grounds": ["origin"],
        "company_name": "Drukkerij Het Anker",
        "follow_up": "support",
        "verstuur": "1",
    }
    data.update(overrides)
    return data


def _api_views():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLPattern):
                yield route, pattern.callback
            else:
                yield from walk(pattern.url_patterns, route)

    return [(r, cb) for r, cb in walk(get_resolver().url_patterns) if r.startswith("api/v1/")]


def test_every_api_view_is_throttled_with_a_configured_rate():
    rates = django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert {"anon", "user"} <= set(rates)
    views = _api_views()
    assert views
    for route, callback in views:
        view = callback.cls
        classes = set(view.throttle_classes)
        assert {AnonThrottle, UserThrottle, ScopedThrottle} <= classes, route
        scope = getattr(view, "throttle_scope", None)
        assert scope in rates, f"{route}: throttle_scope {scope!r} has no rate"
        number, seconds = parse_rate(rates[scope])
        assert number > 0 and seconds > 0


def test_search_api_is_throttled_per_client_in_dutch(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "stagemarkt-search": "3/min",
        },
    }
    settings.STAGEKANS_TRUSTED_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.30")
    statuses = [client.get(SEARCH, {"waar": "Utrecht"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    throttled = client.get(SEARCH, {"waar": "Utrecht"})
    assert throttled.status_code == 429
    assert throttled.json()["detail"].startswith("Te veel verzoeken. Wacht 60 seconden")
    assert throttled["Retry-After"] == "60"
    # Another student behind the same proxy is not affected; a spoofed left entry evades nothing.
    other = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.30")
    assert other.get(SEARCH, {"waar": "Utrecht"}).status_code == 200
    spoof = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.30")
    assert spoof.get(SEARCH, {"waar": "Utrecht"}).status_code == 429


def test_general_anon_rate_applies_to_every_public_api_view(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "anon": "2/min",
        },
    }
    client = Client(REMOTE_ADDR="203.0.113.31")
    assert client.get("/api/v1/kwalificaties/").status_code == 200
    assert client.get(SEARCH, {"waar": "Utrecht"}).status_code == 200
    assert client.get("/api/v1/kwalificaties/").status_code == 429


def test_schema_documents_the_429_answer_for_every_operation():
    schema = yaml.safe_load(SCHEMA.read_text())
    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "responses" in operation
    ]
    assert operations
    for path, method, operation in operations:
        answer = operation["responses"].get("429")
        assert answer, f"{method.upper()} {path} misses its 429 answer"
        assert "Te veel verzoeken" in answer["description"]
        assert "Retry-After" in answer["headers"]


def test_failed_submissions_do_not_use_up_a_schools_quota():
    school_nat = Client(REMOTE_ADDR="203.0.113.40")
    for _ in range(ratelimit.INTAKE_ACCEPTED.limit + 5):
        assert school_nat.post(INTAKE, form_data(what_happened="")).status_code == 400
    assert school_nat.post(INTAKE, form_data()).status_code == 201


def test_accepted_reports_are_limited_per_client(monkeypatch):
    monkeypatch.setattr(ratelimit, "INTAKE_ACCEPTED", ratelimit.Limit("intake-accepted", 2, 3600))
    client = Client(REMOTE_ADDR="203.0.113.41")
    assert [client.post(INTAKE, form_data()).status_code for _ in range(3)] == [201, 201, 429]
    assert Report.objects.count() == 2


def test_every_submission_counts_against_the_server_protection_limit(monkeypatch):
    monkeypatch.setattr(ratelimit, "INTAKE_ATTEMPTS", ratelimit.Limit("intake-attempts", 3, 3600))
    client = Client(REMOTE_ADDR="203.0.113.42")
    statuses = [client.post(INTAKE, form_data(what_happened="")).status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]


def test_logged_in_intake_is_limited_per_account():
    student = f.student_user(f.StudentFactory())
    client = Client(REMOTE_ADDR="203.0.113.43")
    client.force_login(student)
    limit = ratelimit.INTAKE_ACCOUNT.limit
    statuses = [client.post(INTAKE, form_data()).status_code for _ in range(limit + 1)]
    assert statuses[:limit] == [201] * limit and statuses[-1] == 429
    assert "Te veel pogingen" in client.post(INTAKE, form_data()).content.decode()
    # The account limit is the account's, not the address's.
    other = Client(REMOTE_ADDR="203.0.113.43")
    other.force_login(f.student_user(f.StudentFactory()))
    assert other.post(INTAKE, form_data()).status_code == 201


def test_reporter_messages_are_limited(monkeypatch):
    monkeypatch.setattr(ratelimit, "MESSAGES", ratelimit.Limit("reporter-message", 2, 3600))
    submitted = f.submit_report()
    client = Client(REMOTE_ADDR="203.0.113.44")
    assert client.post("/meldpunt/volgen/", {"code": submitted.receipt_code}).status_code == 302
    statuses = [
        client.post("/meldpunt/volgen/melding/", {"body": f"Bericht {i}"}).status_code
        for i in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert submitted.report.messages.count() == 2
