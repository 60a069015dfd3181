"""Give the roles their application permissions (stagekans.accounts.roles)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from stagekans.accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_sync_roles_for_role_grants"),
        ("applications", "0003_private_cv_newest_indexes"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
