from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stagekans.geo.pc4 import Pc4FileError, builtin_rows, parse_pc4_file
from stagekans.geo.services import load_postcode_areas


class Command(BaseCommand):
    help = (
        "Laad postcodegebieden (PC4): zonder bestand de ingebouwde tabel, met een bestand het "
        "officiële PC4-bestand (CBS/PostNL) als CSV met de kolommen pc4, woonplaats, provincie, "
        "latitude, longitude. Alles of niets: een fout bestand verandert niets."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="CSV-bestand (komma of puntkomma).")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Verwijder postcodegebieden die niet in het bestand staan (volledig bestand).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["file"]:
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(f"Bestand {path} bestaat niet.")
            try:
                text = path.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError as error:
                raise CommandError(f"{path} is geen UTF-8-tekst: {error}.") from error
            try:
                rows = parse_pc4_file(text)
            except Pc4FileError as error:
                for line in error.errors[:50]:
                    self.stderr.write(line)
                more = len(error.errors) - 50
                if more > 0:
                    self.stderr.write(f"… en nog {more} fouten.")
                raise CommandError("Niets geladen: het bestand bevat fouten.") from error
        else:
            rows = list(builtin_rows())
        written = load_postcode_areas(acting_user=None, rows=rows, replace=options["replace"])
        self.stdout.write(self.style.SUCCESS(f"{written} postcodegebieden geladen."))
