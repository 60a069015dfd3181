"""Issue 10, finding 8: sensitive pages are not cacheable, sessions end when idle (staff 30
minutes, students 2 hours), the follow-with-code session ends with the browser or the stop
button, and every page carries a CSP without inline script and a Permissions-Policy."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

import stagekans
from stagekans.accounts import middleware
from stagekans.accounts.roles import Role
from stagekans.meldpunt.views import FOLLOW_SESSION_KEY
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db

PACKAGE = Path(stagekans.__file__).resolve().parent


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


# --- Cache-Control ----------------------------------------------------------------------------


def test_every_page_for_a_logged_in_user_is_no_store():
    report = f.submit_report().report
    staff = f.UserFactory(role=Role.MELDPUNT)
    client = Client()
    client.force_login(staff)
    for path in ("/", "/meldpunt/werkvoorraad/", f"/meldpunt/meldingen/{report.reference}/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert _no_store(response), path
    student = Client()
    student.force_login(f.UserFactory(role=Role.STUDENT))
    assert _no_store(student.get("/stagemarkt/"))


def test_anonymous_report_and_follow_pages_are_no_store_public_search_is_not():
    client = Client()
    for path in ("/meldpunt/", "/meldpunt/volgen/", "/account/inloggen/"):
        assert _no_store(client.get(path)), path
    assert not _no_store(client.get("/stagemarkt/"))
    assert not _no_store(client.get("/register/"))


def test_follow_with_code_page_is_no_store():
    submitted = f.submit_report()
    client = Client(REMOTE_ADDR="192.0.2.10")
    client.post("/meldpunt/volgen/", {"code": submitted.receipt_code})
    response = client.get("/meldpunt/volgen/melding/")
    assert response.status_code == 200 and _no_store(response)


# --- idle timeout -----------------------------------------------------------------------------


class _Clock:
    def __init__(self, start: float) -> None:
        self.now = start

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    import time

    fake = _Clock(time.time())
    monkeypatch.setattr(middleware.time, "time", fake.time)
    return fake


def test_staff_session_ends_after_30_idle_minutes(clock):
    client = Client()
    client.force_login(f.UserFactory(role=Role.SBB_ADVISOR))
    assert client.get("/erkenningen/").status_code == 200
    clock.now += 29 * 60
    assert client.get("/erkenningen/").status_code == 200  # activity resets the clock
    clock.now += 29 * 60
    assert client.get("/erkenningen/").status_code == 200
    clock.now += 31 * 60
    response = client.get("/erkenningen/")
    assert response.status_code == 302 and response["Location"].startswith("/account/inloggen/")
    assert "_auth_user_id" not in client.session
    assert client.get("/erkenningen/")["Location"].startswith("/account/inloggen/")


def test_student_session_lasts_two_idle_hours(clock):
    client = Client()
    client.force_login(f.student_user(f.StudentFactory()))
    assert client.get("/mijn-profiel/").status_code == 200
    clock.now += 90 * 60
    assert client.get("/mijn-profiel/").status_code == 200
    clock.now += 121 * 60
    assert client.get("/mijn-profiel/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_sessions_have_an_absolute_bound():
    assert django_settings.SESSION_COOKIE_AGE <= 12 * 60 * 60


# --- follow-with-code: ends with the browser, and a stop button -----------------------------


def test_follow_session_ends_with_the_browser_and_with_stop():
    submitted = f.submit_report()
    client = Client(REMOTE_ADDR="192.0.2.10")
    response = client.post("/meldpunt/volgen/", {"code": submitted.receipt_code})
    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]  # a browser-session cookie
    page = client.get("/meldpunt/volgen/melding/").content.decode()
    assert 'action="/meldpunt/volgen/stoppen/"' in page and "Stoppen" in page
    stopped = client.post("/meldpunt/volgen/stoppen/")
    assert stopped.status_code == 302 and stopped["Location"] == "/meldpunt/volgen/"
    assert FOLLOW_SESSION_KEY not in client.session
    assert client.get("/meldpunt/volgen/melding/")["Location"] == "/meldpunt/volgen/"


# --- CSP and Permissions-Policy ---------------------------------------------------------------


def test_csp_without_inline_script_and_permissions_policy_on_every_page():
    client = Client()
    for path in ("/", "/meldpunt/", "/stagemarkt/", "/account/inloggen/"):
        response = client.get(path)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, path
        assert "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "camera=()" in response["Permissions-Policy"]


def test_no_template_has_inline_script_style_or_event_handlers():
    offenders = []
    for template in (PACKAGE / "templates").rglob("*.html"):
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offenders.append(f"{template}: inline <script>")
        if re.search(r"<style\b|\sstyle=", text):
            offenders.append(f"{template}: inline style")
        if re.search(r"\son[a-z]+=", text):
            offenders.append(f"{template}: event handler attribute")
    assert not offenders, offenders


def test_check_deploy_is_clean_on_production_settings(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "stagekans.settings.production",
        "DJANGO_SECRET_KEY": "k" * 20 + "-deploy-check-" + "z9Q" * 12,
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/5",
        "BACKGROUND_PSEUDONYM_KEY": "b" * 20 + "-pseudonym-" + "q7W" * 8,
        "DJANGO_ALLOWED_HOSTS": "stagekans.example.nl",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PACKAGE.parents[1],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
