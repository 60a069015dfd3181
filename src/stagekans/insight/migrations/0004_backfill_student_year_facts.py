"""Back-fill the student-year facts from the existing applications and placements (set-based,
one statement per table; `manage.py rebuild_insight_facts` does the same in resumable chunks)."""

from django.db import connection, migrations


def forwards(apps, schema_editor):
    """Idempotent (core.reference_data re-runs it after a flush, without a schema editor)."""
    from stagekans.insight import facts

    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM education_student")
        last = cursor.fetchone()[0]
    if last:
        facts.rebuild(0, last)
        facts.rebuild_volumes()
        facts.analyze()


class Migration(migrations.Migration):
    dependencies = [("insight", "0003_student_year_facts")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
