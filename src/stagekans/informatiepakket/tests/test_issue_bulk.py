"""Issuing a new hand-out version to every recognised company, set-based: same audit rows and
mails as one company at a time, chunks that commit or roll back whole, resume, constant queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.audit.services import record
from stagekans.informatiepakket import services
from stagekans.informatiepakket.models import HandoutDelivery, HandoutKind, HandoutVersion
from stagekans.jobs.models import BackgroundJob, JobState
from stagekans.notifications.models import OutboxMessage
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db


def reference_issue(version: HandoutVersion, company_ids: list[int]) -> None:
    """Before issue 18: get_or_create, audit row and mails for one company at a time."""
    from stagekans.companies.models import Company

    for company in Company.objects.filter(pk__in=company_ids).order_by("pk"):
        delivery, created = HandoutDelivery.objects.get_or_create(company=company, version=version)
        if not created:
            continue
        record(
            actor=None,
            event=AuditEvent.HANDOUT_ISSUED,
            obj=delivery,
            details={"company": company.pk, "kind": version.kind, "version": version.version},
        )
        services._mail_delivery(delivery, reminder=False)


def _companies(n: int, trainers: int = 1) -> list[int]:
    ids = []
    for _ in range(n):
        company = f.CompanyFactory()
        for _t in range(trainers):
            f.trainer_user(company)
        f.RecognitionFactory(company=company)
        ids.append(company.pk)
    return ids


def _version() -> HandoutVersion:
    advisor = f.UserFactory(role=Role.SBB_ADVISOR)
    return services.publish_version(  # the on_commit start is not run in these tests
        acting_user=advisor,
        kind=HandoutKind.VEILIGHEID,
        title_nl="Veiligheid v2",
        body_nl="Nieuwe tekst.",
        title_en="Safety v2",
        body_en="New text.",
    )


def _snapshot(version: HandoutVersion) -> tuple[list[Any], list[Any]]:
    by_pk = dict(HandoutDelivery.objects.filter(version=version).values_list("pk", "company_id"))
    audit = sorted(
        (a.event_type, by_pk[int(a.object_id)], a.actor_id, repr(sorted(a.details.items())))
        for a in AuditLog.objects.filter(event_type=AuditEvent.HANDOUT_ISSUED, object_id__in=[
            str(pk) for pk in by_pk])
    )  # fmt: skip
    mails = []
    for m in OutboxMessage.objects.filter(dedup_key__startswith="handout:"):
        pk = int(m.dedup_key.split(":")[1])
        if pk in by_pk:
            mails.append(
                (m.to, m.subject, m.body.replace(f"/{pk}/", "/<id>/"),
                 m.dedup_key.replace(f":{pk}:", f":company {by_pk[pk]}:"), by_pk[pk])
            )  # fmt: skip
    return audit, sorted(mails)


class _Rollback(Exception):
    pass


def test_bulk_issue_writes_what_one_by_one_wrote():
    ids = _companies(6, trainers=2)
    version = _version()
    with pytest.raises(_Rollback), transaction.atomic():
        reference_issue(version, ids)
        expected = _snapshot(version)
        raise _Rollback
    assert services.issue_version_in_batches(version_id=version.pk, batch_size=4) == 6
    assert _snapshot(version) == expected
    assert len(expected[1]) == 12  # two trainers each
    version.refresh_from_db()
    assert version.issued_count == 6 and version.issue_finished_at is not None
    job = BackgroundJob.objects.get(kind=services.ISSUE_JOB, subject=f"handoutversion:{version.pk}")
    assert job.state == JobState.DONE and job.done == job.total == 6
    assert job.started_by == version.published_by
    # idempotent: a re-run writes nothing and mails nobody twice
    mails = OutboxMessage.objects.count()
    assert services.issue_version_in_batches(version_id=version.pk, batch_size=4) == 0
    assert OutboxMessage.objects.count() == mails


def test_a_crash_keeps_whole_chunks_and_a_rerun_resumes(monkeypatch):
    ids = sorted(_companies(7))
    version = _version()
    real = services._issue  # what each chunk of issue_version_in_batches calls
    doomed = ids[4]

    def crash_in_third_chunk(**kwargs: Any) -> list[tuple[int, int]]:
        issued = real(**kwargs)  # the chunk's rows are written …
        if doomed in kwargs["company_ids"]:
            raise RuntimeError("worker died in chunk 3")  # … and rolled back with it
        return issued

    monkeypatch.setattr(services, "_issue", crash_in_third_chunk)
    with pytest.raises(RuntimeError):
        services.issue_version_in_batches(version_id=version.pk, batch_size=2)
    issued = set(
        HandoutDelivery.objects.filter(version=version).values_list("company_id", flat=True)
    )
    assert issued == set(ids[:4])
    assert (
        OutboxMessage.objects.filter(
            dedup_key__contains=":issued:", body__contains="Veiligheid v2"
        ).count()
        == 4
    )
    job = BackgroundJob.objects.get(kind=services.ISSUE_JOB)
    assert job.state == JobState.FAILED and job.done == 4 and job.cursor == {"last_company": ids[3]}
    assert "chunk 3" in job.last_error

    monkeypatch.setattr(services, "_issue", real)
    assert services.issue_version_in_batches(version_id=version.pk, batch_size=2) == 3
    assert HandoutDelivery.objects.filter(version=version).count() == 7
    assert (
        AuditLog.objects.filter(
            event_type=AuditEvent.HANDOUT_ISSUED, details__version=version.version
        ).count()
        == 7
    )
    version.refresh_from_db()
    assert version.issued_count == 7


@pytest.mark.parametrize("n", [3, 40])
def test_queries_per_run_do_not_grow_with_companies(n):
    _companies(n)
    version = _version()
    with CaptureQueriesContext(connection) as queries:
        assert services.issue_version_in_batches(version_id=version.pk, batch_size=1000) == n
    statements = [q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) <= 16, [q["sql"][:90] for q in statements]
