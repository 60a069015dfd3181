"""Sync the role groups once every app of issues 9 and 11-17 has its permissions: the
analyst and the adviescommissie both see the aggregate overviews of self-scans, training,
the expert team, keuzedelen and study advice (stagekans.accounts.roles)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from stagekans.accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_sync_roles_for_role_grants"),
        ("applications", "0004_roles"),
        ("background", "0002_pgcrypto"),
        ("cases", "0007_investigation_teams"),
        ("education", "0002_student_invitation"),
        ("equalchances", "0003_roles"),
        ("insight", "0002_roles"),
        ("keuzedelen", "0002_roles"),
        ("placements", "0005_visit_counters"),
        ("rounds", "0002_roles"),
        ("studyadvice", "0002_roles"),
        ("support", "0002_roles"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
