"""Bulk audit rows: the same rows as one `record()` per object, also on the fast SQL path."""

import pytest
from django.db import transaction

from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.audit.services import record, record_many, record_many_by_pk
from stagekans.companies.models import Company
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db

FIELDS = ("actor_id", "event_type", "object_type", "object_id", "details")


def _rows(ids: list[int]) -> list[tuple]:
    return list(AuditLog.objects.filter(pk__in=ids).order_by("object_id").values_list(*FIELDS))


def test_bulk_rows_equal_one_by_one_rows(admin_user) -> None:
    companies = [f.CompanyFactory() for _ in range(3)]
    details = [{"n": i, "naam": "Zoë’s “bedrijf”", "lijst": [1, None]} for i in range(3)]
    with transaction.atomic():
        before = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        singles = [
            record(actor=admin_user, event=AuditEvent.COMPANY_CREATED, obj=c, details=d).pk
            for c, d in zip(companies, details, strict=True)
        ]
        mark = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first()
        assert (
            record_many(
                actor=admin_user,
                event=AuditEvent.COMPANY_CREATED,
                items=list(zip(companies, details, strict=True)),
            )
            == 3
        )
        many = list(AuditLog.objects.filter(pk__gt=mark).values_list("pk", flat=True))
        mark = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first()
        assert (
            record_many_by_pk(
                actor=admin_user,
                event=AuditEvent.COMPANY_CREATED,
                model=Company,
                items=[(c.pk, d) for c, d in zip(companies, details, strict=True)],
            )
            == 3
        )
        by_id = list(AuditLog.objects.filter(pk__gt=mark).values_list("pk", flat=True))
    assert before < min(singles)
    assert _rows(singles) == _rows(many) == _rows(by_id)
    assert all(r.at is not None for r in AuditLog.objects.filter(pk__in=many + by_id))


def test_bulk_rows_need_an_event_member() -> None:
    with transaction.atomic(), pytest.raises(TypeError):
        record_many_by_pk(actor=None, event="company_registered", model=Company, items=[])
    with transaction.atomic():
        assert (
            record_many_by_pk(actor=None, event=AuditEvent.COMPANY_CREATED, model=Company, items=[])
            == 0
        )
