"""Sync the role groups after `equalchances.manage_webinars` (issue 17: SBB keeps the webinars
and their source links up to date) was added to the adviser's role (stagekans.accounts.roles)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from stagekans.accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_sync_roles_after_placements_and_insight"),
        ("equalchances", "0004_webinar_source_url"),
        ("support", "0003_signal_retention"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
