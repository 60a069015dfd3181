"""Issue 10, finding 2: a security key (WebAuthn) as the second step, in a real browser.

Chromium's virtual authenticator (Chrome DevTools Protocol, WebAuthn domain) plays the key:
a coördinator registers it on the security page, logs out, logs in with the password and
completes the second step with the key instead of a code. http://localhost is a secure
context for WebAuthn, so the relying party id is the live server's host name.
"""

from __future__ import annotations

import re

import pytest
from django_otp_webauthn.models import WebAuthnCredential

from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.testing import factories as f

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def virtual_key(page):  # type: ignore[no-untyped-def]
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    yield cdp, added["authenticatorId"]
    cdp.send("WebAuthn.disable")


@pytest.fixture
def relying_party(settings, live_server):  # type: ignore[no-untyped-def]
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    assert live_server.url.startswith("http://localhost:")


def test_staff_register_a_key_and_log_in_with_it(page, axe, virtual_key, relying_party):
    cdp, authenticator_id = virtual_key
    staff = f.school_staff_user(f.SchoolFactory(), username="coordinator", first_name="Noor")
    f.totp_device(staff)
    login(page, "coordinator")  # password and app code

    page.goto("/account/beveiliging/")
    page.get_by_role("heading", name="Beveiligingssleutels en passkeys").wait_for()
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Beveiligingssleutel toevoegen").click()
    # The app was set up without recovery codes, so the key's registration shows them once.
    page.get_by_role("heading", name="Uw herstelcodes").wait_for()
    assert len(page.get_by_test_id("recovery-codes").locator("code").all()) == 10
    assert (
        len(
            cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})[
                "credentials"
            ]
        )
        == 1
    )
    key = WebAuthnCredential.objects.get(user=staff)

    page.goto("/account/beveiliging/")
    table = page.get_by_test_id("security-keys")
    assert "Beveiligingssleutel 1" in table.inner_text()
    assert "nog niet" in table.inner_text()
    axe.assert_no_violations(page)

    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(re.compile(r"/$"))
    page.goto("/account/inloggen/")
    page.get_by_label("Gebruikersnaam of e-mailadres").fill("coordinator")
    page.get_by_label("Wachtwoord").fill(f.PASSWORD)
    page.get_by_role("button", name="Inloggen").last.click()
    page.wait_for_url(re.compile(r"/account/tweede-stap/"))
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Beveiligingssleutel gebruiken").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welkom")

    key.refresh_from_db()
    assert key.last_used_at is not None and key.sign_count >= 1
    verified = AuditLog.objects.filter(
        event_type=AuditEvent.SECOND_FACTOR_VERIFIED, actor=staff
    ).latest("id")
    assert verified.details["kind"] == "security_key"
