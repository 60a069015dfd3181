"""Two students accept offers for the last place at the same moment, on two real PostgreSQL
connections: exactly one gets the placement, the other is refused, the vacancy is filled once."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from stagekans.applications import services
from stagekans.applications.models import Application
from stagekans.applications.workflow import ApplicationStatus, TransitionNotAllowed
from stagekans.placements.models import Placement
from stagekans.stagemarkt.workflow import VacancyStatus
from stagekans.testing import applications as t

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("attempt", range(3))
def test_two_accepts_for_the_last_place(attempt: int) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    w = t.world(places=1)
    first = t.offered(w)
    other, other_login = w.other_student()
    second = t.offered(w, student=other, login=other_login)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker(application: Application, user: object) -> None:
        try:
            barrier.wait(timeout=10)
            services.accept(acting_user=user, application=application)
        except (ValidationError, TransitionNotAllowed):
            with lock:
                outcomes.append("refused")
        else:
            with lock:
                outcomes.append("won")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=worker, args=(first, w.student_login)),
        threading.Thread(target=worker, args=(second, other_login)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["refused", "won"], outcomes
    assert Application.objects.filter(status=ApplicationStatus.ACCEPTED).count() == 1
    assert Placement.objects.filter(company=w.company).count() == 1
    w.vacancy.refresh_from_db()
    assert w.vacancy.status == VacancyStatus.FILLED
    loser = Application.objects.exclude(status=ApplicationStatus.ACCEPTED).get()
    assert loser.status == ApplicationStatus.CLOSED
