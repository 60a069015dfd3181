from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from stagekans.settings.env import DECLARED


class Command(BaseCommand):
    help = "Toon alle omgevingsvariabelen met hun standaardwaarde en uitleg."

    def handle(self, *args: Any, **options: Any) -> None:
        for var in DECLARED:
            self.stdout.write(f"{var.name}\n    standaard: {var.default!r}\n    {var.help}\n")
