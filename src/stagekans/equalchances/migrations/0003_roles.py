"""Grant the equal-chances permissions to their roles (stagekans.accounts.roles)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from stagekans.accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles"), ("equalchances", "0002_seed_version_1_and_webinars")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
