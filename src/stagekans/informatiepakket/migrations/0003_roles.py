from django.db import migrations


def forwards(apps, schema_editor):
    from stagekans.accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles"), ("informatiepakket", "0002_first_versions")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
