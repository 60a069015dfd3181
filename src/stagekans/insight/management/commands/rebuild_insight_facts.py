from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from stagekans.insight import facts


class Command(BaseCommand):
    help = (
        "Rebuild the insight student-year facts from applications and placements, in chunks of "
        "student ids, each in its own transaction (resume with --start-after). --check only "
        "compares the facts with a computation from the applications and placements."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chunk", type=int, default=50_000, help="student ids per step")
        parser.add_argument("--start-after", type=int, default=0, help="last student id done")
        parser.add_argument("--check", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            if facts.mismatches():
                raise CommandError("De feiten wijken af van de sollicitaties en stages.")
            self.stdout.write("De feiten kloppen met de sollicitaties en stages.")
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM education_student")
            last = int(cursor.fetchone()[0])
        done = options["start_after"]
        while done < last:
            up_to = min(done + options["chunk"], last)
            with transaction.atomic():
                facts.rebuild(done, up_to)
            done = up_to
            self.stdout.write(f"student-id {done} van {last} klaar")
        with transaction.atomic():
            facts.rebuild_volumes()
        facts.analyze()
