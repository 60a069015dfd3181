# ruff: noqa: S608, SIM117  (table names come from model metadata; nested blocks read better)
"""Finding 3 (issue 10): the audit log and every status history are append-only.

Refused on SQLite and PostgreSQL alike: ORM save/delete, QuerySet.update()/delete()/
bulk_update(), a cascade from the parent, and raw SQL UPDATE/DELETE (database triggers). The one
sanctioned change — retention blanking an erasable free-text field — still works, is audited and
cannot be bent into rewriting anything else. PostgreSQL-only checks skip without DATABASE_URL.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from stagekans.accounts.roles import Role
from stagekans.audit.erasure import erase_free_text
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.core import append_only
from stagekans.core.append_only import AppendOnlyError
from stagekans.core.models import AppendOnlyModel
from stagekans.meldpunt import services
from stagekans.meldpunt.models import Report, ReportStatusChange
from stagekans.register.models import RecognitionStatusChange
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db


def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://…")


@pytest.fixture
def rows():
    """One row of the audit log and of two status histories, written by the real services."""
    report = f.submit_report().report
    recognition = f.RecognitionFactory()
    return {
        "audit": AuditLog.objects.get(object_type="meldpunt.report", object_id=str(report.pk)),
        "report_history": ReportStatusChange.objects.get(report=report),
        "recognition_history": RecognitionStatusChange.objects.filter(
            recognition=recognition
        ).first(),
    }


def test_every_append_only_model_has_the_database_trigger():
    concrete = [
        m
        for m in apps.get_models()
        if issubclass(m, AppendOnlyModel) and not m._meta.abstract and not m._meta.proxy
    ]
    assert AuditLog in concrete and ReportStatusChange in concrete
    missing = [m._meta.label for m in concrete if append_only.append_only_trigger(m) is None]
    assert missing == [], f"declare Meta.triggers = [AppendOnlyTrigger(...)] on {missing}"


TEXT_FIELD = {"audit": "event_type", "report_history": "note", "recognition_history": "reason"}


@pytest.mark.parametrize("which", list(TEXT_FIELD))
def test_orm_save_and_delete_refused(rows, which):
    row = rows[which]
    setattr(row, TEXT_FIELD[which], "herschreven")
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    row.refresh_from_db()
    assert getattr(row, TEXT_FIELD[which]) != "herschreven"


@pytest.mark.parametrize("which", list(TEXT_FIELD))
def test_queryset_update_delete_and_bulk_update_refused(rows, which):
    row = rows[which]
    model = type(row)
    qs = model.objects.filter(pk=row.pk)
    with pytest.raises(AppendOnlyError):
        qs.update(**{TEXT_FIELD[which]: "herschreven"})
    with pytest.raises(AppendOnlyError):
        qs.delete()
    setattr(row, TEXT_FIELD[which], "herschreven")
    with pytest.raises(AppendOnlyError):
        model.objects.bulk_update([row], [TEXT_FIELD[which]])
    assert model.objects.filter(pk=row.pk).exists()
    assert not model.objects.filter(**{TEXT_FIELD[which]: "herschreven"}).exists()


def test_cascade_from_parent_refused(rows):
    report = rows["report_history"].report
    with pytest.raises(AppendOnlyError), transaction.atomic():
        Report.objects.filter(pk=report.pk).delete()
    assert ReportStatusChange.objects.filter(report=report).exists()


@pytest.mark.parametrize("which", list(TEXT_FIELD))
@pytest.mark.parametrize("statement", ["update", "delete"])
def test_raw_sql_update_and_delete_refused_by_the_database(rows, which, statement):
    row = rows[which]
    table = type(row)._meta.db_table
    column = type(row)._meta.get_field(TEXT_FIELD[which]).column
    sql = (
        f"UPDATE {table} SET {column} = 'herschreven' WHERE id = %s"
        if statement == "update"
        else f"DELETE FROM {table} WHERE id = %s"
    )
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [row.pk])
    assert type(row).objects.filter(pk=row.pk).exclude(**{TEXT_FIELD[which]: "herschreven"})


def test_raw_sql_cannot_use_the_erasure_switch_to_rewrite_history(rows):
    """Even inside erasure mode the trigger allows only blanking the erasable column."""
    row = rows["report_history"]
    table = ReportStatusChange._meta.db_table
    for sql in (
        f"UPDATE {table} SET to_status = 'closed' WHERE id = %s",  # not erasable
        f"UPDATE {table} SET note = 'andere tekst' WHERE id = %s",  # not blank
        f"DELETE FROM {table} WHERE id = %s",  # never
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with (
                connection.cursor() as cursor,
                append_only._mode(connection, append_only.MODE_ERASURE),
            ):
                if connection.vendor == "postgresql":
                    cursor.execute(
                        "SELECT set_config(%s, 'on', true)", [append_only.ERASURE_SETTING]
                    )
                cursor.execute(sql, [row.pk])
    row.refresh_from_db()
    assert row.to_status == "received"


def test_erasure_of_a_field_that_is_not_erasable_is_refused(rows):
    with pytest.raises(AppendOnlyError), transaction.atomic():
        erase_free_text(
            acting_user=None,
            queryset=AuditLog.objects.all(),
            fields=["details"],
            obj=rows["report_history"].report,
            reason="test",
        )


def test_retention_still_blanks_status_notes_and_is_audited(django_capture_on_commit_callbacks):
    meldpunt = f.UserFactory(role=Role.MELDPUNT)
    report = f.submit_report(contact=services.ContactDetails(name="Fatima Yilmaz")).report
    services.start_triage(acting_user=meldpunt, report=report, note="Fatima Yilmaz gebeld")
    services.register_only(acting_user=meldpunt, report=report)
    services.close_report(acting_user=meldpunt, report=report, note="Afgerond met Fatima")
    Report.objects.filter(pk=report.pk).update(closed_at=timezone.now() - dt.timedelta(days=800))
    history_before = list(
        ReportStatusChange.objects.filter(report=report).values_list(
            "id", "from_status", "to_status", "actor_id", "at"
        )
    )
    audit_before = AuditLog.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.erase_expired_contacts(acting_user=None) == 1

    history = ReportStatusChange.objects.filter(report=report)
    assert list(history.values_list("note", flat=True)) == ["", "", "", ""]
    assert (
        list(history.values_list("id", "from_status", "to_status", "actor_id", "at"))
        == history_before
    )
    erased = AuditLog.objects.get(event_type=AuditEvent.HISTORY_ERASED.value)
    assert erased.object_id == str(report.pk)
    assert erased.details == {
        "model": "meldpunt.reportstatuschange",
        "fields": ["note"],
        "rows": 2,
        "reason": "meldpunt.retention",
    }
    assert "Fatima" not in str(list(AuditLog.objects.values_list("details", flat=True)))
    assert AuditLog.objects.count() == audit_before + 2  # erasure + contact erased
    # After the retention transaction the switch is off again: strict as before.
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ReportStatusChange._meta.db_table} SET note = '' WHERE report_id = %s",
                [report.pk],
            )


def test_postgres_triggers_are_installed_on_every_append_only_table():
    _postgres_only()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname LIKE 'pgtrigger_append_only_%%' AND t.tgenabled = 'O'"
        )
        tables = {name for (name,) in cursor.fetchall()}
    expected = {m._meta.db_table for m in append_only.append_only_models()}
    assert expected <= tables


def test_postgres_session_setting_alone_does_not_allow_rewriting():
    """set_config by some other code path still only allows blanking erasable columns."""
    _postgres_only()
    report = f.submit_report().report
    audit = AuditLog.objects.filter(object_id=str(report.pk)).first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', true)", [append_only.ERASURE_SETTING])
            cursor.execute(
                f"UPDATE {AuditLog._meta.db_table} SET details = '{{}}' WHERE id = %s", [audit.pk]
            )


def test_no_code_bypasses_the_triggers_with_pgtrigger_ignore():
    from pathlib import Path

    source = Path(append_only.__file__).resolve().parents[1]
    offenders = [
        str(path.relative_to(source))
        for path in source.rglob("*.py")
        if "pgtrigger.ignore" in path.read_text(encoding="utf-8") and path.name != "append_only.py"
    ]
    assert offenders == []
