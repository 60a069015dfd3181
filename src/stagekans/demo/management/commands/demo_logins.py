from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from stagekans.accounts.models import User
from stagekans.demo.builder import DEMO_LOGINS, DEMO_PASSWORD


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
        self.stdout.write("")
