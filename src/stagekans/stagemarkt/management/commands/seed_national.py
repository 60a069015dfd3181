from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stagekans.companies.models import Company
from stagekans.equalchances.national import EqualChancesNational
from stagekans.placements.national import placements_step
from stagekans.stagemarkt.national import NationalBuilder, analyse
from stagekans.stagemarkt.national_people import (
    NATIONAL_PASSWORD,
    PeopleBuilder,
    analyse_people,
)


class Command(BaseCommand):
    help = (
        "Laad een landelijke dataset voor de stagemarkt (standaard 250.000 leerbedrijven en "
        "300.000 vacatures), met scholen, 500.000 studenten, praktijkopleiders, medewerkers, "
        "hand-outs en meldingen; deterministisch met --seed. Snel op PostgreSQL (COPY)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2021, help="Random seed (deterministisch).")
        parser.add_argument("--companies", type=int, default=250_000)
        parser.add_argument("--vacancies", type=int, default=300_000)
        parser.add_argument("--students", type=int, default=500_000)
        parser.add_argument("--schools", type=int, default=60)
        parser.add_argument("--reports", type=int, default=200_000)
        parser.add_argument("--placements", type=int, default=250_000)
        parser.add_argument("--applications", type=int, default=1_500_000)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=(
                "Doe niets als de landelijke dataset er al staat (minstens --companies "
                "leerbedrijven). Demodata alleen telt niet: die mag er al staan."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["companies"] < 1 or options["vacancies"] < 0:
            raise CommandError("--companies moet minstens 1 zijn en --vacancies minstens 0.")
        if options["if_empty"] and Company.objects.count() >= options["companies"]:
            self.stdout.write("De landelijke dataset staat er al; niets gedaan.")
            return
        started = time.monotonic()

        def progress(message: str) -> None:
            self.stdout.write(f"  {time.monotonic() - started:6.1f} s  {message}")
            self.stdout.flush()

        result = NationalBuilder(
            seed=options["seed"],
            companies=options["companies"],
            vacancies=options["vacancies"],
            progress=progress,
        ).build()
        analyse()
        people = PeopleBuilder(
            seed=options["seed"],
            students=options["students"],
            schools=options["schools"],
            reports=options["reports"],
            progress=progress,
        ).build()
        analyse_people()
        self.stdout.write(f"  {placements_step(options['seed'], options['placements'], progress)}")
        EqualChancesNational(seed=options["seed"], progress=progress).build()
        applications = _applications_step(options["seed"], options["applications"], progress)
        _insight_facts_step(progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Landelijke dataset geladen in {time.monotonic() - started:.1f} s: "
                f"{result.companies:,} leerbedrijven, {result.locations:,} vestigingen, "
                f"{result.recognitions:,} erkenningen, {result.vacancies:,} vacatures "
                f"({result.published:,} gepubliceerd); {people.schools} scholen, "
                f"{people.students:,} studenten, {people.users:,} accounts "
                f"({people.trainers:,} praktijkopleiders, {people.school_staff} schoolmedewerkers, "
                f"{people.national_staff} landelijke medewerkers), {people.deliveries:,} "
                f"hand-outs, {people.reports:,} meldingen, {applications:,} sollicitaties. "
                f"Wachtwoord van elk account: "
                f"{NATIONAL_PASSWORD}."
            )
        )


def _applications_step(seed: int, n: int, progress: Any) -> int:
    from stagekans.applications.national import ApplicationsBuilder

    return ApplicationsBuilder(seed=seed, applications=n, progress=progress).build().applications


def _insight_facts_step(progress: Any) -> None:
    """The applications and placements above were written set-based, past the services: the
    insight student-year facts and company volumes are rebuilt from them in one go."""
    from django.db import connection, transaction

    from stagekans.insight import facts

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM education_student")
        facts.rebuild(0, int(cursor.fetchone()[0]))
        facts.rebuild_volumes()
    facts.analyze()
    progress("feiten voor inzicht herbouwd")
