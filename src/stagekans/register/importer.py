"""CSV import of companies, locations and recognitions (format: docs/import-register.md).

Three steps. Every row is checked first (all errors collected, each with row, column and a
Dutch reason) while the file is streamed into a temporary staging table; the checks across rows
and against the register, and the difference with the register, are SQL on that table
(import_staging). Only when there is no error at all is anything written, and only for the
companies that differ: set-based, in chunks of whole companies, each chunk its own transaction
with its audit rows, status history, hand-outs, mails and progress (import_writer,
jobs.BackgroundJob). A crash in chunk 40 leaves chunks 1-39 committed and the job's cursor at 39;
importing the same file again writes only what is missing, and importing it again after that
writes nothing (a constant number of queries, no row locks).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stagekans.companies.models import SizeClass
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
from stagekans.jobs import services as jobs
from stagekans.jobs.models import BackgroundJob, JobState
from stagekans.register import import_staging as staging
from stagekans.register import services
from stagekans.register.import_writer import add_years, write_chunk
from stagekans.register.workflow import RecognitionStatus

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
    chunks: int = 0
    chunks_written: int = 0
    job: Any = None
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
        if self.errors and self.chunks_written:
            return _(
                "De import stopte na %(done)s van %(chunks)s delen: %(n)s fout(en). Wat al "
                "verwerkt is blijft staan; herstel de oorzaak en importeer hetzelfde bestand "
                "opnieuw, dan gaat de import verder waar hij stopte."
            ) % {"done": self.chunks_written, "chunks": self.chunks, "n": len(self.errors)}
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


@dataclass(slots=True)
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


def _lines(text: str) -> Iterator[str]:
    """The file's lines (ends kept, split at "\\n" as `io.StringIO` does), without a copy of the
    file: `StringIO(text)` would hold four bytes per character of a national file."""
    start, end = 0, len(text)
    while text.startswith("\ufeff", start):
        start += 1
    while start < end:
        stop = text.find("\n", start)
        if stop == -1:
            yield text[start:]
            return
        yield text[start : stop + 1]
        start = stop + 1


def _read(text: str) -> tuple[list[str] | None, Iterator[dict[str, str]]]:
    reader = csv.DictReader(_lines(text))
    try:
        header = list(reader.fieldnames) if reader.fieldnames else None
    except csv.Error as exc:
        raise UnreadableCsv(reader.line_num, str(exc)) from exc

    def rows() -> Iterator[dict[str, str]]:
        try:
            yield from reader
        except csv.Error as exc:  # e.g. a cell longer than the csv module's field limit
            raise UnreadableCsv(reader.line_num, str(exc)) from exc

    return header, rows()


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
    """Every row of `text`, validated as `import_register` does (tests and small files)."""
    with staging.staging_table():
        _validate_into_staging(text, report)
        return [_Row(*row) for row in staging.all_rows()]


def _validate_into_staging(text: str, report: ImportReport) -> None:
    """Check every row and stage the valid ones (import_staging); then the checks that span
    rows, in SQL. Errors go to `report`, in row order."""
    try:
        header, raw_rows = _read(text)
        staging.load(rows=_valid_rows(header, raw_rows, report))
    except UnreadableCsv as exc:
        report.errors.append(
            RowError(
                exc.line,
                "-",
                _("Deze regel is geen geldige CSV (%(reason)s).") % {"reason": exc.reason},
            )
        )
        return
    if report.rows == 0 and not report.errors:
        return
    errors = [*report.errors, *_file_conflicts()]
    errors.sort(key=lambda e: e.row)  # stable: a row's own errors keep their order
    report.errors[:] = errors
    if not report.errors:
        report.errors.extend(_register_conflicts())


def _file_conflicts() -> list[RowError]:
    """A company or recognition described differently in two rows: the later row is wrong."""
    errors = []
    for line, kind, first in staging.file_conflicts():
        if kind == "company":
            errors.append(
                RowError(
                    line,
                    "company_name",
                    _("Dit KvK-nummer staat in rij %(first)s met andere bedrijfsgegevens.")
                    % {"first": first},
                )
            )
        else:
            errors.append(
                RowError(
                    line,
                    "recognition_status",
                    _("Deze erkenning staat in rij %(first)s met een andere status of datum.")
                    % {"first": first},
                )
            )
    return errors


def _register_conflicts() -> list[RowError]:
    """Rows must not overturn a decision already in the register."""
    errors = []
    for line, status, current_from in staging.register_conflicts():
        if status == RecognitionStatus.RECOGNISED:
            message = _(
                "Deze erkenning staat al als erkend in het register (vanaf %(d)s); de "
                "import wijzigt geen genomen besluiten."
            ) % {"d": current_from}
        else:
            message = _(
                "Deze erkenning is %(s)s; een nieuwe erkenning loopt via een aanvraag "
                "en beoordeling, niet via de import."
            ) % {"s": RecognitionStatus(status).label}
        errors.append(RowError(line, "recognition_status", message))
    return errors


def _valid_rows(
    header: list[str] | None, raw_rows: Iterator[dict[str, str]], report: ImportReport
) -> Iterator[staging.StagedRow]:
    """Check the header and load the reference tables now (before the caller opens its COPY:
    the connection serves one statement at a time); return the rows' check, a generator."""
    if header is None:
        report.errors.append(RowError(1, "-", _("Het bestand is leeg.")))
        return iter(())
    header = [h.strip() for h in header]
    missing = [c for c in COLUMNS if c not in header]
    for column in missing:
        report.errors.append(RowError(1, column, _("Deze kolom ontbreekt in de kopregel.")))
    if missing:
        return iter(())
    # Reference tables are small (a few thousand rows): load them once instead of per row.
    return _checked_rows(
        raw_rows,
        report,
        qualifications=frozenset(Qualification.objects.values_list("crebo", flat=True)),
        known_pc4=frozenset(PostcodeArea.objects.values_list("pc4", flat=True)),
    )


