"""Issue 10, finding 2: lockout (django-axes, per username and per address, proxy-aware,
audited, lifted by a beheerder), a mandatory second factor (TOTP, django-otp) for every staff
role with recovery codes, password change and reset by mail, logins in the audit log."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from stagekans.accounts.models import User
from stagekans.accounts.roles import ROLES, Role
from stagekans.accounts.two_factor import current_code
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.notifications.models import OutboxMessage
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db

LOGIN = "/account/inloggen/"
VERIFY = "/account/tweede-stap/"
SETUP = "/account/tweede-stap/instellen/"
STAFF_ROLES = [r for r, d in ROLES.items() if d.second_factor]


def _post_login(client: Client, username: str, password: str, **extra: str):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


# --- lockout ----------------------------------------------------------------------------------


def test_fifty_wrong_passwords_then_the_right_one_does_not_log_in(settings):
    user = f.UserFactory(role=Role.STUDENT, username="sam")
    client = Client()
    for _ in range(50):
        _post_login(client, "sam", "fout-wachtwoord")
    response = _post_login(client, "sam", f.PASSWORD)
    assert response.status_code == 429
    assert "Tijdelijk geblokkeerd" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditLog.objects.filter(
        event_type=AuditEvent.LOGIN_LOCKED_OUT, object_id=str(user.pk)
    ).exists()


def test_lockout_per_username_holds_across_addresses_and_email(settings):
    f.UserFactory(role=Role.STUDENT, username="sam", email="sam@example.nl")
    for i in range(settings.AXES_FAILURE_LIMIT):
        login_name = "sam" if i % 2 else "SAM@example.nl"  # switching does not buy attempts
        _post_login(Client(), login_name, "fout", REMOTE_ADDR=f"198.51.100.{i + 1}")
    response = _post_login(Client(), "sam", f.PASSWORD, REMOTE_ADDR="192.0.2.200")
    assert response.status_code == 429


def test_lockout_per_address_holds_across_usernames(settings):
    f.UserFactory(role=Role.STUDENT, username="sam")
    for i in range(settings.AXES_FAILURE_LIMIT):
        _post_login(Client(), f"iemand{i}", "fout", REMOTE_ADDR="198.51.100.7")
    assert _post_login(Client(), "sam", f.PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 429
    assert _post_login(Client(), "sam", f.PASSWORD, REMOTE_ADDR="198.51.100.8").status_code == 302


def test_lockout_is_proxy_aware_like_the_meldpunt_limits(settings):
    """Behind one proxy the client is the right-most X-Forwarded-For entry; a forged entry on
    the left neither evades the lockout nor locks out someone else."""
    settings.STAGEKANS_TRUSTED_PROXY_COUNT = 1
    f.UserFactory(role=Role.STUDENT, username="sam")
    for i in range(settings.AXES_FAILURE_LIMIT):
        _post_login(
            Client(),
            f"iemand{i}",
            "fout",
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}, 198.51.100.7",
        )
    blocked = _post_login(
        Client(), "sam", f.PASSWORD, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert blocked.status_code == 429
    other_client = _post_login(
        Client(), "sam", f.PASSWORD, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.8"
    )
    assert other_client.status_code == 302


def test_beheerder_lifts_a_lockout_in_the_app_and_it_is_audited(settings):
    f.UserFactory(role=Role.STUDENT, username="sam")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post_login(Client(), "sam", "fout")
    assert _post_login(Client(), "sam", f.PASSWORD).status_code == 429
    admin = f.UserFactory(role=Role.ADMIN)
    beheer = Client()
    beheer.force_login(admin)
    page = beheer.get("/account/blokkades/").content.decode()
    assert "sam" in page
    assert beheer.post("/account/blokkades/", {"username": "sam"}).status_code == 302
    assert AuditLog.objects.filter(event_type=AuditEvent.LOGIN_UNLOCKED, actor=admin).exists()
    # The address is still locked (same client address in tests); lift it too.
    beheer.post("/account/blokkades/", {"ip": "127.0.0.1"})
    assert _post_login(Client(), "sam", f.PASSWORD).status_code == 302


def test_logins_are_audited_without_passwords():
    user = f.UserFactory(role=Role.STUDENT, username="sam")
    _post_login(Client(), "sam", "geheim-fout-1")
    _post_login(Client(), "onbekend", "geheim-fout-2")
    _post_login(Client(), "sam", f.PASSWORD)
    failed = AuditLog.objects.filter(event_type=AuditEvent.LOGIN_FAILED).order_by("id")
    assert [r.object_id for r in failed] == [str(user.pk), ""]
    assert AuditLog.objects.filter(
        event_type=AuditEvent.LOGIN_SUCCEEDED, actor=user, object_id=str(user.pk)
    ).exists()
    everything = str(list(AuditLog.objects.values_list("details", flat=True)))
    for secret in ("geheim-fout-1", "geheim-fout-2", f.PASSWORD, "onbekend"):
        assert secret not in everything


# --- second factor ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_every_staff_role_needs_the_second_factor(role):
    user = f.UserFactory(role=role, username="medewerker")
    device = f.totp_device(user)
    client = Client()
    response = _post_login(client, "medewerker", f.PASSWORD)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    # Every page and the API refuse until the second step is done.
    for path in ("/", "/stagemarkt/", "/meldpunt/werkvoorraad/", "/beheer/", "/account/rollen/"):
        page = client.get(path)
        assert page.status_code == 302 and page["Location"].startswith(VERIFY), path
    api = client.get("/api/v1/qualifications/")
    assert api.status_code == 403
    right = client.post(VERIFY, {"token": current_code(device), "next": "/stagemarkt/"})
    assert right.status_code == 302 and right["Location"] == "/stagemarkt/"
    assert client.get("/").status_code == 200
    assert AuditLog.objects.filter(event_type=AuditEvent.SECOND_FACTOR_VERIFIED).count() == 1


def test_wrong_codes_are_refused_throttled_and_audited():
    user = f.UserFactory(role=Role.MELDPUNT, username="mp")
    device = f.totp_device(user)
    client = Client()
    _post_login(client, "mp", f.PASSWORD)
    wrong_code = "000000" if current_code(device) != "000000" else "111111"
    wrong = client.post(VERIFY, {"token": wrong_code})
    assert wrong.status_code == 400 and "klopt niet" in wrong.content.decode()
    # django-otp's throttle: right after a failure even the right code waits (1 s, doubling).
    assert client.post(VERIFY, {"token": current_code(device)}).status_code == 400
    time.sleep(1.1)
    assert client.post(VERIFY, {"token": current_code(device)}).status_code == 302
    assert AuditLog.objects.filter(event_type=AuditEvent.SECOND_FACTOR_FAILED).count() == 2


def test_a_code_works_once():
    user = f.UserFactory(role=Role.MELDPUNT, username="mp")
    device = f.totp_device(user)
    code = current_code(device)
    first = Client()
    _post_login(first, "mp", f.PASSWORD)
    assert first.post(VERIFY, {"token": code}).status_code == 302
    second = Client()
    _post_login(second, "mp", f.PASSWORD)
    assert second.post(VERIFY, {"token": code}).status_code == 400


def test_staff_without_a_device_set_it_up_and_get_recovery_codes():
    f.UserFactory(role=Role.SBB_INVESTIGATOR, username="onderzoeker")
    client = Client()
    response = _post_login(client, "onderzoeker", f.PASSWORD)
    assert response["Location"].startswith(SETUP)
    assert client.get("/onderzoek/")["Location"].startswith(SETUP)
    page = client.get(SETUP)
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user__username="onderzoeker", confirmed=False)
    done = client.post(SETUP, {"token": current_code(device)})
    assert done.status_code == 200
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", done.content.decode())
    assert len(codes) == 10
    assert client.get("/onderzoek/").status_code == 200
    # A recovery code logs in once, instead of the app.
    other = Client()
    _post_login(other, "onderzoeker", f.PASSWORD)
    assert other.post(VERIFY, {"token": codes[0]}).status_code == 302
    again = Client()
    _post_login(again, "onderzoeker", f.PASSWORD)
    assert again.post(VERIFY, {"token": codes[0]}).status_code == 400


def test_students_need_no_second_factor_but_may_set_one_up():
    f.UserFactory(role=Role.STUDENT, username="sam")
    client = Client()
    response = _post_login(client, "sam", f.PASSWORD)
    assert response.status_code == 302 and not response["Location"].startswith("/account/")
    assert client.get("/").status_code == 200
    assert client.get(SETUP).status_code == 200


def test_beheer_login_goes_through_the_app_login():
    response = Client().get("/beheer/login/?next=/beheer/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


# --- passwords --------------------------------------------------------------------------------


def test_password_reset_by_mail_through_the_outbox():
    user = f.UserFactory(role=Role.STUDENT, username="sam", email="sam@example.nl")
    client = Client()
    assert client.get("/account/wachtwoord-vergeten/").status_code == 200
    response = client.post("/account/wachtwoord-vergeten/", {"email": "sam@example.nl"})
    assert response.status_code == 302
    mail = OutboxMessage.objects.get(to="sam@example.nl")
    assert "nieuw wachtwoord" in mail.subject
    link = re.search(r"http://testserver(/account/wachtwoord-herstellen/\S+/)", mail.body)
    assert link is not None
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Heel-nieuw-wachtwoord-7", "new_password2": "Heel-nieuw-wachtwoord-7"},
    )
    user.refresh_from_db()
    assert user.check_password("Heel-nieuw-wachtwoord-7")
    assert AuditLog.objects.filter(
        event_type=AuditEvent.PASSWORD_RESET_DONE, object_id=str(user.pk)
    ).exists()
    # An unknown address sends nothing and says the same.
    client.post("/account/wachtwoord-vergeten/", {"email": "niemand@example.nl"})
    assert not OutboxMessage.objects.filter(to="niemand@example.nl").exists()


def test_password_change_is_audited():
    user = f.UserFactory(role=Role.STUDENT)
    client = Client()
    client.force_login(user)
    response = client.post(
        "/account/wachtwoord/",
        {
            "old_password": f.PASSWORD,
            "new_password1": "Heel-nieuw-wachtwoord-8",
            "new_password2": "Heel-nieuw-wachtwoord-8",
        },
    )
    assert response.status_code == 302
    assert AuditLog.objects.filter(event_type=AuditEvent.PASSWORD_CHANGED, actor=user).exists()
    assert User.objects.get(pk=user.pk).check_password("Heel-nieuw-wachtwoord-8")
