from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.notifications.models import OutboxMessage
from stagekans.testing import factories as f
from stagekans.worklist.models import SchoolTaskKind
from stagekans.worklist.services import complete_school_task, create_school_task

pytestmark = pytest.mark.django_db


def _task(school, **kw):
    return create_school_task(
        acting_user=None,
        school=school,
        kind=SchoolTaskKind.FIND_REPLACEMENT_PLACEMENT,
        subject=kw.pop("subject", "Zoek een vervangende stageplek voor 2 studenten."),
        **kw,
    )


def test_create_task_audits_and_mails_the_schools_staff():
    school = f.SchoolFactory()
    staff = f.school_staff_user(school)
    f.school_staff_user(f.SchoolFactory())  # another school: no mail
    task = _task(school, dedup_key="x:1")
    assert AuditLog.objects.filter(event_type=AuditEvent.SCHOOL_TASK_CREATED).count() == 1
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == [staff.email]
    assert _task(school, dedup_key="x:1").pk == task.pk  # idempotent per cause
    with pytest.raises(ValidationError):
        _task(school, subject=" ")


def test_staff_see_only_their_own_schools_open_tasks_and_can_complete_them():
    school, other = f.SchoolFactory(), f.SchoolFactory()
    own, foreign = _task(school, subject="Eigen taak"), _task(other, subject="Andere school")
    staff = f.school_staff_user(school)
    client = Client()
    client.force_login(staff)
    page = client.get("/taken/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Eigen taak" in body and "Andere school" not in body
    assert client.post(f"/taken/{foreign.pk}/afgerond/").status_code == 404
    assert client.post(f"/taken/{own.pk}/afgerond/").status_code == 302
    own.refresh_from_db()
    assert own.done_at is not None and own.done_by == staff
    assert "Uw school heeft geen open taken" in client.get("/taken/").content.decode()
    with pytest.raises(ValidationError):
        complete_school_task(acting_user=staff, task=own)


def test_other_roles_cannot_open_the_task_page():
    client = Client()
    client.force_login(f.trainer_user(f.CompanyFactory()))
    assert client.get("/taken/").status_code == 403
