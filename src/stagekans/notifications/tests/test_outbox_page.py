"""The beheerder reads the outbox in the app: list (paginated, filtered) and an audited detail."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditLog
from stagekans.notifications.models import OutboxMessage
from stagekans.notifications.services import enqueue_mail
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db


def _mails(n: int) -> None:
    with transaction.atomic():
        for i in range(n):
            enqueue_mail(to=f"student{i}@example.nl", subject=f"Bericht {i}", body=f"Tekst {i}")


def test_admin_lists_pages_and_reads_a_mail_with_an_audit_row():
    _mails(30)
    client = Client()
    client.force_login(f.UserFactory(role=Role.ADMIN))
    response = client.get(reverse("notifications:outbox_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bericht 29" in html and "Bericht 0" not in html  # newest first, 25 a page
    assert "Pagina 1 van 2" in html
    second = client.get(reverse("notifications:outbox_list") + "?page=2").content.decode()
    assert "Bericht 0" in second
    found = client.get(reverse("notifications:outbox_list") + "?q=student7%40").content.decode()
    assert "Bericht 7" in found and "Bericht 8" not in found
    message = OutboxMessage.objects.get(subject="Bericht 3")
    detail = client.get(reverse("notifications:outbox_detail", args=[message.pk]))
    assert detail.status_code == 200 and "Tekst 3" in detail.content.decode()
    assert (
        AuditLog.objects.filter(
            event_type="notifications.outbox_viewed", object_id=str(message.pk)
        ).count()
        == 1
    )


@pytest.mark.parametrize(
    "role", [Role.STUDENT, Role.SCHOOL_STAFF, Role.COMPANY_TRAINER, Role.MELDPUNT, Role.ANALYST]
)
def test_other_roles_may_not_read_the_outbox(role):
    _mails(1)
    client = Client()
    client.force_login(f.UserFactory(role=role))
    message = OutboxMessage.objects.get()
    assert client.get(reverse("notifications:outbox_list")).status_code == 403
    assert client.get(reverse("notifications:outbox_detail", args=[message.pk])).status_code == 403
    assert not AuditLog.objects.filter(event_type="notifications.outbox_viewed").exists()
    assert Client().get(reverse("notifications:outbox_list")).status_code == 302
