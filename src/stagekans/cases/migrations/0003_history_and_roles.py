"""Give existing cases their first status-history row, and grant the case permissions to the
roles (see stagekans.accounts.roles)."""

from django.db import migrations


def backfill_history(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseStatusChange = apps.get_model("cases", "CaseStatusChange")
    for case in Case.objects.filter(history__isnull=True):
        CaseStatusChange.objects.create(
            case=case, from_status="", to_status=case.status, actor=case.created_by
        )


def roles(apps, schema_editor):
    from stagekans.accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
        ("cases", "0002_workflow"),
        ("register", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(backfill_history, migrations.RunPython.noop),
        migrations.RunPython(roles, migrations.RunPython.noop),
    ]
