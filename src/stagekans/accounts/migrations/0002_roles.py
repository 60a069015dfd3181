"""Create the role groups with their permissions (see stagekans.accounts.roles)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from stagekans.accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("audit", "0001_initial"),
        ("education", "0001_initial"),
        ("companies", "0001_initial"),
        ("register", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
