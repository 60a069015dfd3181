"""CSV import of the referral directory (format: docs/import-verwijsgids.md).

All or nothing: every row is checked first and every error is reported with its row, column
and a Dutch reason; only a file without a single error is written, in one transaction. The
file is the complete public list: entries it no longer holds are set inactive (referrals made
to them keep pointing at them), entries it holds are created or updated by their `code`.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record_many
from stagekans.geo.places import Province
from stagekans.support.models import OrganisationKind, SupportOrganisation

COLUMNS = (
    "code",
    "kind",
    "name",
    "region",
    "municipalities",
    "province",
    "phone",
    "email",
    "website",
    "description",
)
REQUIRED = ("code", "kind", "name")
MAX_LENGTHS = {
    "code": 60,
    "name": 200,
    "region": 200,
    "phone": 30,
    "email": 254,
    "website": 200,
    "description": 2000,
    "municipalities": 5000,
}
MAX_ROWS = 5_000
_CODE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_PHONE = re.compile(r"^[0-9+() -]{3,30}$")


@dataclass(frozen=True)
class RowError:
    row: int  # line in the file; the header is line 1
    column: str
    message: str

    def __str__(self) -> str:
        return _("Rij %(row)s, kolom %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class DirectoryImportReport:
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return _(
                "Er is niets geïmporteerd: %(n)s fout(en) gevonden. Herstel het bestand en "
                "importeer het opnieuw."
            ) % {"n": len(self.errors)}
        return _(
            "%(rows)s organisaties gelezen: %(created)s nieuw, %(updated)s bijgewerkt, "
            "%(unchanged)s ongewijzigd, %(deactivated)s niet meer op de lijst (inactief)."
        ) % {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deactivated": self.deactivated,
        }


def _validate(text: str, report: DirectoryImportReport) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [h.strip() for h in reader.fieldnames] if reader.fieldnames else None
    except csv.Error as exc:
        report.errors.append(RowError(1, "-", _("Geen geldige CSV (%(r)s).") % {"r": exc}))
        return []
    if not header:
        report.errors.append(RowError(1, "-", _("Het bestand is leeg.")))
        return []
    missing = [c for c in COLUMNS if c not in header]
    for column in missing:
        report.errors.append(RowError(1, column, _("Deze kolom ontbreekt in de kopregel.")))
    if missing:
        return []
    reader.fieldnames = header
    kinds = frozenset(OrganisationKind.values)
    provinces = frozenset(Province.values)
    url_ok = URLValidator(schemes=["https", "http"])
    seen: dict[str, int] = {}
    parsed: list[dict[str, Any]] = []
    try:
        raw_rows = list(reader)
    except csv.Error as exc:
        report.errors.append(
            RowError(
                reader.line_num, "-", _("Deze regel is geen geldige CSV (%(r)s).") % {"r": exc}
            )
        )
        return []
    if len(raw_rows) > MAX_ROWS:
        report.errors.append(
            RowError(1, "-", _("Te veel regels: hoogstens %(n)s organisaties.") % {"n": MAX_ROWS})
        )
        return []
    if not raw_rows:
        report.errors.append(RowError(2, "-", _("Het bestand bevat geen organisaties.")))
        return []
    for index, raw in enumerate(raw_rows):
        line = index + 2
        report.rows += 1
        value = {c: (raw.get(c) or "").strip() for c in COLUMNS}
        errors: list[RowError] = []

        def err(
            column: str, message: str, line: int = line, errors: list[RowError] = errors
        ) -> None:
            errors.append(RowError(line, column, message))

        if None in raw:
            err("-", _("Deze rij heeft meer cellen dan de kopregel kolommen heeft."))
        for column in REQUIRED:
            if not value[column]:
                err(column, _("Dit veld is verplicht."))
        for column, limit in MAX_LENGTHS.items():
            if len(value[column]) > limit:
                err(column, _("Mag hoogstens %(n)s tekens lang zijn.") % {"n": limit})
        if any("\x00" in v for v in value.values()):
            err("-", _("Bevat een ongeldig teken (NUL)."))
        code = value["code"]
        if code and not _CODE.match(code):
            err(
                "code",
                _("Gebruik alleen kleine letters, cijfers en koppeltekens (bijv. adv-rotterdam)."),
            )
        elif code in seen:
            err("code", _("Deze code staat al in rij %(first)s.") % {"first": seen[code]})
        if value["kind"] and value["kind"] not in kinds:
            err(
                "kind",
                _("Onbekende soort '%(v)s'; kies uit: %(allowed)s.")
                % {"v": value["kind"], "allowed": ", ".join(OrganisationKind.values)},
            )
        if value["province"] and value["province"] not in provinces:
            err(
                "province",
                _("Onbekende provincie '%(v)s'; gebruik de code: %(allowed)s.")
                % {"v": value["province"], "allowed": ", ".join(Province.values)},
            )
        if value["email"]:
            try:
                validate_email(value["email"])
            except ValidationError:
                err("email", _("'%(v)s' is geen geldig e-mailadres.") % {"v": value["email"]})
        if value["website"]:
            try:
                url_ok(value["website"])
            except ValidationError:
                err(
                    "website",
                    _("'%(v)s' is geen geldig webadres (begin met https://).")
                    % {"v": value["website"]},
                )
        if value["phone"] and not _PHONE.match(value["phone"]):
            err("phone", _("'%(v)s' is geen telefoonnummer.") % {"v": value["phone"]})
        if not (value["phone"] or value["email"] or value["website"]):
            err("phone", _("Vul ten minste een telefoonnummer, e-mailadres of website in."))
        municipalities = [m.strip() for m in value["municipalities"].split(";") if m.strip()]
        if value["kind"] == OrganisationKind.ANTI_DISCRIMINATION and not municipalities:
            err(
                "municipalities",
                _(
                    "Een antidiscriminatievoorziening werkt voor gemeenten: noem ze, "
                    "gescheiden door ';'."
                ),
            )
        if errors:
            report.errors.extend(errors)
            continue
        seen[code] = line
        parsed.append(
            {
                "code": code,
                "kind": value["kind"],
                "name": value["name"],
                "region": value["region"],
                "municipalities": municipalities,
                "province": value["province"],
                "phone": value["phone"],
                "email": value["email"].lower(),
                "website": value["website"],
                "description": value["description"],
                "active": True,
            }
        )
    return parsed


def import_directory(*, acting_user: Any, text: str, source: str = "") -> DirectoryImportReport:
    """Validate every row; write only a file without errors, in one transaction."""
    report = DirectoryImportReport()
    rows = _validate(text, report)
    if report.errors:
        return report
    with transaction.atomic():
        existing = {
            o.code: o for o in SupportOrganisation.objects.select_for_update().order_by("pk")
        }
        fields = [c for c in rows[0] if c != "code"]
        touched: list[tuple[SupportOrganisation, dict[str, Any]]] = []
        for row in rows:
            organisation = existing.get(row["code"])
            if organisation is None:
                organisation = SupportOrganisation.objects.create(**row)
                touched.append((organisation, {"source": source[:100], "change": "created"}))
                report.created += 1
                continue
            changed = [f for f in fields if getattr(organisation, f) != row[f]]
            if not changed:
                report.unchanged += 1
                continue
            for name in changed:
                setattr(organisation, name, row[name])
            organisation.save()
            touched.append((organisation, {"source": source[:100], "changed": sorted(changed)}))
            report.updated += 1
        codes = {row["code"] for row in rows}
        gone = list(SupportOrganisation.objects.filter(active=True).exclude(code__in=codes))
        SupportOrganisation.objects.filter(pk__in=[o.pk for o in gone]).update(active=False)
        touched += [(o, {"source": source[:100], "change": "deactivated"}) for o in gone]
        report.deactivated = len(gone)
        record_many(actor=acting_user, event=AuditEvent.SUPPORT_DIRECTORY_IMPORTED, items=touched)
    return report
