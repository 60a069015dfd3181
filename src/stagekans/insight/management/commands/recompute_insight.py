from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from stagekans.insight.services.recompute import recompute


class Command(BaseCommand):
    help = "Recompute the insight outcome tables and company signals (precomputed results)."

    def handle(self, *args: Any, **options: Any) -> None:
        run = recompute(acting_user=None)
        self.stdout.write(
            f"{run.student_years} student-jaren, {run.applications} sollicitaties, "
            f"{run.companies_tested} leerbedrijven getoetst, {run.signals} signalen, "
            f"{run.tables.count()} tabellen in {run.seconds:.2f} s"
        )
