# The overdue job's claims move from two placement columns to a narrow table of their own.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("placements", "0005_visit_counters"),
    ]

    operations = [
        migrations.CreateModel(
            name="OverdueNotice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("alerted", "bpv-begeleider gewaarschuwd"),
                            ("escalated", "coördinator gewaarschuwd"),
                        ],
                        max_length=16,
                        verbose_name="soort",
                    ),
                ),
                ("due", models.DateField(verbose_name="termijn")),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, verbose_name="aangemaakt op"),
                ),
                (
                    "placement",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="overdue_notices",
                        to="placements.placement",
                        verbose_name="stage",
                    ),
                ),
            ],
            options={
                "verbose_name": "waarschuwing contactmoment te laat",
                "verbose_name_plural": "waarschuwingen contactmoment te laat",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("placement", "kind", "due"), name="overdue_notice_once_per_period"
                    )
                ],
            },
        ),
        # Carry the claims already made over to the new table (both databases speak this SQL).
        migrations.RunSQL(
            sql=[
                "INSERT INTO placements_overduenotice (placement_id, kind, due, created_at) "
                "SELECT id, 'alerted', overdue_alerted_for, CURRENT_TIMESTAMP "
                "FROM placements_placement WHERE overdue_alerted_for IS NOT NULL",
                "INSERT INTO placements_overduenotice (placement_id, kind, due, created_at) "
                "SELECT id, 'escalated', overdue_escalated_for, CURRENT_TIMESTAMP "
                "FROM placements_placement WHERE overdue_escalated_for IS NOT NULL",
            ],
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.RemoveField(
            model_name="placement",
            name="overdue_alerted_for",
        ),
        migrations.RemoveField(
            model_name="placement",
            name="overdue_escalated_for",
        ),
    ]
