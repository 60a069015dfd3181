"""The overdue-supervision job: exactly one alert per overdue period, no storms, none lost."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.notifications.models import OutboxMessage
from stagekans.placements import tasks
from stagekans.placements.models import OverdueNotice, Placement
from stagekans.placements.services import overdue
from stagekans.placements.services.supervision import log_contact
from stagekans.placements.workflow import ContactKind
from stagekans.testing import factories as f
from stagekans.testing import placements as tp

pytestmark = pytest.mark.django_db


def _mails(**filters) -> int:
    return OutboxMessage.objects.filter(**filters).count()


def _due(w: tp.World) -> dt.date:
    assert w.placement.next_contact_due is not None
    return w.placement.next_contact_due


def _running(n: int = 1, **kwargs) -> list[tp.World]:
    worlds = [tp.world(**kwargs) for _ in range(n)]
    for w in worlds:
        tp.signed_pok(w)
    return worlds


def test_alert_once_then_escalate_once_per_overdue_period() -> None:
    (w,) = _running()
    due = w.placement.next_contact_due
    assert due is not None
    coordinator = f.school_staff_user(w.school)  # function "stagecoördinator" by default
    OutboxMessage.objects.all().delete()

    run = overdue.alert_overdue_contacts(today=due)  # due today: not overdue
    assert (run.alerted, run.escalated) == (0, 0)

    run = overdue.alert_overdue_contacts(today=due + dt.timedelta(days=1))
    assert (run.alerted, run.escalated) == (1, 0)
    assert _mails(to=w.staff_user.email, subject__contains="te laat") == 1
    run = overdue.alert_overdue_contacts(today=due + dt.timedelta(days=2))
    assert (run.alerted, run.escalated, run.mails) == (0, 0, 0)  # no storm

    run = overdue.alert_overdue_contacts(today=due + dt.timedelta(days=15))
    assert (run.alerted, run.escalated) == (0, 1)
    assert _mails(to=coordinator.email, subject__contains="twee weken") == 1
    overdue.alert_overdue_contacts(today=due + dt.timedelta(days=30))
    assert _mails(subject__contains="twee weken") == 2  # staff user + coordinator, once each
    assert (
        AuditLog.objects.filter(event_type=AuditEvent.PLACEMENT_OVERDUE_ALERTED.value).count() == 1
    )

    # A logged contact starts a new period: alerted again when that one is overdue.
    log_contact(
        acting_user=w.staff_user,
        placement=w.placement,
        held_on=dt.date(2026, 11, 30),
        kind=ContactKind.PHONE,
        with_student=True,
        with_trainer=False,
    )
    w.placement.refresh_from_db()
    new_due = w.placement.next_contact_due
    assert new_due is not None and new_due > due
    run = overdue.alert_overdue_contacts(today=new_due + dt.timedelta(days=1))
    assert run.alerted == 1
    assert _mails(to=w.staff_user.email, subject__contains="bpv-begeleiding te laat") == 2


def test_a_crash_between_claim_and_mail_loses_nothing(monkeypatch) -> None:
    (w,) = _running()
    due = _due(w)
    OutboxMessage.objects.all().delete()

    def crash(*args, **kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(overdue, "enqueue_mails", crash)
    with pytest.raises(RuntimeError):
        overdue.alert_overdue_contacts(today=due + dt.timedelta(days=1))
    assert not OverdueNotice.objects.exists()  # the claim rolled back with the mail
    assert _mails() == 0
    monkeypatch.undo()
    run = overdue.alert_overdue_contacts(today=due + dt.timedelta(days=1))
    assert run.alerted == 1 and _mails(to=w.staff_user.email) == 1


def test_the_celery_task_runs_the_job_and_is_idempotent() -> None:
    _running(2)
    first = tasks.alert_overdue_contacts_task.apply().get()  # today: 2026 dates long overdue
    second = tasks.alert_overdue_contacts_task.apply().get()
    assert first["alerted"] == 2 and first["escalated"] == 2
    assert second == {"alerted": 0, "escalated": 0, "mails": 0}


def test_one_digest_per_begeleider_and_constant_queries_per_chunk() -> None:
    school = f.SchoolFactory()
    worlds = _running(3, school=school)
    staff = worlds[0].staff
    Placement.objects.update(supervisor=staff)
    today = max(_due(w) for w in worlds) + dt.timedelta(days=1)
    OutboxMessage.objects.all().delete()
    with CaptureQueriesContext(connection) as few:
        run = overdue.alert_overdue_contacts(today=today)
    assert run.alerted == 3
    assert _mails(to=staff.user.email) == 1  # one digest, three students
    body = OutboxMessage.objects.get(to=staff.user.email).body
    assert all(w.student.student_number in body for w in worlds)

    more = _running(6, school=school)
    Placement.objects.update(supervisor=staff)
    later = max(_due(w) for w in more) + dt.timedelta(days=1)
    with CaptureQueriesContext(connection) as many:
        run = overdue.alert_overdue_contacts(today=later)
    assert run.alerted == 6
    assert len(many.captured_queries) <= len(few.captured_queries)


def test_chunks_cover_everything() -> None:
    _running(3)
    today = dt.date(2027, 6, 1)
    run = overdue.alert_overdue_contacts(today=today, chunk=2)
    assert run.alerted == 3
    notices = OverdueNotice.objects.filter(kind=OverdueNotice.Kind.ALERTED)
    assert sorted(notices.values_list("placement_id", flat=True)) == sorted(
        Placement.objects.values_list("pk", flat=True)
    )
    assert all(n.due == n.placement.next_contact_due for n in notices.select_related("placement"))


def test_audit_rows_name_the_placement_and_due_date() -> None:
    (w,) = _running()
    due = _due(w)
    overdue.alert_overdue_contacts(today=due + dt.timedelta(days=1))
    row = AuditLog.objects.get(event_type=AuditEvent.PLACEMENT_OVERDUE_ALERTED.value)
    assert (row.actor_id, row.object_type, row.object_id) == (
        None,
        "placements.placement",
        str(w.placement.pk),
    )
    assert row.details == {"due": due.isoformat()}
    assert row.at is not None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_warn_each_placement_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent workers need PostgreSQL")
    import threading

    from django.db import connections

    worlds = _running(4)
    today = max(_due(w) for w in worlds) + dt.timedelta(days=1)
    OutboxMessage.objects.all().delete()
    barrier = threading.Barrier(2)
    runs: list[overdue.OverdueRun] = []

    def worker() -> None:
        try:
            barrier.wait()
            runs.append(overdue.alert_overdue_contacts(today=today, chunk=2))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.alerted for r in runs) == 4
    assert OverdueNotice.objects.filter(kind=OverdueNotice.Kind.ALERTED).count() == 4
    assert (
        AuditLog.objects.filter(event_type=AuditEvent.PLACEMENT_OVERDUE_ALERTED.value).count() == 4
    )
    for w in worlds:
        body = "\n".join(
            OutboxMessage.objects.filter(to=w.staff_user.email).values_list("body", flat=True)
        )
        assert body.count(w.student.student_number) == 1
