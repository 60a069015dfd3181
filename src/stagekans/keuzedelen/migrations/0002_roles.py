"""Grant this app's permissions to the roles of stagekans.accounts.roles (issue 14)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from stagekans.accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_sync_roles_for_role_grants"), ("keuzedelen", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
