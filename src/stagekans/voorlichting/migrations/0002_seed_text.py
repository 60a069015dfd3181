"""Publish version 1 of the information text (the text lives in voorlichting/seed_text.py)."""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    from stagekans.voorlichting import seed_text

    InformationText = apps.get_model("voorlichting", "InformationText")
    if InformationText.objects.filter(version=1).exists():
        return
    InformationText.objects.create(
        version=1,
        title_nl=seed_text.TITLE_NL,
        title_en=seed_text.TITLE_EN,
        body_nl=seed_text.BODY_NL,
        body_en=seed_text.BODY_EN,
        published_at=timezone.now(),
    )


class Migration(migrations.Migration):
    dependencies = [("voorlichting", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