def _checked_rows(
    raw_rows: Iterator[dict[str, str]],
    report: ImportReport,
    *,
    qualifications: frozenset[str],
    known_pc4: frozenset[str],
) -> Iterator[staging.StagedRow]:
    """Check each row on its own; yield the valid ones as they go into the staging table and
    add the errors of the others to `report` (nothing of the file is kept in memory)."""
    sectors, size_classes = frozenset(Sector.values), frozenset(SizeClass.values)
    today = timezone.localdate()
    for index, raw in enumerate(raw_rows):
        report.rows += 1
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
        kvk = value["kvk_number"]
        if _EIGHT_DIGITS.match(kvk) and kvk != "00000000":
            pass  # already valid and normal: the common case, without the general checks
        elif kvk:
            kvk = normalise_kvk(kvk)
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
        if value["sector"] and value["sector"] not in sectors:
            err(
                "sector",
                _("Onbekende sector '%(v)s'; kies uit: %(allowed)s.")
                % {"v": value["sector"], "allowed": ", ".join(Sector.values)},
            )
        if value["size_class"] and value["size_class"] not in size_classes:
            err(
                "size_class",
                _("Onbekende grootteklasse '%(v)s'; kies uit: %(allowed)s.")
                % {"v": value["size_class"], "allowed": ", ".join(SizeClass.values)},
            )
        postcode = value["postcode"]
        canonical = bool(_CANONICAL_POSTCODE.match(postcode)) and postcode[5:] not in (
            "SA",
            "SD",
            "SS",
        )
        if not canonical:
            postcode = normalise_postcode(postcode)
        if value["postcode"]:
            try:
                if not canonical:
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
                    elif add_years(valid_from, services.RECOGNITION_PERIOD_YEARS) <= today:
                        err(
                            "valid_from",
                            _("Een erkenning vanaf deze datum is al verlopen (geldt vier jaar)."),
                        )
        elif status == RecognitionStatus.REQUESTED and value["valid_from"]:
            err("valid_from", _("Laat dit veld leeg bij status 'requested'."))

        if errors:
            report.errors.extend(errors)
            continue
        yield (
            line,
            kvk,
            value["company_name"],
            value["sector"],
            value["size_class"],
            value["street"],
            value["house_number"],
            postcode,
            value["place"],
            value["crebo"],
            status,
            valid_from,
        )


# Fast paths for values already in their normal form (nearly every row of a register export);
# anything else goes through the general normalisation and validation.
_EIGHT_DIGITS = re.compile(r"^[0-9]{8}$")
_CANONICAL_POSTCODE = re.compile(r"^[1-9][0-9]{3} [A-Z]{2}$")


IMPORT_JOB = "register.import"
CHUNK_ROWS = 2000


def _chunks(rows: list[_Row], size: int) -> list[list[_Row]]:
    """Rows grouped by company (first appearance order), cut as `_plan` cuts them."""
    by_company: dict[str, list[_Row]] = {}
    for row in rows:
        by_company.setdefault(row.kvk, []).append(row)
    plan = _plan([(kvk, len(company_rows)) for kvk, company_rows in by_company.items()], size)
    return [[row for kvk in chunk for row in by_company[kvk]] for chunk in plan]


