"""Give the beheerder the role-grant and unlock permissions (see stagekans.accounts.roles)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from stagekans.accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_role_grants"),
        ("cases", "0003_history_and_roles"),
        ("informatiepakket", "0003_roles"),
        ("meldpunt", "0002_roles"),
        ("register", "0004_propose_revocation_permission"),
        ("stagemarkt", "0002_roles"),
        ("voorlichting", "0004_roles"),
        ("worklist", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
