"""Sync the role groups after the stagecoördinator got `keuzedelen.manage_cooperation_agreement`:
coordinators create cooperation agreements and new versions for their own school and offer
keuzedelen as host (issue 14, management screens)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from stagekans.accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_sync_roles_for_webinar_maintenance")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
