"""Grant voorlichting.publish_text to the meldpunt role (stagekans.accounts.roles)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from stagekans.accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles"), ("voorlichting", "0003_publish_text_permission")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
