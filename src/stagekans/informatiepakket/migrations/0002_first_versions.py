"""Publish version 1 of both hand-outs (texts in informatiepakket/content/)."""

from django.db import migrations

from stagekans.informatiepakket.content import text

FIRST_VERSIONS = [
    ("werving_selectie", "Werving en selectie zonder discriminatie",
     "werving_selectie_nl.md", "Recruitment and selection without discrimination",
     "werving_selectie_en.md"),
    ("veiligheid", "Veiligheid voor praktijkopleiders", "veiligheid_nl.md",
     "Safety for workplace trainers", "veiligheid_en.md"),
]


def forwards(apps, schema_editor):
    version_model = apps.get_model("informatiepakket", "HandoutVersion")
    for kind, title_nl, file_nl, title_en, file_en in FIRST_VERSIONS:
        version_model.objects.get_or_create(
            kind=kind, version=1,
            defaults={"title_nl": title_nl, "body_nl": text(file_nl), "title_en": title_en,
                      "body_en": text(file_en)},
        )


class Migration(migrations.Migration):
    dependencies = [("informatiepakket", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
