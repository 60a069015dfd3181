"""Prepares one load-benchmark run (called by bench/load/run.py in the bench environment).

Writes a JSON file with what the simulated users need: a logged-in, second-factor-verified
session of the demo meldpunt employee (stored as Django's login would store it, so the
benchmark does not depend on the login and TOTP forms), a fresh receipt code of an anonymous
report (made through the intake service) and the PC4 areas to search around.
"""

from __future__ import annotations

import json
import sys

import django

django.setup()

from importlib import import_module  # noqa: E402

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.db import transaction  # noqa: E402

from stagekans.accounts.models import User  # noqa: E402
from stagekans.geo.models import PostcodeArea  # noqa: E402
from stagekans.meldpunt import services as meldpunt_services  # noqa: E402
from stagekans.meldpunt.models import FollowUp, Ground, Phase, ReporterRole  # noqa: E402


def staff_session() -> str:
    user = User.objects.filter(username="meldpunt").first()
    if user is None or not user.has_perm("meldpunt.view_report"):
        sys.exit("De demo-gebruiker 'meldpunt' ontbreekt: laad eerst seed_demo (run.py doet dat).")
    # Staff need a second factor (django-otp); the benchmark's session counts as verified with
    # a TOTP device of its own, as after a real login with the authenticator app.
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="belastingtest", defaults={"confirmed": True}
    )
    # The session Django's login() would store (built directly: login() also fires the
    # lockout bookkeeping, which needs a real request).
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return session.session_key or ""


def receipt_code() -> str:
    import datetime as dt

    with transaction.atomic():
        submitted = meldpunt_services.submit_report(
            acting_user=None,
            reporter_role=ReporterRole.STUDENT,
            what_happened="Belastingtest: melding om de volgpagina met ontvangstcode te meten.",
            occurred_on=dt.date.today() - dt.timedelta(days=1),
            grounds=[Ground.ORIGIN],
            phase=Phase.RECRUITMENT,
            follow_up=FollowUp.REGISTER_ONLY,
            company_name="Belastingtest BV",
        )
    assert submitted.receipt_code
    return str(submitted.receipt_code)


def main() -> None:
    out = {
        "session_cookie_name": settings.SESSION_COOKIE_NAME,
        "staff_session": staff_session(),
        "receipt_code": receipt_code(),
        "pc4s": sorted(PostcodeArea.objects.values_list("pc4", flat=True))[:2000],
    }
    with open(sys.argv[1], "w") as fh:
        json.dump(out, fh)


if __name__ == "__main__":
    main()