def _plan(companies: list[tuple[str, int]], size: int) -> list[list[str]]:
    """Companies (KvK number, rows) in order, cut into chunks of about `size` rows that never
    split a company: a company, its locations and recognitions commit together."""
    chunks: list[list[str]] = []
    current: list[str] = []
    current_rows = 0
    for kvk, rows in companies:
        if current and current_rows + rows > size:
            chunks.append(current)
            current, current_rows = [], 0
        current.append(kvk)
        current_rows += rows
    if current:
        chunks.append(current)
    return chunks


def _fingerprint(text: str) -> str:
    """SHA-256 of the file's UTF-8 bytes, encoded a megabyte at a time (not a second copy of a
    national file in memory). Cutting between code points gives the same bytes."""
    digest = hashlib.sha256()
    for start in range(0, len(text), 1 << 20):
        digest.update(text[start : start + (1 << 20)].encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def import_register(
    *,
    acting_user: Any,
    text: str,
    source: str = "",
    chunk_rows: int = CHUNK_ROWS,
    resume: BackgroundJob | None = None,
) -> ImportReport:
    """Validate every row; then write what differs from the register in chunks of whole
    companies, each its own transaction.

    Nothing is written when any row has an error. Only companies with something to write are
    read and written (import_staging.changed_companies), so what earlier runs or chunks
    committed is skipped by itself: a re-run writes only what is missing. `resume` (a failed
    run of the same file: same SHA-256) carries on that run's job row and chunk count.
    """
    report = ImportReport()
    with staging.staging_table():
        _validate_into_staging(text, report)
        if report.errors:
            return report
        _write_changes(
            report=report,
            acting_user=acting_user,
            source=source or "csv",
            fingerprint=_fingerprint(text),
            chunk_rows=chunk_rows,
            resume=resume,
        )
    return report


def _write_changes(
    *,
    report: ImportReport,
    acting_user: Any,
    source: str,
    fingerprint: str,
    chunk_rows: int,
    resume: BackgroundJob | None,
) -> None:
    changed = staging.changed_companies()
    plan = _plan(changed, chunk_rows)
    unchanged_rows = report.rows - sum(rows for _kvk, rows in changed)
    qualifications = (
        {q.crebo: q for q in Qualification.objects.filter(crebo__in=staging.distinct_crebos())}
        if plan
        else {}
    )
    offset = 0
    if (
        resume is not None
        and resume.state == JobState.FAILED
        and resume.cursor.get("file") == fingerprint
    ):
        # The chunks that run committed are unchanged now; number the rest after them.
        offset = int(resume.cursor.get("chunk", 0))
        job = resume
        BackgroundJob.objects.filter(pk=job.pk).update(
            state=JobState.RUNNING,
            finished_at=None,
            last_error="",
            total=report.rows,
            done=unchanged_rows,
        )
        job.done, job.total = unchanged_rows, report.rows
    else:
        job = jobs.start(
            acting_user=acting_user,
            kind=IMPORT_JOB,
            label=_("Import registerbestand %(source)s") % {"source": source},
            subject=source[:100],
            total=report.rows,
        )
        if unchanged_rows:
            with transaction.atomic():
                jobs.advance(
                    job,
                    done=unchanged_rows,
                    cursor={"chunk": 0, "chunks": len(plan), "file": fingerprint},
                )
    report.job = job
    report.chunks = offset + len(plan)
    report.chunks_written = offset
    chunk: list[_Row] = []
    try:
        for index, kvks in enumerate(plan):
            chunk = [_Row(*row) for row in staging.rows_of(kvks=kvks)]
            with transaction.atomic():
                # read first without row locks: a chunk with nothing to write locks nothing
                if write_chunk(
                    rows=chunk,
                    report=report,
                    acting_user=acting_user,
                    source=source,
                    qualifications=qualifications,
                    lock=False,
                ):
                    write_chunk(
                        rows=chunk,
                        report=report,
                        acting_user=acting_user,
                        source=source,
                        qualifications=qualifications,
                    )
                jobs.advance(
                    job,
                    done=len(chunk),
                    cursor={
                        "chunk": offset + index + 1,
                        "chunks": report.chunks,
                        "file": fingerprint,
                    },
                )
            report.chunks_written = offset + index + 1
    except ValidationError as exc:
        # A rule only a service knows about: report it; earlier chunks stay committed.
        report.errors.append(RowError(chunk[0].line, "-", _messages(exc)))
        jobs.fail(job, error=_messages(exc))
        return
    except BaseException as exc:
        jobs.fail(job, error=f"{type(exc).__name__}: {exc}")
        raise
    jobs.finish(
        job,
        result={
            "companies_created": report.companies_created,
            "companies_updated": report.companies_updated,
            "locations_created": report.locations_created,
            "recognitions_requested": report.recognitions_requested,
            "recognitions_granted": report.recognitions_granted,
        },
    )
