from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from stagekans.insight.simulation import SimulationParams, simulate


class Command(BaseCommand):
    help = (
        "Simulate a cohort under open application (biased companies) and school-led blind "
        "matching; prints parameters (with the calibrated ones) and outcomes as JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = SimulationParams()
        parser.add_argument("--students", type=int, default=defaults.students)
        parser.add_argument("--companies", type=int, default=defaults.companies)
        parser.add_argument("--non-western-share", type=float, default=defaults.non_western_share)
        parser.add_argument(
            "--biased-company-share", type=float, default=defaults.biased_company_share
        )
        parser.add_argument("--bias", type=float, default=None, help="default: calibrated")
        parser.add_argument("--seed", type=int, default=defaults.seed)

    def handle(self, *args: Any, **options: Any) -> None:
        result = simulate(
            SimulationParams(
                students=options["students"],
                companies=options["companies"],
                non_western_share=options["non_western_share"],
                biased_company_share=options["biased_company_share"],
                bias=options["bias"],
                seed=options["seed"],
            )
        )
        self.stdout.write(json.dumps(result.as_dict(), indent=2))
