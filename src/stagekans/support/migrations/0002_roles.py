"""Grant the permissions of the support app to the roles (stagekans.accounts.roles), including
the new role "Deskundig team"."""

from django.db import migrations


def forwards(apps, schema_editor):
    from stagekans.accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_sync_roles_for_role_grants"),
        ("meldpunt", "0005_merge_20261201_1722"),
        ("voorlichting", "0004_roles"),
        ("support", "0001_initial"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
