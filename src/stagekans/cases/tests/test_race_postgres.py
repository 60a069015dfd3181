"""Two real PostgreSQL connections race on one transition: exactly one wins, the other gets a
clear Dutch conflict message and nothing is written twice."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.cases import services
from stagekans.cases.models import CaseStatusChange
from stagekans.cases.workflow import CaseWorkflowError
from stagekans.testing import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("attempt", range(3))
def test_two_connections_race_on_start_investigation(attempt):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    investigator = f.UserFactory(role=Role.SBB_INVESTIGATOR)
    case = f.investigation_case(company=f.CompanyFactory(), investigator=investigator)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            services.start_investigation(acting_user=investigator, case=case)
        except CaseWorkflowError as error:
            with lock:
                outcomes.append(f"refused: {error}")
        else:
            with lock:
                outcomes.append("won")
        finally:
            connections.close_all()  # each thread has its own connection; close it

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(o.split(":")[0] for o in outcomes) == ["refused", "won"], outcomes
    refusal = next(o for o in outcomes if o.startswith("refused"))
    assert (
        "Een andere medewerker wijzigt deze zaak op dit moment" in refusal
        or "kan niet naar" in refusal
    )
    case.refresh_from_db()
    assert case.status == "under_investigation"
    assert CaseStatusChange.objects.filter(case=case, to_status="under_investigation").count() == 1
    assert (
        AuditLog.objects.filter(
            event_type=AuditEvent.CASE_STATUS_CHANGED, object_id=str(case.pk)
        ).count()
        == 1
    )
