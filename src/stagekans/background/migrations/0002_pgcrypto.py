"""pgcrypto on PostgreSQL: the recompute computes the keyed pseudonyms inside the database
(hmac), so no student-to-background mapping has to leave it. Nothing on SQLite."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto")


class Migration(migrations.Migration):
    dependencies = [("background", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
