"""The set-based register import against the row-by-row reference (the services), chunk
atomicity and resume after a crash, idempotent re-runs, constant queries per chunk."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditLog
from stagekans.companies import services as company_services
from stagekans.companies.models import Company, Location
from stagekans.education.models import Qualification
from stagekans.informatiepakket.models import HandoutDelivery
from stagekans.jobs.models import BackgroundJob, JobState
from stagekans.notifications.models import OutboxMessage
from stagekans.register import importer, services
from stagekans.register.hooks import _bulk_grant_handlers, _grant_handlers
from stagekans.register.importer import import_register
from stagekans.register.models import Recognition, RecognitionConditions, RecognitionStatusChange
from stagekans.register.tests.test_import import _csv, _rows
from stagekans.register.workflow import ALL_CONDITIONS_MET, RecognitionStatus
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db


def reference_write(rows: list[Any], acting_user: Any, source: str) -> None:
    """The importer's write phase as it was before issue 18: one service call per row."""
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
        location_key = (company.pk, row.postcode, row.house_number.casefold())
        if location_key not in done_locations:
            done_locations.add(location_key)
            if not Location.objects.filter(
                company=company, postcode=row.postcode, house_number__iexact=row.house_number
            ).exists():
                company_services.add_location(
                    acting_user=acting_user,
                    company=company,
                    street=row.street,
                    house_number=row.house_number,
                    postcode=row.postcode,
                    place=row.place,
                )
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
        if (
            row.status == RecognitionStatus.RECOGNISED
            and recognition.status == RecognitionStatus.REQUESTED
        ):
            services.grant_recognition(
                acting_user=acting_user,
                recognition=recognition,
                reason=reason,
                conditions=ALL_CONDITIONS_MET,
                notes=_("Voorwaarden beoordeeld in het bronregister (import %(source)s).")
                % {"source": source},
                valid_from=row.valid_from,
            )


def _natural_keys() -> dict[tuple[str, str], str]:
    keys: dict[tuple[str, str], str] = {}
    for pk, kvk in Company.objects.values_list("pk", "kvk_number"):
        keys[("companies.company", str(pk))] = f"company {kvk}"
    for pk, kvk, postcode, number in Location.objects.values_list(
        "pk", "company__kvk_number", "postcode", "house_number"
    ):
        keys[("companies.location", str(pk))] = f"location {kvk} {postcode} {number}"
    for pk, kvk, crebo in Recognition.objects.values_list(
        "pk", "company__kvk_number", "qualification__crebo"
    ):
        keys[("register.recognition", str(pk))] = f"recognition {kvk} {crebo}"
    for pk, kvk, kind, version in HandoutDelivery.objects.values_list(
        "pk", "company__kvk_number", "version__kind", "version__version"
    ):
        keys[("informatiepakket.handoutdelivery", str(pk))] = f"delivery {kvk} {kind} {version}"
    return keys


def _snapshot(audit_from: int, outbox_from: int) -> tuple[list[Any], list[Any], list[Any]]:
    """Audit rows, mails and history in a form independent of primary keys and order."""
    keys = _natural_keys()
    company_of = {pk: kvk for pk, kvk in Company.objects.values_list("pk", "kvk_number")}

    def details(a: AuditLog) -> str:
        found = dict(a.details)
        if "company" in found:
            found["company"] = company_of.get(found["company"])
        return repr(sorted(found.items()))

    audit = sorted(
        (a.event_type, keys.get((a.object_type, a.object_id), a.object_id), a.actor_id, details(a))
        for a in AuditLog.objects.filter(pk__gt=audit_from)
    )
    deliveries = {
        str(pk): keys[("informatiepakket.handoutdelivery", str(pk))]
        for pk in HandoutDelivery.objects.values_list("pk", flat=True)
    }

    def norm(text: str | None) -> str:
        return re.sub(r"(?<=handout:)(\d+)|(?<=/informatiepakket/)(\d+)", lambda m:
                      deliveries.get(m.group(0), m.group(0)), text or "")  # fmt: skip

    mails = sorted(
        (m.to, m.subject, norm(m.body), norm(m.dedup_key))
        for m in OutboxMessage.objects.filter(pk__gt=outbox_from)
    )
    history = sorted(
        (keys[("register.recognition", str(h.recognition_id))], h.status, h.reason, h.actor_id)
        for h in RecognitionStatusChange.objects.all()
    ) + sorted(
        (keys[("register.recognition", str(c.recognition_id))], c.notes, c.assessed_by_id,
         c.suitable_work, c.publication_consent)
        for c in RecognitionConditions.objects.all()
    )  # fmt: skip
    return audit, mails, history


class _Rollback(Exception):
    pass


