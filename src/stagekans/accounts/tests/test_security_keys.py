"""Security keys and passkeys (WebAuthn) as a second factor (issue 10, finding 2).

A software authenticator (stagekans.testing.webauthn) answers the server's real challenges,
so registration and verification pass django-otp-webauthn's own checks; the browser test with
Chromium's virtual authenticator is tests/browser/test_security_keys_browser.py.
"""

from __future__ import annotations

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from stagekans.accounts import security_keys, two_factor
from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.testing import factories as f
from stagekans.testing.webauthn import SoftAuthenticator

pytestmark = pytest.mark.django_db

LOGIN = "/account/inloggen/"
VERIFY = "/account/tweede-stap/"
SETUP = "/account/tweede-stap/instellen/"
SECURITY = "/account/beveiliging/"
REGISTERED = "/account/beveiliging/sleutel-toegevoegd/"
REGISTER_BEGIN = "/account/sleutel/registreren/begin/"
REGISTER_COMPLETE = "/account/sleutel/registreren/klaar/"
VERIFY_BEGIN = "/account/sleutel/verifieren/begin/"
VERIFY_COMPLETE = "/account/sleutel/verifieren/klaar/"


def _post_json(client: Client, url: str, data: dict) -> object:
    return client.post(url, data=json.dumps(data), content_type="application/json")


def _register(client: Client, authenticator: SoftAuthenticator | None = None) -> SoftAuthenticator:
    authenticator = authenticator or SoftAuthenticator()
    options = client.post(REGISTER_BEGIN)
    assert options.status_code == 200, options.content
    done = _post_json(client, REGISTER_COMPLETE, authenticator.register(options.json()))
    assert done.status_code == 200, done.content
    return authenticator


def _verify(client: Client, authenticator: SoftAuthenticator, next_url: str = "") -> object:
    options = client.post(VERIFY_BEGIN)
    assert options.status_code == 200, options.content
    url = f"{VERIFY_COMPLETE}?next={next_url}" if next_url else VERIFY_COMPLETE
    return _post_json(client, url, authenticator.authenticate(options.json()))


def _password_login(username: str) -> Client:
    client = Client()
    response = client.post(LOGIN, {"username": username, "password": f.PASSWORD})
    assert response.status_code == 302
    return client


def _staff_with_key_only(username: str = "mp") -> tuple[object, SoftAuthenticator]:
    """A member of staff whose one second factor is a key, set up on the forced set-up page."""
    user = f.UserFactory(role=Role.MELDPUNT, username=username)
    client = _password_login(username)
    assert client.get("/")["Location"].startswith(SETUP)
    authenticator = _register(client)
    return user, authenticator


def _audit(event: AuditEvent) -> list[AuditLog]:
    return list(AuditLog.objects.filter(event_type=event).order_by("id"))


# --- registering ------------------------------------------------------------------------------


def test_a_student_registers_a_key_and_gets_recovery_codes_once():
    user = f.UserFactory(role=Role.STUDENT, username="sam")
    client = Client()
    client.force_login(user)
    page = client.get(SECURITY)
    assert "Beveiligingssleutel toevoegen" in page.content.decode()
    _register(client)
    key = WebAuthnCredential.objects.get(user=user)
    assert key.confirmed and key.name == "Beveiligingssleutel 1"
    [registered] = _audit(AuditEvent.SECURITY_KEY_REGISTERED)
    assert registered.actor == user and registered.details == {"key": key.pk, "name": key.name}
    assert two_factor.has_second_factor(user)
    # The page's script then posts "key registered": first factor, so recovery codes.
    first = client.post(REGISTERED)
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", first.content.decode())
    assert len(codes) == 10
    again = client.post(REGISTERED)
    assert again.status_code == 302 and again["Location"] == SECURITY
    assert len(_audit(AuditEvent.RECOVERY_CODES_ISSUED)) == 1
    listed = client.get(SECURITY).content.decode()
    assert "Beveiligingssleutel 1" in listed and "nog niet" in listed


def test_staff_may_set_up_a_key_instead_of_the_app():
    user, _ = _staff_with_key_only()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert two_factor.has_second_factor(user)
    # The registration verified the session, like confirming the app does.
    client = Client()
    client.post(LOGIN, {"username": "mp", "password": f.PASSWORD})
    assert client.get("/")["Location"].startswith(VERIFY)  # not the set-up page


def test_registering_needs_the_second_step_first_when_a_factor_exists():
    user = f.UserFactory(role=Role.MELDPUNT, username="mp")
    f.totp_device(user)
    client = _password_login("mp")
    refused = client.post(REGISTER_BEGIN)
    assert refused.status_code == 403 and refused.json()["code"] == "user_not_verified"
    assert not WebAuthnCredential.objects.exists()


def test_a_forged_registration_is_refused_and_stores_nothing():
    user = f.UserFactory(role=Role.STUDENT, username="sam")
    client = Client()
    client.force_login(user)
    options = client.post(REGISTER_BEGIN).json()
    answer = SoftAuthenticator(origin="https://phishing.example").register(options)
    refused = _post_json(client, REGISTER_COMPLETE, answer)
    assert refused.status_code == 422
    assert not WebAuthnCredential.objects.exists()
    assert not _audit(AuditEvent.SECURITY_KEY_REGISTERED)


# --- the second step --------------------------------------------------------------------------


