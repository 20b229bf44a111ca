"""Drop the indexes on the title columns of assessments and plans: nothing searches by them,
and every submit rewrites an assessment and inserts a plan, paying for each index. (Deleting a
title in the admin now scans those tables once to clear it.) Only the indexes are dropped, as
in 0003, so SQLite does not copy the tables."""

import django.db.models.deletion
from django.db import migrations, models

UNSEARCHED = [
    (
        "assessments_assessment_closest_title_id_1b10b14b",
        "assessments_assessment",
        "closest_title_id",
    ),
    (
        "assessments_assessment_current_title_id_b9175bd8",
        "assessments_assessment",
        "current_title_id",
    ),
    (
        "assessments_assessment_target_title_id_a3b0a323",
        "assessments_assessment",
        "target_title_id",
    ),
    ("assessments_plan_target_title_id_177510b0", "assessments_plan", "target_title_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_fewer_indexes"),
        ("roles", "0003_catalog_revision"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    sql=[f'DROP INDEX IF EXISTS "{name}"'],
                    reverse_sql=[f'CREATE INDEX "{name}" ON "{table}" ("{column}")'],
                )
                for name, table, column in UNSEARCHED
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="assessment",
                    name="closest_title",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="roles.role",
                    ),
                ),
                migrations.AlterField(
                    model_name="assessment",
                    name="current_title",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="roles.role",
                    ),
                ),
                migrations.AlterField(
                    model_name="assessment",
                    name="target_title",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="roles.role",
                    ),
                ),
                migrations.AlterField(
                    model_name="plan",
                    name="target_title",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="roles.role",
                    ),
                ),
            ],
        ),
    ]
