"""Grant the placements permissions to the roles (stagekans.accounts.roles): school staff place,
draft, sign and supervise; trainers sign and ask for contact; students ask for contact."""

from django.db import migrations


def forwards(apps, schema_editor):
    from stagekans.accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
        ("placements", "0002_contacts_evaluations_replacement"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
