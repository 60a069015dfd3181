"""core.bulk.insert_rows writes the rows bulk_create writes (defaults, JSON, auto_now_add)."""

from __future__ import annotations

import pytest
from django.db import transaction

from stagekans.audit.models import AuditLog
from stagekans.companies.models import Company
from stagekans.core.bulk import insert_rows
from stagekans.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _values(qs, exclude=("id",)):
    names = [f.attname for f in qs.model._meta.concrete_fields if f.attname not in exclude]
    return sorted(qs.values_list(*names))


def test_companies_get_the_same_defaults_as_bulk_create():
    with transaction.atomic():
        ids = insert_rows(
            Company,
            ("kvk_number", "name", "sector", "size_class"),
            [("12345678", "Een B.V.", "zorg", "10-49"), ("23456789", "Twee B.V.", "ict", "1-9")],
        )
        Company.objects.bulk_create(
            [
                Company(kvk_number="34567890", name="Een B.V.", sector="zorg", size_class="10-49"),
                Company(kvk_number="45678901", name="Twee B.V.", sector="ict", size_class="1-9"),
            ]
        )
    assert len(ids) == 2 and list(Company.objects.filter(pk__in=ids).values_list("name", flat=True)
                                   .order_by("pk")) == ["Een B.V.", "Twee B.V."]  # fmt: skip
    mine = _values(Company.objects.filter(pk__in=ids), exclude=("id", "kvk_number"))
    orm = _values(Company.objects.exclude(pk__in=ids), exclude=("id", "kvk_number"))
    assert mine == orm


def test_json_and_auto_now_add_columns_and_no_keys_without_returning():
    details = {"company": 3, "nested": {"a": [1, "é"]}, "none": None}
    with transaction.atomic():
        assert (
            insert_rows(
                AuditLog,
                ("event_type", "object_type", "object_id", "details"),
                [("company.created", "companies.company", "7", details)],
                returning=False,
            )
            == []
        )
    row = AuditLog.objects.get(object_id="7")
    assert row.details == details and row.actor_id is None and row.at is not None


def test_keys_come_back_in_the_order_of_the_rows():
    with transaction.atomic():
        ids = insert_rows(
            OutboxMessage,
            ("to", "subject", "body", "next_attempt_at"),
            [(f"m{i}@example.nl", f"s{i}", "b", "2026-01-01T00:00:00Z") for i in range(30)],
        )
    by_pk = dict(OutboxMessage.objects.values_list("pk", "to"))
    assert [by_pk[pk] for pk in ids] == [f"m{i}@example.nl" for i in range(30)]
    assert OutboxMessage.objects.filter(pk__in=ids, attempts=0, last_error="").count() == 30
