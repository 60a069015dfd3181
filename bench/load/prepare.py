"""Prepares one load-benchmark run (called by bench/load/run.py in the bench environment).

Writes a JSON file with what the simulated users need: a logged-in session of a meldpunt
employee (made with Django's own login machinery, so the benchmark does not depend on the
login form), a fresh receipt code of an anonymous report (made through the intake service) and
the PC4 areas to search around.
"""

from __future__ import annotations

import json
import sys

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

from stagekans.accounts.models import User  # noqa: E402
from stagekans.geo.models import PostcodeArea  # noqa: E402
from stagekans.meldpunt import services as meldpunt_services  # noqa: E402
from stagekans.meldpunt.models import FollowUp, Ground, Phase, ReporterRole  # noqa: E402


def staff_session() -> str:
    user = User.objects.filter(username="meldpunt").first()
    if user is None or not user.has_perm("meldpunt.view_report"):
        sys.exit("De demo-gebruiker 'meldpunt' ontbreekt: laad eerst seed_demo (run.py doet dat).")
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


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
