"""manage.py import_support_organisations FILE.csv — the referral directory, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from stagekans.support.importer import import_directory


class Command(BaseCommand):
    help = (
        "Importeer de verwijsgids (ondersteunende organisaties) uit een CSV-bestand "
        "(docs/import-verwijsgids.md); alles of niets."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--gebruiker", default="", help="Gebruikersnaam die in de auditlog als actor staat."
        )

    def handle(self, *args: Any, file: Path, gebruiker: str, **options: Any) -> None:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Kan {file} niet lezen als UTF-8: {error}") from error
        user = None
        if gebruiker:
            user = get_user_model().objects.filter(username=gebruiker).first()
            if user is None:
                raise CommandError(f"Gebruiker '{gebruiker}' bestaat niet.")
        report = import_directory(acting_user=user, text=text, source=file.name)
        for row_error in report.errors:
            self.stderr.write(str(row_error))
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(report.summary())
