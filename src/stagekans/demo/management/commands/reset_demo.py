from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Begin opnieuw met verse demodata: leegt de database (alle gegevens!), laadt de "
        "referentiegegevens en de demodata opnieuw. Niet voor productie."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--yes", action="store_true", help="Niet om bevestiging vragen.")
        parser.add_argument("--seed", type=int, default=2021)
        for name, default in (
            ("schools", 4),
            ("students", 500),
            ("companies", 300),
            ("history-reports", 500),
        ):
            parser.add_argument(f"--{name}", type=int, default=default)

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "reset_demo wist alle gegevens en werkt alleen met DEBUG aan (ontwikkeling)."
            )
        if not options["yes"]:
            answer = input("Dit wist ALLE gegevens in de database. Doorgaan? [ja/nee] ")
            if answer.strip().lower() not in {"ja", "j", "yes", "y"}:
                raise CommandError("Afgebroken; er is niets gewist.")
        from django.contrib.contenttypes.models import ContentType

        from stagekans.core.reference_data import restore

        # flush re-creates content types and permissions (post_migrate); the data migrations'
        # reference data (role groups, texts, PC4 areas) is put back by restore().
        call_command("flush", interactive=False, verbosity=0)
        ContentType.objects.clear_cache()
        restore()
        call_command(
            "seed_demo",
            seed=options["seed"],
            schools=options["schools"],
            students=options["students"],
            companies=options["companies"],
            history_reports=options["history_reports"],
            stdout=self.stdout,
        )
        call_command("demo_logins", stdout=self.stdout)
