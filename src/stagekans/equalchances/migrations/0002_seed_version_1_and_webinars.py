"""Publish version 1 of the self-scan (content in equalchances/scan_content.py) and seed the
four SBB webinars for praktijkopleiders named in the letter."""

from django.db import migrations
from django.utils import timezone

WEBINARS = [
    (
        "Selecteren zonder vooroordelen",
        "Hoe u bij het kiezen van een stagiair let op wat iemand kan, en niet op vooroordelen.",
    ),
    (
        "Objectief oordelen",
        "Vaste eisen, vaste vragen en scoren met meer dan één beoordelaar.",
    ),
    (
        "Sociale veiligheid",
        "Een veilige leeromgeving voor stagiairs, vrij van discriminatie en intimidatie.",
    ),
    (
        "Gelijke behandeling op de werkvloer",
        "Wat de wet vraagt en wat u doet als een stagiair wordt buitengesloten.",
    ),
]
SBB_SITE = "https://www.s-bb.nl/"


def forwards(apps, schema_editor):
    from stagekans.equalchances import scan_content

    ScanVersion = apps.get_model("equalchances", "ScanVersion")
    ScanQuestion = apps.get_model("equalchances", "ScanQuestion")
    ScanOption = apps.get_model("equalchances", "ScanOption")
    Webinar = apps.get_model("equalchances", "Webinar")
    if not ScanVersion.objects.filter(number=1).exists():
        version = ScanVersion.objects.create(
            number=1,
            title=scan_content.TITLE,
            intro=scan_content.INTRO,
            status="published",
            published_at=timezone.now(),
        )
        for position, question in enumerate(scan_content.QUESTIONS):
            row = ScanQuestion.objects.create(
                version=version,
                step=question["step"],
                position=position,
                text=question["text"],
                help_text=question["help_text"],
            )
            for index, option in enumerate(question["options"]):
                ScanOption.objects.create(question=row, position=index, **option)
    for position, (title, description) in enumerate(WEBINARS):
        Webinar.objects.get_or_create(
            title=title,
            defaults={
                "provider": "SBB",
                "description": description,
                "source_url": SBB_SITE,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("equalchances", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
