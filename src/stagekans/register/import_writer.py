"""The write step of the register import: one chunk of whole companies, set-based, with the same
rows, audit entries, status history, hand-outs and mails as the services write one by one
(`tests/test_import_bulk.py` compares them). The importer (register.importer) validates, stages
and chooses the chunks; this module only writes them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record_many, record_many_by_pk
from stagekans.companies.models import Company, Location
from stagekans.core.bulk import insert_rows
from stagekans.education.models import Qualification
from stagekans.geo.models import PostcodeArea
from stagekans.geo.places import find_place
from stagekans.register import services
from stagekans.register.hooks import run_grant_handlers_in_bulk
from stagekans.register.models import Recognition, RecognitionConditions, RecognitionStatusChange
from stagekans.register.workflow import CONDITION_FIELDS, RecognitionStatus, check_transition

if TYPE_CHECKING:
    from stagekans.register.importer import ImportReport, _Row


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _locate_many(rows: list[_Row]) -> dict[str, PostcodeArea]:
    """`geo.services.locate` for a chunk: the PC4 area of each postcode, created (from the
    first row's place, as `locate` does) when the area is not known yet."""
    pc4s = {row.postcode[:4] for row in rows}
    areas = {a.pc4: a for a in PostcodeArea.objects.filter(pc4__in=pc4s)}
    new: dict[str, PostcodeArea] = {}
    for row in rows:
        pc4 = row.postcode[:4]
        if pc4 in areas or pc4 in new:
            continue
        found = find_place(row.place)
        if found is None:  # validation saw it; a place list change in between
            raise ValidationError(
                _("Plaats '%(place)s' is niet bekend. Kies een Nederlandse plaats.")
                % {"place": row.place}
            )
        new[pc4] = PostcodeArea(
            pc4=pc4,
            place=found.name,
            province=found.province,
            latitude=found.latitude,
            longitude=found.longitude,
        )
    if new:
        PostcodeArea.objects.bulk_create(new.values(), ignore_conflicts=True)
        areas.update({a.pc4: a for a in PostcodeArea.objects.filter(pc4__in=list(new))})
    return areas


def write_chunk(
    *,
    rows: list[_Row],
    report: ImportReport,
    acting_user: Any,
    source: str,
    qualifications: dict[str, Qualification],
    lock: bool = True,
) -> bool:
    """Write one chunk set-based, inside its transaction: the same rows, audit entries,
    hand-outs and mails as `register_company`/`add_location`/`request_recognition`/
    `grant_recognition` row by row, with a constant number of queries.

    With `lock=False` it only reads (no row locks) and returns whether the chunk has anything
    to write, so a re-import of an unchanged register neither locks nor dirties any row."""
    reason = _("Import registerbestand %(source)s") % {"source": source}
    notes = _("Voorwaarden beoordeeld in het bronregister (import %(source)s).") % {
        "source": source
    }
    actor = acting_user if getattr(acting_user, "pk", None) else None
    kvks = list(dict.fromkeys(row.kvk for row in rows))

    # Companies: new ones in one COPY, changed ones in one UPDATE.
    companies = {
        c.kvk_number: c
        for c in (Company.objects.select_for_update() if lock else Company.objects)
        .filter(kvk_number__in=kvks)
        .order_by("pk")
    }
    first_rows: dict[str, _Row] = {}
    for row in rows:
        first_rows.setdefault(row.kvk, row)
    new_companies = [
        (row.kvk, row.company_name, row.sector, row.size_class, "", "")
        for kvk, row in first_rows.items()
        if kvk not in companies
    ]
    if not lock and new_companies:
        return True
    company_ids = insert_rows(
        Company,
        ("kvk_number", "name", "sector", "size_class", "sbi_code", "website"),
        new_companies,
    )
    record_many_by_pk(
        actor=acting_user,
        event=AuditEvent.COMPANY_CREATED,
        model=Company,
        items=(
            (pk, {"kvk_number": values[0]})
            for pk, values in zip(company_ids, new_companies, strict=True)
        ),
    )
    updated: list[tuple[Company, dict[str, Any]]] = []
    changed_fields: set[str] = set()
    for kvk, company in companies.items():
        row = first_rows[kvk]
        changes = {
            name: new
            for name, new in (
                ("name", row.company_name),
                ("sector", row.sector),
                ("size_class", row.size_class),
            )
            if getattr(company, name) != new
        }
        if changes:
            before = {name: getattr(company, name) for name in changes}
            for name, value in changes.items():
                setattr(company, name, value)
            changed_fields |= set(changes)
            updated.append((company, {"before": before, "after": changes}))
    if not lock and updated:
        return True
    if updated:
        Company.objects.bulk_update([c for c, _d in updated], sorted(changed_fields))
        record_many(actor=acting_user, event=AuditEvent.COMPANY_UPDATED, items=updated)
    company_pk = {kvk: c.pk for kvk, c in companies.items()}
    company_pk.update(
        (values[0], pk) for pk, values in zip(company_ids, new_companies, strict=True)
    )
    report.companies_created += len(new_companies)
    report.companies_updated += len(updated)

    # Locations: one look-up of the chunk's existing addresses (none for new companies), one
    # COPY.
    have_locations = (
        {
            (company_id, postcode, number.casefold())
            for company_id, postcode, number in Location.objects.filter(
                company_id__in=[c.pk for c in companies.values()]
            ).values_list("company_id", "postcode", "house_number")
        }
        if companies
        else set()
    )
    wanted: dict[tuple[int, str, str], _Row] = {}
    for row in rows:
        key = (company_pk[row.kvk], row.postcode, row.house_number.casefold())
        if key not in have_locations:
            wanted.setdefault(key, row)
    if not lock and wanted:
        return True
    areas = _locate_many(list(wanted.values())) if wanted else {}
    new_locations = []
    for (company_id, _postcode, _number), row in wanted.items():
        area = areas[row.postcode[:4]]
        new_locations.append(
            (
                company_id,
                "",
                row.street,
                row.house_number,
                row.postcode,
                area.place,
                area.province,
                area.latitude,
                area.longitude,
            )
        )
    location_ids = insert_rows(
        Location,
        (
            "company_id",
            "name",
            "street",
            "house_number",
            "postcode",
            "place",
            "province",
            "latitude",
            "longitude",
        ),
        new_locations,
    )
    record_many_by_pk(
        actor=acting_user,
        event=AuditEvent.LOCATION_CREATED,
        model=Location,
        items=(
            (pk, {"company": values[0], "postcode": values[4]})
            for pk, values in zip(location_ids, new_locations, strict=True)
        ),
    )
    report.locations_created += len(new_locations)

    # Recognitions: request what is new (or expired/revoked), then grant what is 'recognised'.
    existing = (
        {
            (r.company_id, r.qualification_id): r
            for r in (Recognition.objects.select_for_update() if lock else Recognition.objects)
            .filter(company_id__in=[c.pk for c in companies.values()])
            .order_by("pk")
        }
        if companies
        else {}
    )
    targets: dict[tuple[int, int], _Row] = {}
    for row in rows:
        targets.setdefault((company_pk[row.kvk], qualifications[row.crebo].pk), row)
    to_create: list[Recognition] = []
    to_rerequest: list[Recognition] = []
    requested: list[tuple[Recognition, _Row]] = []
    for target, row in targets.items():
        recognition = existing.get(target)
        if recognition is None:
            recognition = Recognition(
                company_id=target[0],
                qualification_id=target[1],
                status=RecognitionStatus.REQUESTED,
            )
            to_create.append(recognition)
            existing[target] = recognition
        elif recognition.status in (RecognitionStatus.EXPIRED, RecognitionStatus.REVOKED):
            check_transition(RecognitionStatus(recognition.status), RecognitionStatus.REQUESTED)
            recognition.status = RecognitionStatus.REQUESTED
            to_rerequest.append(recognition)
        else:
            continue
        requested.append((recognition, row))
    granted: list[tuple[Recognition, _Row]] = [
        (existing[target], row)
        for target, row in targets.items()
        if row.status == RecognitionStatus.RECOGNISED
        and existing[target].status == RecognitionStatus.REQUESTED
    ]
    if not lock:
        return bool(requested or granted)
    new_ids = insert_rows(
        Recognition,
        ("company_id", "qualification_id", "status"),
        [(r.company_id, r.qualification_id, r.status) for r in to_create],
    )
    for recognition, pk in zip(to_create, new_ids, strict=True):
        recognition.pk = pk
        recognition._state.adding = False
        recognition._state.db = "default"
    if to_rerequest:
        Recognition.objects.filter(pk__in=[r.pk for r in to_rerequest]).update(
            status=RecognitionStatus.REQUESTED
        )
    actor_id = actor.pk if actor is not None else None
    insert_rows(
        RecognitionStatusChange,
        ("recognition_id", "status", "reason", "actor_id"),
        [(r.pk, RecognitionStatus.REQUESTED.value, reason, actor_id) for r, _row in requested],
        returning=False,
    )
    record_many_by_pk(
        actor=acting_user,
        event=AuditEvent.RECOGNITION_REQUESTED,
        model=Recognition,
        items=(
            (r.pk, {"company": r.company_id, "crebo": row.crebo, "reason": reason})
            for r, row in requested
        ),
    )
    report.recognitions_requested += len(requested)

    met = {name: True for name in CONDITION_FIELDS}
    for recognition, row in granted:
        assert row.valid_from is not None  # validated: 'recognised' needs a date
        recognition.valid_from = row.valid_from
        recognition.valid_until = add_years(row.valid_from, services.RECOGNITION_PERIOD_YEARS)
        recognition.publication_consent = met["publication_consent"]
        recognition.status = RecognitionStatus.RECOGNISED
    # One UPDATE per distinct start date (a register has few), not a CASE per row.
    by_start: dict[dt.date, list[int]] = {}
    for recognition, _row in granted:
        assert recognition.valid_from is not None
        by_start.setdefault(recognition.valid_from, []).append(recognition.pk)
    for start, ids in by_start.items():
        Recognition.objects.filter(pk__in=ids).update(
            valid_from=start,
            valid_until=add_years(start, services.RECOGNITION_PERIOD_YEARS),
            publication_consent=met["publication_consent"],
            status=RecognitionStatus.RECOGNISED,
        )
    change_ids = insert_rows(
        RecognitionStatusChange,
        ("recognition_id", "status", "reason", "actor_id"),
        [(r.pk, RecognitionStatus.RECOGNISED.value, reason, actor_id) for r, _row in granted],
    )
    condition_fields = tuple(CONDITION_FIELDS)
    insert_rows(
        RecognitionConditions,
        ("recognition_id", "status_change_id", "assessed_by_id", "notes", *condition_fields),
        [
            (r.pk, change, actor_id, notes.strip(), *(met[name] for name in condition_fields))
            for (r, _row), change in zip(granted, change_ids, strict=True)
        ],
        returning=False,
    )
    record_many_by_pk(
        actor=acting_user,
        event=AuditEvent.RECOGNITION_GRANTED,
        model=Recognition,
        items=(
            (
                r.pk,
                {
                    "valid_from": r.valid_from.isoformat() if r.valid_from else None,
                    "valid_until": r.valid_until.isoformat() if r.valid_until else None,
                    "reason": reason,
                    "conditions": met,
                    "reassessment": False,
                },
            )
            for r, _row in granted
        ),
    )
    run_grant_handlers_in_bulk(recognitions=[r for r, _row in granted], acting_user=acting_user)
    report.recognitions_granted += len(granted)
    return True