def test_staff_complete_the_second_step_with_their_key():
    user, authenticator = _staff_with_key_only()
    client = _password_login("mp")
    page = client.get(VERIFY)
    assert "Beveiligingssleutel gebruiken" in page.content.decode()
    assert 'id="otp_webauthn_config" type="application/json"' in page.content.decode()
    session_before = client.session.session_key
    done = _verify(client, authenticator, next_url="/stagemarkt/")
    assert done.status_code == 200 and done.json()["redirect_url"] == "/stagemarkt/"
    assert client.session.session_key != session_before  # a new session key, as with codes
    assert client.get("/").status_code == 200
    verified = _audit(AuditEvent.SECOND_FACTOR_VERIFIED)[-1]
    assert verified.actor == user and verified.details["kind"] == "security_key"
    assert WebAuthnCredential.objects.get(user=user).last_used_at is not None


def test_a_wrong_signature_is_refused_and_audited():
    _, authenticator = _staff_with_key_only()
    client = _password_login("mp")
    impostor = SoftAuthenticator(credential_id=authenticator.credential_id)  # other private key
    refused = _verify(client, impostor)
    assert refused.status_code == 422
    assert client.get("/")["Location"].startswith(VERIFY)
    failed = _audit(AuditEvent.SECOND_FACTOR_FAILED)[-1]
    assert failed.details == {"kind": "security_key", "reason": "invalid_authentication_response"}


def test_another_users_key_does_not_verify():
    _, theirs = _staff_with_key_only("mp")
    _staff_with_key_only("mp2")
    client = _password_login("mp2")
    refused = _verify(client, theirs)
    assert refused.status_code == 403 and refused.json()["code"] == "credential_user_mismatch"
    assert client.get("/")["Location"].startswith(VERIFY)
    assert _audit(AuditEvent.SECOND_FACTOR_FAILED)[-1].details["reason"] == (
        "credential_user_mismatch"
    )


def test_a_key_is_never_a_login_of_its_own():
    _, authenticator = _staff_with_key_only()
    anonymous = Client()
    assert anonymous.post(VERIFY_BEGIN).status_code == 403
    options = {"rpId": "localhost", "challenge": "AAAA"}
    refused = _post_json(anonymous, VERIFY_COMPLETE, authenticator.authenticate(options))
    assert refused.status_code == 403
    assert "_auth_user_id" not in anonymous.session


def test_recovery_codes_still_work_for_a_key_only_account():
    f.UserFactory(role=Role.MELDPUNT, username="mp")
    client = _password_login("mp")
    _register(client)  # on the forced set-up page; the page's script then posts:
    codes = re.findall(
        r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", client.post(REGISTERED).content.decode()
    )
    assert len(codes) == 10
    other = _password_login("mp")
    page = other.get(VERIFY).content.decode()
    assert "herstelcodes" in page
    assert other.post(VERIFY, {"token": codes[0]}).status_code == 302
    assert other.get("/").status_code == 200


# --- removing ---------------------------------------------------------------------------------


def test_staff_cannot_remove_their_last_second_factor():
    user, _ = _staff_with_key_only()
    key = WebAuthnCredential.objects.get(user=user)
    with pytest.raises(ValidationError, match="enige tweede stap"):
        security_keys.remove_security_key(acting_user=user, key_id=key.pk)
    assert WebAuthnCredential.objects.filter(pk=key.pk).exists()
    assert not _audit(AuditEvent.SECURITY_KEY_REMOVED)


def test_staff_with_the_app_or_another_key_may_remove_a_key():
    user, authenticator = _staff_with_key_only()
    client = _password_login("mp")
    _verify(client, authenticator)
    _register(client)  # a second key
    first, second = security_keys.security_keys(user)
    assert second.name == "Beveiligingssleutel 2"
    security_keys.remove_security_key(acting_user=user, key_id=first.pk)
    f.totp_device(user)
    security_keys.remove_security_key(acting_user=user, key_id=second.pk)
    assert not WebAuthnCredential.objects.filter(user=user).exists()
    removed = _audit(AuditEvent.SECURITY_KEY_REMOVED)
    assert [r.details["key"] for r in removed] == [first.pk, second.pk]
    assert all(r.actor == user for r in removed)


def test_a_student_may_remove_their_only_key_but_not_someone_elses():
    student = f.UserFactory(role=Role.STUDENT, username="sam")
    other, _ = _staff_with_key_only()
    client = Client()
    client.force_login(student)
    _register(client)
    theirs = WebAuthnCredential.objects.get(user=other)
    with pytest.raises(ValidationError):
        security_keys.remove_security_key(acting_user=student, key_id=theirs.pk)
    own = WebAuthnCredential.objects.get(user=student)
    security_keys.remove_security_key(acting_user=student, key_id=own.pk)
    assert not two_factor.has_second_factor(student)


def test_the_security_page_removes_a_key_or_says_why_not():
    user, authenticator = _staff_with_key_only()
    client = _password_login("mp")
    _verify(client, authenticator)
    key = WebAuthnCredential.objects.get(user=user)
    remove = f"/account/beveiliging/sleutels/{key.pk}/verwijderen/"
    refused = client.post(remove, follow=True)
    assert "Dit is uw enige tweede stap" in refused.content.decode()
    assert WebAuthnCredential.objects.filter(pk=key.pk).exists()
    assert client.get(remove).status_code == 405
    _register(client)
    done = client.post(remove, follow=True)
    assert "De beveiligingssleutel is verwijderd." in done.content.decode()
    assert not WebAuthnCredential.objects.filter(pk=key.pk).exists()
