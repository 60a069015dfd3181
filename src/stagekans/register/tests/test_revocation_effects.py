"""What a revocation does when it takes effect, and the proof that it is all-or-nothing."""

from __future__ import annotations

import pytest
from django.db import connection

from stagekans.audit.models import AuditLog
from stagekans.notifications.models import OutboxMessage
from stagekans.register import services
from stagekans.register.models import RevocationRequest, RevocationState
from stagekans.register.workflow import RecognitionStatus
from stagekans.stagemarkt.models import Vacancy
from stagekans.testing import factories as f
from stagekans.worklist.models import SchoolTask, SchoolTaskKind
from stagekans.worklist.services import create_school_task


def _world(officers):
    proposer, approver = officers
    vacancy = f.VacancyFactory(publish=True)
    recognition = vacancy.company.recognitions.get(qualification=vacancy.qualification)
    other_vacancy = f.VacancyFactory(publish=True)  # another company: untouched
    f.trainer_user(recognition.company)
    school = f.SchoolFactory()
    f.school_staff_user(school)
    revocation = services.request_revocation(
        acting_user=proposer,
        recognition=recognition,
        reason="Discriminatie bij selectie vastgesteld na hoor en wederhoor.",
        decision_reference="SBB-2026-0099",
    )
    return recognition, vacancy, other_vacancy, school, revocation, approver


def _placements_handler(school):
    """Stands in for the future placements app: 'every school with a student placed there'."""

    def handler(*, recognition, acting_user):
        create_school_task(
            acting_user=acting_user,
            school=school,
            kind=SchoolTaskKind.FIND_REPLACEMENT_PLACEMENT,
            subject=f"Zoek een vervangende stageplek: erkenning van {recognition.company} "
            f"voor {recognition.qualification.crebo} is ingetrokken.",
            recognition=recognition,
            dedup_key=f"revoked:{recognition.pk}:school:{school.pk}",
        )

    return handler


@pytest.mark.django_db
def test_revocation_withdraws_vacancies_tasks_schools_and_queues_mail(officers, temporary_handler):
    recognition, vacancy, other_vacancy, school, revocation, approver = _world(officers)
    temporary_handler(_placements_handler(school))
    services.approve_revocation(acting_user=approver, revocation=revocation)

    vacancy.refresh_from_db()
    other_vacancy.refresh_from_db()
    assert vacancy.status == "withdrawn"
    assert other_vacancy.status == "published"
    task = SchoolTask.objects.get()
    assert task.school == school and task.recognition == recognition and task.done_at is None
    recipients = set(OutboxMessage.objects.values_list("to", flat=True))
    assert recipients == {
        recognition.company.trainers.get().user.email,
        school.staff.get().user.email,
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_revocation_is_atomic_on_postgresql(transactional_db, officers, temporary_handler):
    """If any step fails, nothing of the revocation is left: status, history, request state,
    vacancies, school tasks, outbox rows and audit rows are exactly as before."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://…")
    recognition, vacancy, _other, school, revocation, approver = _world(officers)
    temporary_handler(_placements_handler(school))  # runs first: writes a task and a mail

    def failing_handler(*, recognition, acting_user):
        raise RuntimeError("step failed")

    temporary_handler(failing_handler)

    def snapshot():
        recognition.refresh_from_db()
        return {
            "status": recognition.status,
            "history": list(recognition.history.values_list("id", "status")),
            "request": RevocationRequest.objects.get(pk=revocation.pk).state,
            "vacancies": list(Vacancy.objects.order_by("pk").values_list("pk", "status")),
            "tasks": SchoolTask.objects.count(),
            "outbox": OutboxMessage.objects.count(),
            "audit": list(AuditLog.objects.order_by("pk").values_list("pk", flat=True)),
        }

    before = snapshot()
    with pytest.raises(RuntimeError, match="step failed"):
        services.approve_revocation(acting_user=approver, revocation=revocation)
    after = snapshot()
    assert after == before
    assert after["status"] == RecognitionStatus.RECOGNISED
    assert after["request"] == RevocationState.PENDING
    assert [s for pk, s in after["vacancies"] if pk == vacancy.pk] == ["published"]
