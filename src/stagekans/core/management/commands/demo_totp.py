from __future__ import annotations

import base64
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from stagekans.accounts.models import User
from stagekans.accounts.two_factor import confirmed_totp_device, current_code
from stagekans.core.demo import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "Toon de huidige code van de tweede stap (TOTP) van een demologin."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        device = confirmed_totp_device(user) if user is not None else None
        if device is None:
            raise CommandError(f"{options['username']}: geen demologin met een tweede stap.")
        if device.key != DEMO_TOTP_KEY:
            # Only demo devices have a secret we know; a real user's app code is never printed.
            raise CommandError(f"{options['username']}: dit is geen demo-authenticator.")
        self.stdout.write(current_code(device))
        secret = base64.b32encode(device.bin_key).decode()
        self.stderr.write(
            f"(code van dit moment; elke code werkt één keer. Sleutel voor een eigen "
            f"authenticator-app: {secret})"
        )