@pytest.fixture
def register_state():
    """A register that already holds things an import meets: a company with a trainer and a
    requested recognition (granting it mails the trainer), a company whose name changed, an
    expired recognition, and an existing location."""
    q1, q2 = f.QualificationFactory(), f.QualificationFactory()
    crebos = [q1.crebo, q2.crebo]
    rows = _rows(40, crebos)
    officer = f.UserFactory()
    first = Company.objects.get(
        pk=company_services.register_company(
            acting_user=None,
            kvk_number=rows[1]["kvk_number"],
            name="Oude naam B.V.",
            sector="zorg",
            size_class="10-49",
        ).pk
    )
    f.trainer_user(first)
    f.trainer_user(first)
    with transaction.atomic():
        services.request_recognition(
            acting_user=None, company=first, qualification=q2, reason="eerder aangevraagd"
        )
    third = f.CompanyFactory(kvk_number=rows[6]["kvk_number"], name=rows[6]["company_name"])
    f.trainer_user(third)
    expired = f.RecognitionFactory(
        company=third,
        qualification=Qualification.objects.get(crebo=rows[6]["crebo"]),
        valid_from=dt.date.today() - dt.timedelta(days=5 * 365),
    )
    Recognition.objects.filter(pk=expired.pk).update(status=RecognitionStatus.EXPIRED)
    company_services.add_location(
        acting_user=None,
        company=third,
        street="Stationsplein",
        house_number=rows[6]["house_number"].upper(),
        postcode=rows[6]["postcode"],
        place=rows[6]["place"],
    )
    return rows, officer


def test_bulk_writes_the_same_rows_audit_and_mails_as_the_services(register_state):
    rows, officer = register_state
    text = _csv(rows)
    audit_from = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    outbox_from = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    report = importer.ImportReport()
    parsed = importer._validate(text, report)
    assert report.ok, report.errors
    with pytest.raises(_Rollback), transaction.atomic():
        reference_write(parsed, officer, "a.csv")
        expected = _snapshot(audit_from, outbox_from)
        raise _Rollback

    result = import_register(acting_user=officer, text=text, source="a.csv", chunk_rows=7)
    assert result.ok, result.errors
    assert result.chunks > 3
    actual = _snapshot(audit_from, outbox_from)
    assert actual[0] == expected[0]  # audit rows
    assert actual[1] == expected[1]  # mails (and their dedup keys)
    assert actual[2] == expected[2]  # status history and assessed conditions
    assert expected[1], "the fixture must produce mails"
    assert {e[0] for e in expected[0]} >= {
        "company.created",
        "company.updated",
        "location.created",
        "recognition.requested",
        "recognition.granted",
        "handout.issued",
    }
    job = result.job
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.done == job.total == 40
    assert job.started_by == officer


def test_rerun_changes_nothing_and_sends_no_mail_twice(register_state):
    rows, officer = register_state
    text = _csv(rows)
    assert import_register(acting_user=officer, text=text, chunk_rows=7).ok
    counts = (AuditLog.objects.count(), OutboxMessage.objects.count(), Location.objects.count())
    again = import_register(acting_user=officer, text=text, chunk_rows=7)
    assert again.ok and again.changes == 0
    assert (
        AuditLog.objects.count(),
        OutboxMessage.objects.count(),
        Location.objects.count(),
    ) == counts


def test_crash_in_a_chunk_keeps_earlier_chunks_and_resumes(register_state):
    rows, officer = register_state
    text = _csv(rows)
    report = importer.ImportReport()
    chunks = importer._chunks(importer._validate(text, report), 6)
    doomed = {row.kvk for row in chunks[3]}

    def crash(*, recognition: Any, acting_user: Any) -> None:  # pragma: no cover - bulk used
        raise AssertionError("the bulk variant should run")

    def crash_bulk(*, recognitions: list[Any], acting_user: Any) -> None:
        if {r.company.kvk_number for r in recognitions} & doomed:
            raise RuntimeError("worker died in chunk 4")

    _grant_handlers.append(crash)
    _bulk_grant_handlers[crash] = crash_bulk
    try:
        with pytest.raises(RuntimeError):
            import_register(acting_user=officer, text=text, chunk_rows=6)
    finally:
        _grant_handlers.remove(crash)
        del _bulk_grant_handlers[crash]

    job = BackgroundJob.objects.get(kind=importer.IMPORT_JOB)
    assert job.state == JobState.FAILED and "chunk 4" in job.last_error
    assert job.cursor["chunk"] == 3 and job.cursor["chunks"] == len(chunks)
    assert job.done == sum(len(c) for c in chunks[:3])
    written = set(Company.objects.values_list("kvk_number", flat=True))
    assert {r.kvk for c in chunks[:3] for r in c} <= written
    assert not (doomed - {rows[6]["kvk_number"], rows[1]["kvk_number"]}) & written  # nothing half
    assert not Recognition.objects.filter(company__kvk_number__in=doomed, status="recognised")

    resumed = import_register(acting_user=officer, text=text, chunk_rows=6, resume=job)
    assert resumed.ok, resumed.errors
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.done == job.total == len(rows)
    assert resumed.chunks_written == len(chunks)
    # the end state equals an import that never crashed: a re-run finds nothing to do
    again = import_register(acting_user=officer, text=text, chunk_rows=6)
    assert again.ok and again.changes == 0
    assert Recognition.objects.count() == 40


def _queries(n: int, crebo_codes: list[str]) -> int:
    text = _csv(_rows(n, crebo_codes))
    with pytest.raises(_Rollback), transaction.atomic():  # each size starts from the same state
        with CaptureQueriesContext(connection) as queries:
            report = import_register(acting_user=None, text=text, chunk_rows=10_000)
        assert report.ok and report.chunks == 1 and report.recognitions_granted
        raise _Rollback
    return len([q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]])


def test_queries_do_not_grow_with_the_number_of_rows():
    crebo_codes = [f.QualificationFactory().crebo, f.QualificationFactory().crebo]
    small = _queries(12, crebo_codes)
    large = _queries(300, crebo_codes)
    if connection.vendor == "postgresql":
        assert large == small
    else:  # SQLite splits a bulk INSERT at its parameter limit
        assert large <= small + 12
