"""CSV import of companies, locations and recognitions (format: docs/import-register.md).

Two phases: every row is validated first (all errors collected, each with row, column and a
Dutch reason); only when there is no error at all is anything written, in ONE transaction and
through the services (so audit rows exist). Importing the same file again writes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stagekans.companies import services as company_services
from stagekans.companies.models import Company, Location, SizeClass
from stagekans.core.identifiers import (
    normalise_kvk,
    normalise_postcode,
    validate_crebo,
    validate_kvk,
    validate_postcode,
)
from stagekans.education.models import Qualification, Sector
from stagekans.geo.models import PostcodeArea
from stagekans.geo.places import find_place
from stagekans.register import services
from stagekans.register.models import Recognition
from stagekans.register.workflow import ALL_CONDITIONS_MET, RecognitionStatus

COLUMNS = (
    "kvk_number",
    "company_name",
    "sector",
    "size_class",
    "street",
    "house_number",
    "postcode",
    "place",
    "crebo",
    "recognition_status",
    "valid_from",
)
IMPORT_STATUSES = (RecognitionStatus.RECOGNISED.value, RecognitionStatus.REQUESTED.value)


@dataclass(frozen=True)
class RowError:
    row: int  # line number in the file; the header is line 1
    column: str
    message: str

    def __str__(self) -> str:
        return _("Rij %(row)s, kolom %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    companies_created: int = 0
    companies_updated: int = 0
    locations_created: int = 0
    recognitions_requested: int = 0
    recognitions_granted: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changes(self) -> int:
        return (
            self.companies_created
            + self.companies_updated
            + self.locations_created
            + self.recognitions_requested
            + self.recognitions_granted
        )

    def summary(self) -> str:
        if self.errors:
            error_rows = len({error.row for error in self.errors})
            errors = ngettext("%(n)s fout", "%(n)s fouten", len(self.errors)) % {
                "n": len(self.errors)
            }
            rows = ngettext("%(n)s rij", "%(n)s rijen", error_rows) % {"n": error_rows}
            return _("Er is niets geïmporteerd: %(errors)s gevonden in %(rows)s.") % {
                "errors": errors,
                "rows": rows,
            }
        processed = ngettext("%(n)s rij verwerkt", "%(n)s rijen verwerkt", self.rows) % {
            "n": self.rows
        }
        return _(
            "%(processed)s: %(cc)s leerbedrijven nieuw, %(cu)s gewijzigd, "
            "%(lc)s vestigingen nieuw, %(rr)s erkenningen aangevraagd, %(rg)s verleend."
        ) % {
            "processed": processed,
            "cc": self.companies_created,
            "cu": self.companies_updated,
            "lc": self.locations_created,
            "rr": self.recognitions_requested,
            "rg": self.recognitions_granted,
        }


@dataclass
class _Row:
    line: int
    kvk: str
    company_name: str
    sector: str
    size_class: str
    street: str
    house_number: str
    postcode: str
    place: str
    crebo: str
    status: str
    valid_from: dt.date | None


def _messages(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


class UnreadableCsv(Exception):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line, self.reason = line, reason


def _read(text: str) -> tuple[list[str] | None, list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        rows = [dict(r) for r in reader]
    except csv.Error as exc:  # e.g. a cell longer than the csv module's field limit
        raise UnreadableCsv(reader.line_num, str(exc)) from exc
    return (list(reader.fieldnames) if reader.fieldnames else None), rows


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


MAX_LENGTHS = {
    "company_name": 200,
    "street": 200,
    "house_number": 20,
    "place": 100,
    "postcode": 7,
    "kvk_number": 12,
    "crebo": 5,
}


def _validate(text: str, report: ImportReport) -> list[_Row]:
    try:
        header, raw_rows = _read(text)
    except UnreadableCsv as exc:
        report.errors.append(
            RowError(
                exc.line,
                "-",
                _("Deze regel is geen geldige CSV (%(reason)s).") % {"reason": exc.reason},
            )
        )
        return []
    report.rows = len(raw_rows)
    if header is None:
        report.errors.append(RowError(1, "-", _("Het bestand is leeg.")))
        return []
    header = [h.strip() for h in header]
    missing = [c for c in COLUMNS if c not in header]
    for column in missing:
        report.errors.append(RowError(1, column, _("Deze kolom ontbreekt in de kopregel.")))
    if missing:
        return []

    crebos = {(r.get("crebo") or "").strip() for r in raw_rows}
    qualifications = {q.crebo: q for q in Qualification.objects.filter(crebo__in=crebos)}
    pc4s = {normalise_postcode(r.get("postcode") or "")[:4] for r in raw_rows}
    known_pc4 = set(PostcodeArea.objects.filter(pc4__in=pc4s).values_list("pc4", flat=True))
    today = timezone.localdate()

    parsed: list[_Row] = []
    companies_seen: dict[str, tuple[str, str, str, int]] = {}
    recognitions_seen: dict[tuple[str, str], tuple[str, dt.date | None, int]] = {}
    for index, raw in enumerate(raw_rows):
        line = index + 2
        value = {c: (raw.get(c) or "").strip() for c in COLUMNS}
        errors: list[RowError] = []

        def err(column: str, message: str, line: int = line, errors: list[RowError] = errors):
            errors.append(RowError(line, column, message))

        if None in raw:  # more cells than columns
            err("-", _("Deze rij heeft meer cellen dan de kopregel kolommen heeft."))
        for column in COLUMNS:
            if column != "valid_from" and not value[column]:
                err(column, _("Dit veld is verplicht."))
        kvk = normalise_kvk(value["kvk_number"])
        if value["kvk_number"]:
            try:
                validate_kvk(value["kvk_number"])
            except ValidationError as e:
                err("kvk_number", _messages(e))
        for column, limit in MAX_LENGTHS.items():
            if len(value[column]) > limit:
                err(column, _("Mag hoogstens %(n)s tekens lang zijn.") % {"n": limit})
        for column in COLUMNS:
            if "\x00" in value[column]:
                err(column, _("Bevat een ongeldig teken (NUL)."))
        if value["sector"] and value["sector"] not in Sector.values:
            err(
                "sector",
                _("Onbekende sector '%(v)s'; kies uit: %(allowed)s.")
                % {"v": value["sector"], "allowed": ", ".join(Sector.values)},
            )
        if value["size_class"] and value["size_class"] not in SizeClass.values:
            err(
                "size_class",
                _("Onbekende grootteklasse '%(v)s'; kies uit: %(allowed)s.")
                % {"v": value["size_class"], "allowed": ", ".join(SizeClass.values)},
            )
        postcode = normalise_postcode(value["postcode"])
        if value["postcode"]:
            try:
                validate_postcode(value["postcode"])
            except ValidationError as e:
                err("postcode", _messages(e))
            else:
                if (
                    postcode[:4] not in known_pc4
                    and value["place"]
                    and not find_place(value["place"])
                ):
                    err(
                        "place",
                        _("Plaats '%(v)s' is niet bekend en postcode %(pc)s ook niet.")
                        % {"v": value["place"], "pc": postcode},
                    )
        if value["crebo"]:
            try:
                validate_crebo(value["crebo"])
            except ValidationError as e:
                err("crebo", _messages(e))
            else:
                if value["crebo"] not in qualifications:
                    err(
                        "crebo",
                        _("Er is geen kwalificatie met crebocode %(v)s.") % {"v": value["crebo"]},
                    )
        status = value["recognition_status"]
        if status and status not in IMPORT_STATUSES:
            err(
                "recognition_status",
                _("Onbekende status '%(v)s'; gebruik 'recognised' of 'requested'.") % {"v": status},
            )
        valid_from: dt.date | None = None
        if status == RecognitionStatus.RECOGNISED:
            if not value["valid_from"]:
                err("valid_from", _("Verplicht bij status 'recognised' (JJJJ-MM-DD)."))
            else:
                try:
                    valid_from = dt.date.fromisoformat(value["valid_from"])
                except ValueError:
                    err(
                        "valid_from",
                        _("'%(v)s' is geen geldige datum; gebruik JJJJ-MM-DD.")
                        % {"v": value["valid_from"]},
                    )
                else:
                    if valid_from > today:
                        err("valid_from", _("De ingangsdatum ligt in de toekomst."))
                    elif _add_years(valid_from, services.RECOGNITION_PERIOD_YEARS) <= today:
                        err(
                            "valid_from",
                            _("Een erkenning vanaf deze datum is al verlopen (geldt vier jaar)."),
                        )
        elif status == RecognitionStatus.REQUESTED and value["valid_from"]:
            err("valid_from", _("Laat dit veld leeg bij status 'requested'."))

        if kvk in companies_seen and not errors:
            name, sector, size, first = companies_seen[kvk]
            if (name, sector, size) != (
                value["company_name"],
                value["sector"],
                value["size_class"],
            ):
                err(
                    "company_name",
                    _("Dit KvK-nummer staat in rij %(first)s met andere bedrijfsgegevens.")
                    % {"first": first},
                )
        key = (kvk, value["crebo"])
        if key in recognitions_seen and not errors:
            seen_status, seen_from, first = recognitions_seen[key]
            if (seen_status, seen_from) != (status, valid_from):
                err(
                    "recognition_status",
                    _("Deze erkenning staat in rij %(first)s met een andere status of datum.")
                    % {"first": first},
                )
        if errors:
            report.errors.extend(errors)
            continue
        companies_seen.setdefault(
            kvk, (value["company_name"], value["sector"], value["size_class"], line)
        )
        recognitions_seen.setdefault(key, (status, valid_from, line))
        parsed.append(
            _Row(
                line=line,
                kvk=kvk,
                company_name=value["company_name"],
                sector=value["sector"],
                size_class=value["size_class"],
                street=value["street"],
                house_number=value["house_number"],
                postcode=postcode,
                place=value["place"],
                crebo=value["crebo"],
                status=status,
                valid_from=valid_from,
            )
        )
    if report.errors:
        return parsed
    _check_against_register(parsed, report)
    return parsed


def _check_against_register(rows: Iterable[_Row], report: ImportReport) -> None:
    """Rows must not overturn a decision already in the register."""
    rows = list(rows)
    existing = {
        (r.company.kvk_number, r.qualification.crebo): r
        for r in Recognition.objects.filter(
            company__kvk_number__in={row.kvk for row in rows}
        ).select_related("company", "qualification")
    }
    for row in rows:
        current = existing.get((row.kvk, row.crebo))
        if current is None:
            continue
        status = current.status
        if status == RecognitionStatus.REQUESTED:
            continue  # requested → requested (nothing) or → recognised (grant)
        if status == RecognitionStatus.RECOGNISED:
            if row.status == RecognitionStatus.RECOGNISED and row.valid_from == current.valid_from:
                continue
            report.errors.append(
                RowError(
                    row.line,
                    "recognition_status",
                    _(
                        "Deze erkenning staat al als erkend in het register (vanaf %(d)s); de "
                        "import wijzigt geen genomen besluiten."
                    )
                    % {"d": current.valid_from},
                )
            )
        elif row.status == RecognitionStatus.RECOGNISED:
            report.errors.append(
                RowError(
                    row.line,
                    "recognition_status",
                    _(
                        "Deze erkenning is %(s)s; een nieuwe erkenning loopt via een aanvraag "
                        "en beoordeling, niet via de import."
                    )
                    % {"s": current.get_status_display()},
                )
            )


def _write(rows: list[_Row], report: ImportReport, acting_user: Any, source: str) -> None:
    reason = _("Import registerbestand %(source)s") % {"source": source}
    companies = {
        c.kvk_number: c for c in Company.objects.filter(kvk_number__in={r.kvk for r in rows})
    }
    qualifications = {
        q.crebo: q for q in Qualification.objects.filter(crebo__in={r.crebo for r in rows})
    }
    done_locations: set[tuple[int, str, str]] = set()
    done_recognitions: set[tuple[int, int]] = set()
    for row in rows:
        company = companies.get(row.kvk)
        if company is None:
            company = company_services.register_company(
                acting_user=acting_user,
                kvk_number=row.kvk,
                name=row.company_name,
                sector=row.sector,
                size_class=row.size_class,
            )
            companies[row.kvk] = company
            report.companies_created += 1
        else:
            changes = {
                field: new
                for field, new in (
                    ("name", row.company_name),
                    ("sector", row.sector),
                    ("size_class", row.size_class),
                )
                if getattr(company, field) != new
            }
            if changes:
                company = company_services.update_company(
                    acting_user=acting_user, company=company, **changes
                )
                companies[row.kvk] = company
                report.companies_updated += 1

        location_key = (company.pk, row.postcode, row.house_number.casefold())
        if location_key not in done_locations:
            done_locations.add(location_key)
            exists = Location.objects.filter(
                company=company, postcode=row.postcode, house_number__iexact=row.house_number
            ).exists()
            if not exists:
                company_services.add_location(
                    acting_user=acting_user,
                    company=company,
                    street=row.street,
                    house_number=row.house_number,
                    postcode=row.postcode,
                    place=row.place,
                )
                report.locations_created += 1

        qualification = qualifications[row.crebo]
        if (company.pk, qualification.pk) in done_recognitions:
            continue
        done_recognitions.add((company.pk, qualification.pk))
        recognition = Recognition.objects.filter(
            company=company, qualification=qualification
        ).first()
        if recognition is None or recognition.status in (
            RecognitionStatus.EXPIRED,
            RecognitionStatus.REVOKED,
        ):
            recognition = services.request_recognition(
                acting_user=acting_user, company=company, qualification=qualification, reason=reason
            )
            report.recognitions_requested += 1
        if (
            row.status == RecognitionStatus.RECOGNISED
            and recognition.status == RecognitionStatus.REQUESTED
        ):
            services.grant_recognition(
                acting_user=acting_user,
                recognition=recognition,
                reason=reason,
                # 'recognised' in the source register means the five conditions were met there.
                conditions=ALL_CONDITIONS_MET,
                notes=_("Voorwaarden beoordeeld in het bronregister (import %(source)s).")
                % {"source": source},
                valid_from=row.valid_from,
            )
            report.recognitions_granted += 1


def import_register(*, acting_user: Any, text: str, source: str = "") -> ImportReport:
    """Validate every row; write everything (one transaction) or nothing."""
    report = ImportReport()
    with transaction.atomic():
        rows = _validate(text, report)
        if report.errors:
            return report
        try:
            with transaction.atomic():
                _write(rows, report, acting_user, source or "csv")
        except ValidationError as exc:
            # A rule only a service knows about: report it, and nothing of the import stays.
            report.errors.append(RowError(0, "-", _messages(exc)))
            report.companies_created = report.companies_updated = report.locations_created = 0
            report.recognitions_requested = report.recognitions_granted = 0
    return report
