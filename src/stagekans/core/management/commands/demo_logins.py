from __future__ import annotations

import base64
from typing import Any

from django.core.management.base import BaseCommand

from stagekans.accounts.models import User
from stagekans.core.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_TOTP_KEY

DEMO_TOTP_SECRET = base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()


class Command(BaseCommand):
    help = "Toon de demologins (één per rol)."

    def handle(self, *args: Any, **options: Any) -> None:
        existing = set(
            User.objects.filter(username__in=[u for _, u, _ in DEMO_LOGINS]).values_list(
                "username", flat=True
            )
        )
        self.stdout.write(f"\nDemologins (wachtwoord voor allemaal: {DEMO_PASSWORD})\n")
        self.stdout.write(f"  {'rol':<34} gebruikersnaam")
        for _, username, label in DEMO_LOGINS:
            mark = "" if username in existing else "  (ontbreekt: voer seed_demo uit)"
            self.stdout.write(f"  {label:<34} {username}{mark}")
        self.stdout.write(
            "\nMedewerkers (alle rollen behalve student) loggen in met een tweede stap.\n"
            "  Code van dit moment: python manage.py demo_totp <gebruikersnaam>\n"
            f"  Of zet de sleutel in een authenticator-app: {DEMO_TOTP_SECRET}\n"
        )
