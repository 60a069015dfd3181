"""pgcrypto on PostgreSQL: the recompute computes the keyed pseudonyms inside the database
(hmac), so no student-to-background mapping has to leave it. Nothing on SQLite."""

from django.db import connection, migrations


def forwards(apps, schema_editor):
    # schema_editor is None when core.reference_data replays data migrations after a flush.
    database = schema_editor.connection if schema_editor is not None else connection
    if database.vendor == "postgresql":
        with database.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto")


class Migration(migrations.Migration):
    dependencies = [("background", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
