"""The beheerder reads the mail outbox in the app (notifications.view_outboxmessage)."""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from stagekans.accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("accounts", "0004_sync_roles_for_role_grants"),
        ("cases", "0004_pick_up_case_and_team_lead_role"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
