"""The permission to see and pick up the team's unassigned cases, and the shipped role
"Teamleider onderzoek" holding the team-lead rights (see stagekans.accounts.roles)."""

from django.db import migrations


def roles(apps, schema_editor):
    from stagekans.accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_history_and_roles"),
        ("register", "0004_propose_revocation_permission"),
        ("stagemarkt", "0002_roles"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="case",
            options={
                "ordering": ["-created_at", "-id"],
                "permissions": [
                    ("investigate_case", "Mag toegewezen onderzoekszaken behandelen"),
                    (
                        "view_team_cases",
                        "Mag alle onderzoekszaken van het team inzien en toewijzen",
                    ),
                    (
                        "pick_up_case",
                        "Mag niet-toegewezen onderzoekszaken van het team inzien en oppakken",
                    ),
                    (
                        "respond_to_hearing",
                        "Mag namens bedrijf of school reageren op hoor en wederhoor",
                    ),
                ],
                "verbose_name": "onderzoekszaak",
                "verbose_name_plural": "onderzoekszaken",
            },
        ),
        migrations.RunPython(roles, migrations.RunPython.noop),
    ]
