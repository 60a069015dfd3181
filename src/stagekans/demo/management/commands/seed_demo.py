from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from stagekans.demo.builder import DemoBuilder, DemoSizes
from stagekans.demo.counts import current_counts
from stagekans.education.models import School

MIN_COMPANIES = 30  # the scenarios need 14 recognised companies of their own


class Command(BaseCommand):
    help = (
        "Laad demodata: scholen, studenten, leerbedrijven, erkenningen, vacatures, meldingen, "
        "onderzoekszaken, intrekkingen, taken en een login per rol."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2021, help="Random seed (deterministisch).")
        parser.add_argument("--schools", type=int, default=4)
        parser.add_argument("--students", type=int, default=500)
        parser.add_argument("--companies", type=int, default=300)
        parser.add_argument(
            "--history-reports",
            type=int,
            default=500,
            help="Meldingen in de twee afgelopen kalenderjaren (voor de statistiek).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Doe niets als er al gegevens zijn (voor make run).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for name in ("schools", "students"):
            if options[name] < 1:
                raise CommandError(f"--{name} moet minstens 1 zijn.")
        if options["companies"] < MIN_COMPANIES:
            raise CommandError(f"--companies moet minstens {MIN_COMPANIES} zijn.")
        if School.objects.exists():
            if options["if_empty"]:
                self.stdout.write("Demodata staat er al; niets gedaan.")
                return
            raise CommandError(
                "De database bevat al gegevens. Gebruik een lege database, of begin opnieuw met "
                "'manage.py reset_demo'."
            )
        started = time.monotonic()
        sizes = DemoSizes(
            options["schools"],
            options["students"],
            options["companies"],
            history_reports=max(0, options["history_reports"]),
        )
        # The demo's hundreds of mails would flood a console; they are in the outbox, readable
        # in the app (beheerder → Uitgaande e-mail), so while seeding they are kept in memory.
        backend = settings.EMAIL_BACKEND
        if backend.endswith("console.EmailBackend"):
            backend = "django.core.mail.backends.locmem.EmailBackend"
        with override_settings(EMAIL_BACKEND=backend):
            DemoBuilder(options["seed"], sizes).build()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demodata geladen in {time.monotonic() - started:.1f} s "
                f"(seed {options['seed']}). In de database:"
            )
        )
        for label, count in current_counts():
            self.stdout.write(f"  {count:>6} {label}")
